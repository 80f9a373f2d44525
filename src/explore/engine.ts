// The engine runs one schedule of a model: it holds the shared state and each
// thread's pending step, says which threads can move, and performs one step of a
// chosen thread. Exploration (explore.ts), replay and the stepper (replay.ts) all
// drive it. A schedule is re-run from the start (reset) whenever it must be: a
// generator cannot be copied, so stateless re-execution is the way back to a
// state, as in Loom and Shuttle.
//
// Semantics (those of src/sync, at step granularity):
// - lock blocks while another thread holds the mutex; locking it again from the
//   holder and unlocking it from another thread raise (Error / NotOwnerError);
// - wait needs the condition's lock held: it releases it and blocks; notify wakes
//   the longest-waiting thread (notifyAll every waiter, a notify with no waiter is
//   lost); a woken thread takes the lock again in a step of its own;
// - semaphore acquire blocks while 0; barrier wait blocks until `parties` threads
//   arrived (the last arrival releases the round and everyone gets its arrival
//   index); a waitgroup below zero raises RangeError, wait blocks until 0; a queue
//   put blocks while full and raises ClosedError once closed, get blocks while
//   empty and gives undefined once closed and drained.
// A thread whose pending step cannot run is blocked; when every unfinished thread
// is blocked, the state is a deadlock.
import { ExploreInputError, ModelError } from "./errors";
import { OP, Step, describe, show, type FinalState, type Model, type PlainValue } from "./model";

export const RUN = 0,
  DONE = 1,
  FAILED = 2;

/** The method a learner wrote for each op: the op's name in lower case, but where the method is spelled otherwise. */
const METHOD_NAMES: Record<number, string> = {
  ...Object.fromEntries(Object.entries(OP).map(([name, op]) => [op, name.toLowerCase()])),
  ...Object.fromEntries([OP.CWAIT, OP.CWAITING, OP.CREACQ, OP.BWAIT, OP.BWAITING, OP.WGWAIT].map((op) => [op, "wait"])),
  [OP.NOTIFYALL]: "notifyAll",
  [OP.TRYLOCK]: "tryLock",
  [OP.TRYACQUIRE]: "tryAcquire",
  [OP.WGADD]: "add",
};

/** The method name a learner wrote for an op ("read", "lock", "wait" …). */
export function opName(op: number): string {
  return METHOD_NAMES[op] ?? `op${op}`;
}

export class Engine {
  readonly m: Model;
  readonly n: number;
  // Shared state, indexed by object id.
  readonly vals: unknown[];
  readonly owner: Int32Array; // mutex holder, -1 when free
  readonly count: Int32Array; // semaphore value, waitgroup count, barrier arrivals, queue size
  readonly gen: Int32Array; // barrier generation
  readonly closed: Uint8Array;
  readonly size: Int32Array; // barrier parties, queue capacity
  readonly mutexOf: Int32Array; // a condition's mutex
  readonly queues: unknown[][];
  readonly kindOf: string[];
  // Threads.
  readonly gens: Iterator<Step, unknown, unknown>[];
  readonly status: Uint8Array;
  readonly op: Int32Array;
  readonly obj: Int32Array;
  readonly a1: unknown[];
  readonly a2: unknown[];
  readonly ticket: Int32Array;
  readonly steps: Int32Array;
  readonly results: unknown[];
  readonly errors: (Error | null)[];
  /** Threads whose pending step changed during the last execute() (the mover included). */
  changed = 0;
  /** Threads resumed by another thread's step in the last execute() (a barrier's last arrival). */
  released = 0;
  /** The thread that failed (its error ends the schedule), -1 while none has. */
  failed = -1;
  /** The result of the last executed step, and a note on what it did ("wakes t1", "lost: no waiter"). */
  lastResult: unknown = undefined;
  lastNote = "";
  /** The thread whose code runs right now (for the "never yields" message). */
  current = -1;
  /** Keep a hash of the results each thread received (its local state), for state hashing. */
  hashing = false;
  /** Per thread: two 32-bit hashes of every result (or error) delivered to it so far. */
  readonly histA: Int32Array;
  readonly histB: Int32Array;
  /** The state hash computed by stateHash(): three independent 32-bit lanes. */
  hashA = 0;
  hashB = 0;
  hashC = 0;
  private ticketNo = 0;

  constructor(m: Model) {
    this.m = m;
    this.n = m.n;
    const n = m.n;
    const k = m.objects.length;
    this.vals = new Array(m.vars).fill(undefined);
    this.owner = new Int32Array(k);
    this.count = new Int32Array(k);
    this.gen = new Int32Array(k);
    this.closed = new Uint8Array(k);
    this.size = new Int32Array(k);
    this.mutexOf = new Int32Array(k).fill(-1);
    this.queues = m.objects.map(() => []);
    this.kindOf = m.objects.map((o) => o.kind);
    for (const o of m.objects) {
      this.size[o.id] = o.size;
      this.mutexOf[o.id] = o.mutex;
    }
    this.gens = new Array(n);
    this.status = new Uint8Array(n);
    this.op = new Int32Array(n);
    this.obj = new Int32Array(n);
    this.a1 = new Array(n).fill(undefined);
    this.a2 = new Array(n).fill(undefined);
    this.ticket = new Int32Array(n);
    this.steps = new Int32Array(n);
    this.results = new Array(n).fill(undefined);
    this.errors = new Array(n).fill(null);
    this.histA = new Int32Array(n);
    this.histB = new Int32Array(n);
  }

  /** Back to the initial state; every thread runs its local code up to its first step. */
  reset(): void {
    const m = this.m,
      objs = m.objects;
    for (let i = 0; i < m.vars; i++) this.vals[i] = objs[i].init;
    for (let i = m.vars; i < objs.length; i++) {
      const o = objs[i];
      this.owner[i] = -1;
      this.count[i] = o.kind === "semaphore" || o.kind === "waitgroup" ? o.size : 0;
      this.gen[i] = 0;
      this.closed[i] = 0;
      if (o.kind === "queue") this.queues[i].length = 0;
    }
    this.failed = -1;
    this.ticketNo = 0;
    this.changed = 0;
    this.released = 0;
    this.lastResult = undefined;
    this.lastNote = "";
    const ctx = m.ctx;
    ctx.made = ctx.taken = 0;
    ctx.last = null;
    for (let t = 0; t < this.n; t++) {
      this.status[t] = RUN;
      this.steps[t] = 0;
      this.results[t] = undefined;
      this.errors[t] = null;
      this.op[t] = 0;
      this.histA[t] = 0x12345678;
      this.histB[t] = 0x7654321;
      this.current = t;
      let g: unknown;
      try {
        g = m.bodies[t](m.args[t]);
      } catch (e) {
        if (e instanceof ExploreInputError) throw e;
        this.fail(t, e);
        continue;
      }
      if (g === null || typeof g !== "object" || typeof (g as Iterator<unknown>).next !== "function" || typeof (g as Iterator<unknown>).throw !== "function") {
        throw new ExploreInputError(
          `model "${m.name}": thread t${t}'s body returned ${describe(g)}, not a generator; write it as a generator function, ` +
            `function* ({ id, … }) { const v = yield x.read(); … }`,
        );
      }
      this.gens[t] = g as Iterator<Step, unknown, unknown>;
      this.advance(t, undefined, null);
      if (this.failed >= 0) return;
    }
    this.changed = 0;
  }

  /** Resumes thread t's code with a step's result (or raises `err` in it) up to its next step. */
  private advance(t: number, value: unknown, err: Error | null): void {
    const ctx = this.m.ctx;
    this.current = t;
    if (this.hashing) {
      const h = err ? hashValue(`${err.name}: ${err.message}`) ^ 0x5f3759df : hashValue(value);
      this.histA[t] = mixA(this.histA[t], h);
      this.histB[t] = mixB(this.histB[t], h);
    }
    let r: IteratorResult<Step, unknown>;
    try {
      r = err ? (this.gens[t].throw as (e: unknown) => IteratorResult<Step, unknown>)(err) : this.gens[t].next(value);
    } catch (e) {
      if (e instanceof ExploreInputError) throw e;
      this.fail(t, e);
      return;
    }
    this.changed |= 1 << t;
    if (r.done) {
      if (ctx.made !== ctx.taken) throw missingYield(this.m, t, ctx.last);
      this.status[t] = DONE;
      this.results[t] = r.value;
      this.op[t] = 0;
      return;
    }
    const s = r.value;
    if (!(s instanceof Step) || s.ctx !== ctx) throw notAStep(this.m, t, s);
    if (++ctx.taken !== ctx.made) {
      if (ctx.taken > ctx.made) {
        throw new ExploreInputError(
          `model "${this.m.name}": thread t${t} yielded a step it had made earlier; make each step right where you yield it (yield x.read(), not const s = x.read(); … yield s)`,
        );
      }
      throw missingYield(this.m, t, s);
    }
    this.op[t] = s.op;
    this.obj[t] = s.obj;
    this.a1[t] = s.a;
    this.a2[t] = s.b;
  }

  private fail(t: number, e: unknown): void {
    this.status[t] = FAILED;
    this.errors[t] = e instanceof Error ? e : new Error(String(e));
    if (this.failed < 0) this.failed = t;
    this.changed |= 1 << t;
  }

  /** Raises a library error inside thread t (it may catch it). */
  private raise(t: number, kind: string, message: string): void {
    this.steps[t]++;
    this.lastResult = undefined;
    this.lastNote = `raises ${kind}`;
    this.advance(t, undefined, new ModelError(kind, message));
  }

  /** Whether thread t's pending step can run now. */
  isEnabled(t: number): boolean {
    if (this.status[t] !== RUN) return false;
    const o = this.obj[t];
    switch (this.op[t]) {
      case OP.LOCK:
        return this.owner[o] === -1 || this.owner[o] === t;
      case OP.CREACQ:
        return this.owner[this.mutexOf[o]] === -1;
      case OP.CWAITING:
      case OP.BWAITING:
        return false;
      case OP.ACQUIRE:
        return this.count[o] > 0;
      case OP.WGWAIT:
        return this.count[o] === 0;
      case OP.PUT:
        return this.closed[o] === 1 || this.count[o] < this.size[o];
      case OP.GET:
        return this.count[o] > 0 || this.closed[o] === 1;
      default:
        return true;
    }
  }

  /** The threads that can move, as a bit mask (bit t = thread t). */
  enabledMask(): number {
    let mask = 0;
    for (let t = 0; t < this.n; t++) if (this.isEnabled(t)) mask |= 1 << t;
    return mask;
  }

  /** True when every thread has finished. */
  allDone(): boolean {
    for (let t = 0; t < this.n; t++) if (this.status[t] !== DONE) return false;
    return true;
  }

  /** The objects thread t's pending step touches: first, second (-1: none); and whether it writes. */
  fp1(t: number): number {
    return this.obj[t];
  }
  fp2(t: number): number {
    const op = this.op[t];
    return op === OP.CWAIT || op === OP.CWAITING || op === OP.CREACQ ? this.mutexOf[this.obj[t]] : -1;
  }
  fpWrite(t: number): boolean {
    const op = this.op[t];
    return op !== OP.READ && op !== OP.SIZE;
  }

  /** Performs thread t's pending step (t must be enabled) and runs t's code to its next step. */
  execute(t: number): void {
    const o = this.obj[t];
    const m = this.m;
    let res: unknown;
    this.changed = 0;
    this.released = 0;
    this.lastNote = "";
    switch (this.op[t]) {
      case OP.READ:
        res = this.vals[o];
        break;
      case OP.WRITE:
        this.vals[o] = this.a1[t];
        break;
      case OP.ADD: {
        const old = this.vals[o];
        if (typeof old !== "number") {
          this.raise(t, "TypeError", `${m.objects[o].name}.add(): the value is ${describe(old)}, not a number`);
          return;
        }
        this.vals[o] = old + (this.a1[t] as number);
        res = old;
        break;
      }
      case OP.CAS: {
        const old = this.vals[o];
        if (old === this.a1[t]) this.vals[o] = this.a2[t];
        res = old;
        break;
      }
      case OP.LOCK:
        if (this.owner[o] === t) {
          this.raise(t, "Error", `Mutex.lock: t${t} already holds ${m.objects[o].name}; a Mutex is not reentrant (this would deadlock)`);
          return;
        }
        this.owner[o] = t;
        break;
      case OP.UNLOCK:
        if (this.owner[o] !== t) {
          this.raise(
            t,
            "NotOwnerError",
            `Mutex.unlock: t${t} does not hold ${m.objects[o].name}${this.owner[o] >= 0 ? ` (t${this.owner[o]} does)` : " (it is not locked)"}`,
          );
          return;
        }
        this.owner[o] = -1;
        break;
      case OP.TRYLOCK:
        if (this.owner[o] === -1) {
          this.owner[o] = t;
          res = true;
        } else res = false;
        break;
      case OP.CWAIT: {
        const mu = this.mutexOf[o];
        if (this.owner[mu] !== t) {
          this.raise(t, "NotOwnerError", `Condition.wait: acquire ${m.objects[o].name}'s lock (${m.objects[mu].name}) first`);
          return;
        }
        this.owner[mu] = -1;
        this.op[t] = OP.CWAITING;
        this.ticket[t] = ++this.ticketNo;
        this.steps[t]++;
        this.changed |= 1 << t;
        this.lastResult = undefined;
        this.lastNote = `releases ${m.objects[mu].name}, sleeps`;
        return;
      }
      case OP.CREACQ:
        this.owner[this.mutexOf[o]] = t;
        res = true;
        this.lastNote = `takes ${m.objects[this.mutexOf[o]].name} again`;
        break;
      case OP.NOTIFY:
      case OP.NOTIFYALL: {
        const mu = this.mutexOf[o];
        if (this.owner[mu] !== t) {
          this.raise(
            t,
            "NotOwnerError",
            `Condition.${this.op[t] === OP.NOTIFY ? "notify" : "notifyAll"}: acquire ${m.objects[o].name}'s lock (${m.objects[mu].name}) first`,
          );
          return;
        }
        let k = this.op[t] === OP.NOTIFYALL ? this.n : (this.a1[t] as number);
        const woken: number[] = [];
        while (k-- > 0) {
          let w = -1;
          for (let q = 0; q < this.n; q++) {
            if (this.status[q] === RUN && this.op[q] === OP.CWAITING && this.obj[q] === o && (w < 0 || this.ticket[q] < this.ticket[w])) w = q;
          }
          if (w < 0) break;
          this.op[w] = OP.CREACQ;
          this.changed |= 1 << w;
          woken.push(w);
        }
        this.lastNote = woken.length ? `wakes ${woken.map((w) => `t${w}`).join(", ")}` : "no waiter: the notify is lost";
        break;
      }
      case OP.ACQUIRE:
        this.count[o]--;
        res = true;
        break;
      case OP.TRYACQUIRE:
        if (this.count[o] > 0) {
          this.count[o]--;
          res = true;
        } else res = false;
        break;
      case OP.RELEASE:
        this.count[o] += this.a1[t] as number;
        break;
      case OP.BWAIT: {
        const index = this.count[o]++;
        if (this.count[o] < this.size[o]) {
          this.op[t] = OP.BWAITING;
          this.a1[t] = index;
          this.steps[t]++;
          this.changed |= 1 << t;
          this.lastResult = index;
          this.lastNote = `arrives ${index + 1} of ${this.size[o]}, waits`;
          return;
        }
        this.count[o] = 0;
        this.gen[o]++;
        res = index;
        const freed: number[] = [];
        for (let q = 0; q < this.n; q++) {
          if (this.status[q] === RUN && this.op[q] === OP.BWAITING && this.obj[q] === o) {
            freed.push(q);
            this.released |= 1 << q;
            this.advance(q, this.a1[q], null);
          }
        }
        this.lastNote = freed.length ? `arrives last, releases ${freed.map((q) => `t${q}`).join(", ")}` : "arrives last";
        break;
      }
      case OP.WGADD: {
        const v = this.count[o] + (this.a1[t] as number);
        if (v < 0) {
          this.raise(
            t,
            "RangeError",
            `WaitGroup.${this.a1[t] === -1 ? "done" : "add"}: counter of ${m.objects[o].name} would go below zero (${v}); call done() once per add()`,
          );
          return;
        }
        this.count[o] = v;
        break;
      }
      case OP.WGWAIT:
        res = true;
        break;
      case OP.PUT:
        if (this.closed[o]) {
          this.raise(t, "ClosedError", `BoundedQueue.put: ${m.objects[o].name} is closed`);
          return;
        }
        this.queues[o].push(this.a1[t]);
        this.count[o]++;
        break;
      case OP.GET:
        if (this.count[o] > 0) {
          res = this.queues[o].shift();
          this.count[o]--;
        } else res = undefined;
        break;
      case OP.CLOSE:
        this.closed[o] = 1;
        break;
      case OP.SIZE:
        res = this.count[o];
        break;
      default:
        throw new Error(`explore: internal error, thread t${t} has no step to run (op ${this.op[t]})`);
    }
    this.steps[t]++;
    this.lastResult = res;
    this.advance(t, res, null);
  }

  /** The shared state as plain data: vars as values, arrays as arrays, primitives summarised. */
  finalState(): FinalState {
    const out: FinalState = {};
    const one = (id: number): unknown => {
      switch (this.kindOf[id]) {
        case "var":
          return this.vals[id];
        case "mutex":
          return this.owner[id] >= 0 ? `t${this.owner[id]}` : null;
        case "condition": {
          let w = 0;
          for (let t = 0; t < this.n; t++) if (this.status[t] === RUN && this.op[t] === OP.CWAITING && this.obj[t] === id) w++;
          return w;
        }
        case "queue":
          return this.queues[id].slice();
        default:
          return this.count[id];
      }
    };
    for (const { name, ids } of this.m.layout) out[name] = Array.isArray(ids) ? ids.map(one) : one(ids);
    return out;
  }

  /** The vars' values as "name=value" pieces (arrays grouped), for lanes and tables. */
  varsText(): string[] {
    const out: string[] = [];
    for (const { name, ids } of this.m.layout) {
      if (Array.isArray(ids)) {
        if (this.kindOf[ids[0]] === "var") out.push(`${name}=[${ids.map((i) => show(this.vals[i])).join(",")}]`);
      } else if (this.kindOf[ids] === "var") out.push(`${name}=${show(this.vals[ids])}`);
    }
    return out;
  }

  /** The primitives' states ("lock: t0", "q: [1]", "wg: 2"), for the stepper. */
  primitivesText(): string[] {
    const out: string[] = [];
    for (const o of this.m.objects) {
      const i = o.id;
      switch (o.kind) {
        case "mutex":
          out.push(`${o.name}: ${this.owner[i] >= 0 ? `held by t${this.owner[i]}` : "free"}`);
          break;
        case "semaphore":
          out.push(`${o.name}: ${this.count[i]}`);
          break;
        case "waitgroup":
          out.push(`${o.name}: count ${this.count[i]}`);
          break;
        case "barrier":
          out.push(`${o.name}: ${this.count[i]} of ${this.size[i]} arrived`);
          break;
        case "queue":
          out.push(`${o.name}: [${this.queues[i].map(show).join(", ")}]${this.closed[i] ? " closed" : ""}`);
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** What thread t's pending step is, in the learner's words ("lock fork1", "put q ← 3"). */
  pendingText(t: number): string {
    if (this.status[t] === DONE) return "finished";
    if (this.status[t] === FAILED) return `failed: ${this.errors[t]?.name}: ${this.errors[t]?.message}`;
    const o = this.m.objects[this.obj[t]],
      a = this.a1[t];
    switch (this.op[t]) {
      case OP.READ:
        return `read ${o.name}`;
      case OP.WRITE:
        return `write ${o.name} ← ${show(a)}`;
      case OP.ADD:
        return `add ${o.name} ${(a as number) >= 0 ? "+" : ""}${show(a)}`;
      case OP.CAS:
        return `cas ${o.name} ${show(a)} → ${show(this.a2[t])}`;
      case OP.CWAITING:
        return `waiting on ${o.name}`;
      case OP.CREACQ:
        return `woken on ${o.name}, takes ${this.m.objects[o.mutex].name} again`;
      case OP.BWAITING:
        return `waiting at ${o.name}`;
      case OP.NOTIFY:
        return (a as number) === 1 ? `notify ${o.name}` : `notify ${o.name} (${show(a)})`;
      case OP.RELEASE:
        return (a as number) === 1 ? `release ${o.name}` : `release ${o.name} (${show(a)})`;
      case OP.WGADD:
        return (a as number) === -1 ? `done ${o.name}` : `add ${o.name} ${(a as number) >= 0 ? "+" : ""}${show(a)}`;
      case OP.PUT:
        return `put ${o.name} ← ${show(a)}`;
      default:
        return `${opName(this.op[t])} ${o.name}`;
    }
  }

  /** When thread t is blocked: on what object, and who holds it (mutexes), else null. */
  blockedOn(t: number): { obj: number; holder: number; why: string } | null {
    if (this.status[t] !== RUN || this.isEnabled(t)) return null;
    const id = this.obj[t],
      o = this.m.objects[id];
    switch (this.op[t]) {
      case OP.LOCK:
        return { obj: id, holder: this.owner[id], why: `lock ${o.name} (held by t${this.owner[id]})` };
      case OP.CREACQ: {
        const mu = this.mutexOf[id];
        return { obj: mu, holder: this.owner[mu], why: `take ${this.m.objects[mu].name} again after ${o.name} (held by t${this.owner[mu]})` };
      }
      case OP.CWAITING:
        return { obj: id, holder: -1, why: `be notified on ${o.name}` };
      case OP.BWAITING:
        return { obj: id, holder: -1, why: `pass ${o.name} (${this.count[id]} of ${this.size[id]} arrived)` };
      case OP.ACQUIRE:
        return { obj: id, holder: -1, why: `acquire ${o.name} (value 0)` };
      case OP.WGWAIT:
        return { obj: id, holder: -1, why: `see ${o.name} reach 0 (count ${this.count[id]})` };
      case OP.PUT:
        return { obj: id, holder: -1, why: `put into ${o.name} (full: ${this.count[id]} of ${this.size[id]})` };
      case OP.GET:
        return { obj: id, holder: -1, why: `get from ${o.name} (empty)` };
      default:
        return { obj: id, holder: -1, why: this.pendingText(t) };
    }
  }

  /**
   * Hashes the whole state into hashA/hashB/hashC: the shared state, and for each
   * thread where it stands and the hash of the results it received. Thread code is
   * deterministic, so equal results received mean equal local state: two states
   * with equal hashes have the same futures (up to a hash collision, about 2^-80).
   */
  stateHash(): void {
    let a = 0x2545f491 | 0,
      b = 0x9e3779b9 | 0,
      c = 0x7f4a7c15 | 0;
    const mix = (x: number) => {
      a = mixA(a, x);
      b = mixB(b, x);
      c = mixA(c ^ 0x68e31da4, x + b);
    };
    const m = this.m,
      K = m.objects.length;
    for (let i = 0; i < m.vars; i++) mix(hashValue(this.vals[i]));
    for (let i = m.vars; i < K; i++) {
      mix(this.owner[i]);
      mix(this.count[i]);
      mix(this.gen[i] + (this.closed[i] << 20));
      const q = this.queues[i];
      for (let j = 0; j < q.length; j++) mix(hashValue(q[j]));
    }
    for (let t = 0; t < this.n; t++) {
      mix(this.status[t] | (this.op[t] << 4));
      mix(this.obj[t]);
      mix(this.histA[t]);
      mix(this.histB[t]);
      if (this.op[t] === OP.CWAITING) {
        // Who is woken first depends on the waiters' order on the condition.
        let rank = 0;
        for (let q = 0; q < this.n; q++) if (this.op[q] === OP.CWAITING && this.obj[q] === this.obj[t] && this.ticket[q] < this.ticket[t]) rank++;
        mix(rank);
      }
    }
    this.hashA = a;
    this.hashB = b;
    this.hashC = c;
  }

  /** A key that names a deadlock state: the shared state and where each thread stands. */
  stateKey(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.m.vars; i++) parts.push(show(this.vals[i] as PlainValue));
    for (let i = this.m.vars; i < this.m.objects.length; i++) {
      parts.push(`${this.owner[i]}/${this.count[i]}/${this.gen[i]}/${this.closed[i]}${this.queues[i].length ? `/${this.queues[i].map(show).join(",")}` : ""}`);
    }
    for (let t = 0; t < this.n; t++) parts.push(`t${t}:${this.status[t]}:${this.steps[t]}:${this.op[t]}:${this.obj[t]}`);
    return parts.join("|");
  }
}

function mixA(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
function mixB(h: number, x: number): number {
  h = Math.imul((h + 0x632be5ab) ^ x, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  return h ^ (h >>> 15);
}
function hashString(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
/** A 32-bit hash of a plain value (what vars, queue items and step results are). */
export function hashValue(v: unknown): number {
  switch (typeof v) {
    case "number":
      return (v | 0) === v && !Object.is(v, -0) ? mixA(0x1b, v) : hashString(String(v)) ^ 0x2c1b3c6d;
    case "string":
      return hashString(v) ^ 0x297a2d39;
    case "boolean":
      return v ? 0x3f4a7c15 : 0x1d8e4e27;
    case "undefined":
      return 0x0b4e0ef3;
    case "bigint":
      return hashString(v.toString()) ^ 0x5f356495;
    default:
      if (v === null) return 0x63d83595;
      // A thread's results can be arrays (a queue's items): hash the elements.
      if (Array.isArray(v)) {
        let h = 0x4b1d;
        for (const x of v) h = mixA(h, hashValue(x));
        return h;
      }
      throw new ExploreInputError(
        `the explorer cannot hash ${describe(v)}; shared values and step results must be plain values (numbers, strings, booleans, null)`,
      );
  }
}

function stepText(m: Model, s: Step | null): string {
  if (!s) return "a step";
  const o = m.objects[s.obj];
  return `${o?.name ?? "?"}.${opName(s.op)}()`;
}

function missingYield(m: Model, t: number, s: Step | null): ExploreInputError {
  return new ExploreInputError(
    `model "${m.name}": thread t${t} made a step without yielding it (last made: ${stepText(m, s)}); every shared step needs yield in front: ` +
      `yield lock.lock(), const v = yield x.read(). Without yield the step does nothing`,
  );
}

function notAStep(m: Model, t: number, v: unknown): ExploreInputError {
  if (v instanceof Step)
    return new ExploreInputError(
      `model "${m.name}": thread t${t} yielded a step of another model; use the handles this model gives the thread in its argument`,
    );
  if (v && typeof (v as Promise<unknown>).then === "function") {
    return new ExploreInputError(
      `model "${m.name}": thread t${t} yielded a promise; model threads are plain generator functions (no async, no await) that yield only steps`,
    );
  }
  return new ExploreInputError(
    `model "${m.name}": thread t${t} yielded ${describe(v)}, which is not a step of the model; yield only steps made by the handles in the thread's argument ` +
      `(yield balance.read(), yield lock.lock(), yield q.put(1), …)`,
  );
}
