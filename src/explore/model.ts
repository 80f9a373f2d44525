// The program model: a small concurrent program as one generator function per
// thread over named shared state. Every shared step is explicit: a thread `yield`s a
// step made by a handle (`yield balance.read()`, `yield lock.lock()`), the explorer
// decides which thread's step runs next, performs it and resumes that thread with
// the step's result. Code between two yields is local and free (not a scheduling
// point); it must touch nothing shared except through steps.
//
// The handles mirror the library's classes (src/sync): a Mutex handle has lock /
// unlock / tryLock, a Condition wait / notify / notifyAll / acquire / release and
// its `.lock`, a Semaphore acquire / release, a Barrier wait, a WaitGroup add / done
// / wait, a BoundedQueue put / get / close. A thread receives `{ id, n, ...handles,
// ...params }`, the shape `threads.run` gives a worker, so the same function body
// reads alike in both (with `yield` before each shared step).
import { ExploreInputError } from "./errors";

// Step codes. Internal ones (a thread blocked inside a wait) are never yielded.
export const OP = {
  READ: 1,
  WRITE: 2,
  ADD: 3,
  CAS: 4,
  LOCK: 10,
  UNLOCK: 11,
  TRYLOCK: 12,
  CWAIT: 20,
  NOTIFY: 21,
  NOTIFYALL: 22,
  CWAITING: 23,
  CREACQ: 24,
  ACQUIRE: 30,
  RELEASE: 31,
  TRYACQUIRE: 32,
  BWAIT: 40,
  BWAITING: 41,
  WGADD: 50,
  WGWAIT: 51,
  PUT: 60,
  GET: 61,
  CLOSE: 62,
  SIZE: 63,
} as const;

export type ObjectKind = "var" | "mutex" | "condition" | "semaphore" | "barrier" | "waitgroup" | "queue";

/** A primitive declared in a model's `shared` (made by `sim.mutex()`, `sim.condition()`, …). */
export interface PrimitiveDecl {
  readonly kind: Exclude<ObjectKind, "var">;
  /** For a condition: the name of the mutex in `shared` it is bound to (none: it has its own). */
  readonly lock?: string;
  /** Semaphore value, WaitGroup count, Barrier parties or queue capacity. */
  readonly size?: number;
  readonly [DECL]: true;
}
const DECL = Symbol("interleave.explore.decl");

/** A plain shared value: what a var may hold (and what a queue may carry). */
export type PlainValue = number | string | boolean | null | undefined | bigint;

/** What a `shared` entry may be: a plain value, an array of them, a primitive, or an array of primitives. */
export type SharedInit = PlainValue | PlainValue[] | PrimitiveDecl | PrimitiveDecl[];

const decl = (kind: PrimitiveDecl["kind"], extra: { lock?: string; size?: number } = {}): PrimitiveDecl =>
  Object.freeze({ kind, ...extra, [DECL]: true as const });

function wholeNumber(fn: string, what: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > 1_000_000) {
    throw new ExploreInputError(`${fn}: ${what} must be a whole number from ${min} to 1,000,000, got ${describe(v)}`);
  }
  return v;
}

/**
 * Declarations of shared primitives for a model's `shared`, each with the
 * library's semantics: `sim.mutex()`, `sim.condition()` (its own lock) or
 * `sim.condition("lock")` (bound to the mutex named "lock"), `sim.semaphore(1)`,
 * `sim.barrier(parties)`, `sim.waitGroup(count)`, `sim.queue(capacity)`.
 */
export const sim = Object.freeze({
  mutex: (): PrimitiveDecl => decl("mutex"),
  condition: (lock?: string): PrimitiveDecl => {
    if (lock !== undefined && (typeof lock !== "string" || lock === "")) {
      throw new ExploreInputError(`sim.condition(lock): lock names a mutex in the model's shared, e.g. sim.condition("lock"); got ${describe(lock)}`);
    }
    return decl("condition", lock === undefined ? {} : { lock });
  },
  semaphore: (value = 1): PrimitiveDecl => decl("semaphore", { size: wholeNumber("sim.semaphore", "value", value, 0) }),
  barrier: (parties: number): PrimitiveDecl => decl("barrier", { size: wholeNumber("sim.barrier", "parties", parties, 1) }),
  waitGroup: (count = 0): PrimitiveDecl => decl("waitgroup", { size: wholeNumber("sim.waitGroup", "count", count, 0) }),
  queue: (capacity: number): PrimitiveDecl => decl("queue", { size: wholeNumber("sim.queue", "capacity", capacity, 1) }),
});

export function isDecl(x: unknown): x is PrimitiveDecl {
  return typeof x === "object" && x !== null && (x as { [DECL]?: true })[DECL] === true;
}

/** True for the values the explorer can compare and hash: numbers, strings, booleans, null, undefined, bigints. */
export function isPlain(v: unknown): v is PlainValue {
  const t = typeof v;
  return t === "number" || t === "string" || t === "boolean" || v === null || t === "undefined" || t === "bigint";
}

/** A short description of any value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "function") return `a function (${v.name || "anonymous"})`;
  if (typeof v === "symbol") return `a symbol (${String(v.description)})`;
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object") {
    const c = (v as object).constructor?.name;
    return c && c !== "Object" ? `a ${c}` : "an object";
  }
  return String(v);
}

/** Formats a shared value for labels and tables. */
export function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  return String(v);
}

/** The context every step of one model shares: counts steps made and taken, to catch a missing `yield`. */
export interface StepContext {
  made: number;
  taken: number;
  last: Step | null;
}

/**
 * One shared step, made by a handle and yielded by a thread. Handles reuse their
 * step objects (the explorer copies what it needs when the step is yielded), so
 * making a step allocates nothing.
 */
export class Step {
  a: unknown = undefined;
  b: unknown = undefined;
  constructor(
    readonly ctx: StepContext,
    readonly op: number,
    readonly obj: number,
  ) {}
}

abstract class Handle {
  constructor(
    /** @internal */ readonly ctx: StepContext,
    /** The object's index in the model. */ readonly id: number,
    /** The name in the model's `shared` ("balance", "forks[2]"). */ readonly name: string,
  ) {}
  /**
   * The method that makes this object's step `op`. Each handle keeps one Step per
   * op and hands it out again at every call (the explorer copies what it needs), so
   * making a step allocates nothing. `arg`, when given, checks the call's arguments
   * (it raises on a bad one) and gives the step's argument; a second argument (cas)
   * is kept as given. Each call counts as made, to catch a missing `yield`.
   */
  protected maker<A extends unknown[] = []>(op: number, arg?: (...args: A) => unknown): (...args: A) => Step {
    const s = new Step(this.ctx, op, this.id);
    const ctx = this.ctx;
    const check = arg as ((a?: unknown, b?: unknown) => unknown) | undefined;
    const make = (a?: unknown, b?: unknown): Step => {
      if (check) {
        s.a = check(a, b);
        s.b = b;
      }
      ctx.made++;
      ctx.last = s;
      return s;
    };
    // A step takes at most two arguments: `make` reads them without a rest array.
    return make as unknown as (...args: A) => Step;
  }
  /** A step argument that must be a plain value (the explorer compares and hashes them). */
  protected plain(where: string, v: unknown): PlainValue {
    if (!isPlain(v)) throw unhashable(`${this.name}.${where}`, v);
    return v;
  }
  /** A step argument that must be a whole number >= min (no minimum: any whole number). */
  protected whole(where: string, n: unknown, min = -Infinity): number {
    if (typeof n === "number" && Number.isInteger(n) && n >= min) return n;
    const range = min === -Infinity ? "" : ` >= ${min}`;
    throw new ExploreInputError(`${this.name}.${where}: n must be a whole number${range}, got ${describe(n)}`);
  }
  toString(): string {
    return `[${this.kind} ${this.name}]`;
  }
  abstract readonly kind: ObjectKind;
}

/** A shared variable: `yield x.read()`, `yield x.write(v)`, `yield x.add(d)` (atomic, returns the old value), `yield x.cas(expected, v)`. */
export class VarHandle extends Handle {
  readonly kind = "var" as const;
  /** Reads the value (one step). */
  readonly read = this.maker(OP.READ);
  /** Writes `value` (one step). Values are numbers, strings, booleans, null or undefined. */
  readonly write = this.maker(OP.WRITE, (value: PlainValue) => this.plain("write(value)", value));
  /** Atomically adds `delta` (one step, like Atomics.add); the step's result is the old value. */
  readonly add = this.maker(OP.ADD, (delta: number = 1) => {
    if (typeof delta !== "number") throw new ExploreInputError(`${this.name}.add(delta): delta must be a number, got ${describe(delta)}`);
    return delta;
  });
  /** Atomically: if the value is `expected`, writes `value` (like Atomics.compareExchange); the result is the old value. */
  readonly cas = this.maker(OP.CAS, (expected: PlainValue, value: PlainValue) => {
    this.plain("cas(expected, value)", value);
    return expected;
  });
}

/** A Mutex: `yield m.lock()` (blocks while another thread holds it), `yield m.unlock()`, `yield m.tryLock()` → boolean. */
export class MutexHandle extends Handle {
  readonly kind = "mutex" as const;
  readonly lock = this.maker(OP.LOCK);
  readonly unlock = this.maker(OP.UNLOCK);
  readonly tryLock = this.maker(OP.TRYLOCK);
}

/**
 * A Condition bound to a mutex (`.lock`). `yield c.wait()` needs the lock held:
 * releases it and sleeps until a notify, then takes the lock again (a step of its
 * own) before the thread goes on. `notify()` wakes the longest-waiting thread,
 * `notifyAll()` every waiter; a notify with no waiter is lost. `acquire()` /
 * `release()` lock and unlock `.lock`.
 */
export class ConditionHandle extends Handle {
  readonly kind = "condition" as const;
  readonly wait = this.maker(OP.CWAIT);
  readonly notify = this.maker(OP.NOTIFY, (n: number = 1) => this.whole("notify(n)", n, 0));
  readonly notifyAll = this.maker(OP.NOTIFYALL);
  constructor(
    ctx: StepContext,
    id: number,
    name: string,
    readonly lock: MutexHandle,
  ) {
    super(ctx, id, name);
  }
  acquire(): Step {
    return this.lock.lock();
  }
  release(): Step {
    return this.lock.unlock();
  }
}

/** A Semaphore: `yield s.acquire()` (blocks while 0), `yield s.release(n)`, `yield s.tryAcquire()` → boolean. */
export class SemaphoreHandle extends Handle {
  readonly kind = "semaphore" as const;
  readonly acquire = this.maker(OP.ACQUIRE);
  readonly release = this.maker(OP.RELEASE, (n: number = 1) => this.whole("release(n)", n, 1));
  readonly tryAcquire = this.maker(OP.TRYACQUIRE);
}

/** A Barrier (Python's semantics): `yield b.wait()` blocks until `parties` threads have arrived; the result is the arrival index. */
export class BarrierHandle extends Handle {
  readonly kind = "barrier" as const;
  readonly wait = this.maker(OP.BWAIT);
  constructor(
    ctx: StepContext,
    id: number,
    name: string,
    readonly parties: number,
  ) {
    super(ctx, id, name);
  }
}

/** A WaitGroup: `yield wg.add(n)`, `yield wg.done()`, `yield wg.wait()` (blocks until the count is 0). Below zero raises RangeError. */
export class WaitGroupHandle extends Handle {
  readonly kind = "waitgroup" as const;
  readonly add = this.maker(OP.WGADD, (n: number = 1) => this.whole("add(n)", n));
  readonly done = this.maker(OP.WGADD, () => -1);
  readonly wait = this.maker(OP.WGWAIT);
}

/**
 * A BoundedQueue: `yield q.put(v)` blocks while full (ClosedError once closed),
 * `yield q.get()` blocks while empty and gives undefined once closed and drained,
 * `yield q.close()`, `yield q.size()`.
 */
export class QueueHandle extends Handle {
  readonly kind = "queue" as const;
  readonly put = this.maker(OP.PUT, (item: PlainValue) => this.plain("put(item)", item));
  readonly get = this.maker(OP.GET);
  readonly close = this.maker(OP.CLOSE);
  readonly size = this.maker(OP.SIZE);
  constructor(
    ctx: StepContext,
    id: number,
    name: string,
    readonly capacity: number,
  ) {
    super(ctx, id, name);
  }
}

export type AnyHandle = VarHandle | MutexHandle | ConditionHandle | SemaphoreHandle | BarrierHandle | WaitGroupHandle | QueueHandle;

/** Each kind's handle for object `o` (a condition's is bound to the handle of its mutex). */
const NEW_HANDLE: Record<ObjectKind, (c: StepContext, o: ObjectInfo, mutex: () => MutexHandle) => AnyHandle> = {
  var: (c, o) => new VarHandle(c, o.id, o.name),
  mutex: (c, o) => new MutexHandle(c, o.id, o.name),
  condition: (c, o, mutex) => new ConditionHandle(c, o.id, o.name, mutex()),
  semaphore: (c, o) => new SemaphoreHandle(c, o.id, o.name),
  barrier: (c, o) => new BarrierHandle(c, o.id, o.name, o.size),
  waitgroup: (c, o) => new WaitGroupHandle(c, o.id, o.name),
  queue: (c, o) => new QueueHandle(c, o.id, o.name, o.size),
};

function unhashable(where: string, v: unknown): ExploreInputError {
  return new ExploreInputError(
    `${where}: ${describe(v)} cannot be shared in a model; shared values are numbers, strings, booleans, null or undefined ` +
      `(the explorer compares and hashes them). Use several variables, or an array in shared (e.g. cells: [0, 0, 0]), for more`,
  );
}

/** A thread body: a generator function over its argument `{ id, n, ...handles, ...params }`. */
// biome-ignore lint/suspicious/noExplicitAny: a body destructures its handles and params, and a yield's result is whatever its step gives
export type ThreadBody = (arg: any) => Iterator<Step, unknown, any>;

export type Grade = "expected" | "acceptable" | "forbidden";
/** How to grade an outcome: a function, or a table (outcomes missing from it are forbidden, "deadlock" too). */
export type OutcomeGrader = ((outcome: string) => Grade) | Record<string, Grade>;

/** The final shared state an outcome function receives: vars as values, arrays as arrays, primitives summarised. */
export type FinalState = Record<string, unknown>;

export interface ModelSpec {
  /** Shown in results and charts. */
  name: string;
  /** Named shared state: plain values (vars), arrays of them, or primitives from `sim`. */
  shared?: Record<string, SharedInit>;
  /** One generator function per thread, or one body that `n` threads run. */
  threads: ThreadBody | ThreadBody[];
  /** With one body: how many threads run it (default 2). */
  n?: number;
  /** Passed to every thread inside its argument, beside id, n and the handles. Plain data. */
  params?: Record<string, unknown>;
  /** The outcome of a finished schedule, from the final shared state and each thread's return value. Default: the vars' values. */
  outcome?: (final: FinalState, results: unknown[]) => string | number | boolean;
  /** Grades outcomes (JCStress style). Default: every finished outcome expected; "deadlock" and errors forbidden. */
  grade?: OutcomeGrader;
  /** Names shown beside the thread ids in lanes and tables, e.g. ["stingy", "spendy"]. */
  threadNames?: string[];
}

export interface ObjectInfo {
  id: number;
  name: string;
  kind: ObjectKind;
  /** A var's initial value. */
  init: PlainValue;
  /** Semaphore value, WaitGroup count, Barrier parties, queue capacity. */
  size: number;
  /** A condition's mutex (object id), -1 otherwise. */
  mutex: number;
}

export const MAX_THREADS = 16;

/** A checked, compiled model: what explore, replay and the stepper run. Make one with `model(spec)`. */
export class Model {
  readonly name: string;
  /** Number of threads. */
  readonly n: number;
  readonly objects: ObjectInfo[];
  readonly threadNames: string[];
  /** @internal */ readonly bodies: ThreadBody[];
  /** @internal */ readonly args: object[];
  /** @internal */ readonly ctx: StepContext = { made: 0, taken: 0, last: null };
  /** @internal The shape of `shared`: name → object id, or ids for an array. */
  readonly layout: { name: string; ids: number | number[] }[] = [];
  /** @internal */ readonly outcomeFn: ModelSpec["outcome"];
  /** @internal */ readonly grader: OutcomeGrader | undefined;
  /** The number of vars (they come first among the objects). */
  readonly vars: number;
  /** @internal The spec's params (plain data), for running the bodies on real threads. */
  readonly params: Record<string, unknown>;

  constructor(spec: ModelSpec) {
    if (spec === null || typeof spec !== "object")
      throw new ExploreInputError(`model(spec): spec must be an object { name, shared, threads, … }, got ${describe(spec)}`);
    const known = ["name", "shared", "threads", "n", "params", "outcome", "grade", "threadNames"];
    for (const k of Object.keys(spec)) {
      if (!known.includes(k)) throw new ExploreInputError(`model(spec): unknown key ${JSON.stringify(k)}; the keys are ${known.join(", ")}`);
    }
    if (typeof spec.name !== "string" || spec.name.trim() === "")
      throw new ExploreInputError(`model(spec): name must be a non-empty string, got ${describe(spec.name)}`);
    this.name = spec.name;
    const bodies = typeof spec.threads === "function" ? new Array(spec.n ?? 2).fill(spec.threads) : spec.threads;
    if (typeof spec.threads === "function" && spec.n !== undefined && (!Number.isInteger(spec.n) || spec.n < 1 || spec.n > MAX_THREADS)) {
      throw new ExploreInputError(`model "${this.name}": n must be a whole number from 1 to ${MAX_THREADS}, got ${describe(spec.n)}`);
    }
    if (typeof spec.threads !== "function" && spec.n !== undefined)
      throw new ExploreInputError(`model "${this.name}": n goes with a single thread body; with an array of bodies the array says how many`);
    if (!Array.isArray(bodies) || bodies.length < 1 || bodies.length > MAX_THREADS || bodies.some((b) => typeof b !== "function")) {
      throw new ExploreInputError(
        `model "${this.name}": threads must be a generator function (function* ({ id, … }) { … }) or an array of 1 to ${MAX_THREADS} of them, got ${describe(spec.threads)}`,
      );
    }
    this.n = bodies.length;
    this.bodies = bodies;
    if (spec.outcome !== undefined && typeof spec.outcome !== "function")
      throw new ExploreInputError(`model "${this.name}": outcome must be a function (final, results) => string, got ${describe(spec.outcome)}`);
    this.outcomeFn = spec.outcome;
    if (spec.grade !== undefined && typeof spec.grade !== "function" && (spec.grade === null || typeof spec.grade !== "object")) {
      throw new ExploreInputError(
        `model "${this.name}": grade must be a function outcome => "expected" | "acceptable" | "forbidden", or a table { outcome: grade }, got ${describe(spec.grade)}`,
      );
    }
    this.grader = spec.grade;
    const names = spec.threadNames ?? [];
    if (!Array.isArray(names) || names.some((x) => typeof x !== "string"))
      throw new ExploreInputError(`model "${this.name}": threadNames must be an array of strings`);
    this.threadNames = Array.from({ length: this.n }, (_, i) => names[i] ?? "");

    // Objects: vars first (their ids index the value array), then primitives.
    const shared = spec.shared ?? {};
    if (shared === null || typeof shared !== "object" || Array.isArray(shared))
      throw new ExploreInputError(`model "${this.name}": shared must be an object { name: value or sim.… }, got ${describe(shared)}`);
    const objects: ObjectInfo[] = [];
    const entries = Object.entries(shared);
    const add = (name: string, v: unknown, varsPass: boolean): number | null => {
      if (isPlain(v)) {
        if (!varsPass) return null;
        objects.push({ id: objects.length, name, kind: "var", init: v, size: 0, mutex: -1 });
        return objects.length - 1;
      }
      if (isDecl(v)) {
        if (varsPass) return null;
        objects.push({ id: objects.length, name, kind: v.kind, init: undefined, size: v.size ?? 0, mutex: -1 });
        return objects.length - 1;
      }
      throw new ExploreInputError(
        `model "${this.name}": shared.${name} is ${describe(v)}; a shared entry is a plain value (number, string, boolean, null), ` +
          `an array of them, or a primitive from sim (sim.mutex(), sim.condition(), sim.queue(2), …). The explorer must be able to compare and hash it`,
      );
    };
    const ids = new Map<string, number | number[]>();
    for (const pass of [true, false]) {
      for (const [name, v] of entries) {
        if (!/^[A-Za-z_$][\w$]*$/.test(name))
          throw new ExploreInputError(`model "${this.name}": shared name ${JSON.stringify(name)} must be a JavaScript identifier (threads destructure it)`);
        if (Array.isArray(v)) {
          const list = v as unknown[];
          if (list.length === 0 || v.length > 1000)
            throw new ExploreInputError(`model "${this.name}": shared.${name} must have 1 to 1000 elements, got ${list.length}`);
          const plain = list.every(isPlain),
            decls = list.every(isDecl);
          if (!plain && !decls)
            throw new ExploreInputError(
              `model "${this.name}": shared.${name} mixes kinds or holds ${describe(list.find((x) => !isPlain(x) && !isDecl(x)))}; an array in shared holds plain values only, or primitives only`,
            );
          if (plain !== pass) continue;
          ids.set(
            name,
            list.map((x, i) => add(`${name}[${i}]`, x, pass)!),
          );
        } else {
          const id = add(name, v, pass);
          if (id !== null) ids.set(name, id);
        }
      }
    }
    this.vars = objects.filter((o) => o.kind === "var").length;
    // Conditions: bind each to its mutex (named, or one of its own added here).
    for (const [name, v] of entries) {
      const list = Array.isArray(v) ? v : [v];
      list.forEach((d, i) => {
        if (!isDecl(d) || d.kind !== "condition") return;
        const cid = Array.isArray(v) ? (ids.get(name) as number[])[i] : (ids.get(name) as number);
        if (d.lock !== undefined) {
          const m = ids.get(d.lock);
          if (typeof m !== "number" || objects[m].kind !== "mutex") {
            throw new ExploreInputError(
              `model "${this.name}": shared.${name} is sim.condition(${JSON.stringify(d.lock)}), but shared.${d.lock} is ${m === undefined ? "missing" : "not a mutex"}; declare ${d.lock}: sim.mutex()`,
            );
          }
          objects[cid].mutex = m;
        } else {
          objects.push({ id: objects.length, name: `${objects[cid].name}.lock`, kind: "mutex", init: undefined, size: 0, mutex: -1 });
          objects[cid].mutex = objects.length - 1;
        }
      });
    }
    this.objects = objects;

    // Handles: one per object, shared by all threads (steps carry no thread).
    const handles: AnyHandle[] = [];
    const handleOf = (o: ObjectInfo): AnyHandle => {
      if (handles[o.id]) return handles[o.id];
      const h = NEW_HANDLE[o.kind](this.ctx, o, () => handleOf(objects[o.mutex]) as MutexHandle);
      Object.freeze(h);
      handles[o.id] = h;
      return h;
    };
    objects.forEach(handleOf);
    const arg: Record<string, unknown> = {};
    for (const [name, id] of ids) {
      this.layout.push({ name, ids: id });
      arg[name] = Array.isArray(id) ? Object.freeze(id.map((i) => handles[i])) : handles[id];
    }
    const params = spec.params ?? {};
    if (params === null || typeof params !== "object" || Array.isArray(params))
      throw new ExploreInputError(`model "${this.name}": params must be an object of plain data, got ${describe(params)}`);
    for (const k of Object.keys(params)) {
      if (k === "id" || k === "n" || ids.has(k))
        throw new ExploreInputError(
          `model "${this.name}": params.${k} clashes with ${k === "id" || k === "n" ? `the thread's ${k}` : `shared.${k}`}; rename it`,
        );
    }
    this.params = params as Record<string, unknown>;
    this.args = Array.from({ length: this.n }, (_, id) => Object.freeze({ id, n: this.n, ...arg, ...params }));
  }

  /** "t0", or "t0 stingy" when the thread has a name. */
  threadLabel(t: number): string {
    return this.threadNames[t] ? `t${t} ${this.threadNames[t]}` : `t${t}`;
  }
}

/** Checks and compiles a model. Throws ExploreInputError naming what is wrong. */
export function model(spec: ModelSpec): Model {
  return new Model(spec);
}
