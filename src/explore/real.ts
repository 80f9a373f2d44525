// The lost update on real threads, step for step the model of models/races.ts:
// two worker threads each do k times "read the counter (Atomics.load), write it
// + 1 (Atomics.store)". A round is tiny, so both threads start each round
// together at a spin barrier; many rounds run and each round's final counter is
// counted. The result is what real runs saw, to set beside the explorer's list.
//
// The worker function is shipped as source: it uses only its argument and
// declares no named inner functions.
import { threads } from "../spawn/index";
import { DeadlockError } from "../spawn/deadlock";
import { RunTimeoutError } from "../spawn/errors";
import { shipFunction } from "../spawn/ship";
import { Barrier, BoundedQueue, Condition, Mutex, Semaphore, WaitGroup } from "../sync/index";
import { checkInt } from "../course/errors";
import { ExploreInputError } from "./errors";
import { describe, type Model } from "./model";

export interface RealRounds {
  k: number;
  /** Rounds run. */
  rounds: number;
  /** Final counter → rounds that ended with it. */
  counts: Record<string, number>;
  ms: number;
}

/** Runs lost update for real: rounds until `maxRounds` or `maxMs`; counts each round's final value. */
export async function lostUpdateOnThreads(opts: { k?: number; maxRounds?: number; maxMs?: number } = {}): Promise<RealRounds> {
  const k = checkInt("k", opts.k ?? 2, 1, 20);
  const maxRounds = checkInt("maxRounds", opts.maxRounds ?? 100_000, 1, 10_000_000);
  const maxMs = checkInt("maxMs", opts.maxMs ?? 1_000, 1, 600_000);
  const HIST = 8;
  const shared = new Int32Array(new SharedArrayBuffer(4 * (HIST + 2 * k + 1)));
  const t0 = performance.now();
  await threads.run(
    2,
    ({ id, shared, k, maxRounds, maxMs }: { id: number; shared: Int32Array; k: number; maxRounds: number; maxMs: number }) => {
      const C = 0,
        ARRIVE = 1,
        GEN = 2,
        STOP = 3,
        HIST = 8;
      const end = performance.now() + maxMs;
      let seed = 0x9e3779b9 ^ (id * 0x85ebca6b);
      for (let r = 0; r < maxRounds; r++) {
        let stop = false;
        for (let phase = 0; phase < 2 && !stop; phase++) {
          // Both threads leave here together: a two-party barrier on a generation word.
          const g = Atomics.load(shared, GEN);
          if (Atomics.add(shared, ARRIVE, 1) === 1) {
            Atomics.store(shared, ARRIVE, 0);
            Atomics.add(shared, GEN, 1);
            Atomics.notify(shared, GEN);
          } else {
            let spins = 0;
            while (Atomics.load(shared, GEN) === g) if (++spins > 5000) Atomics.wait(shared, GEN, g, 1);
          }
          if (phase === 0) {
            if (Atomics.load(shared, STOP)) stop = true;
            else {
              // A random pause of 0 to ~1 µs: local work, free in the model, that shifts
              // the threads against each other so that their steps interleave in many ways.
              seed ^= seed << 13;
              seed ^= seed >>> 17;
              seed ^= seed << 5;
              for (let s = (seed >>> 0) % 256; s > 0; s--) Atomics.load(shared, STOP);
              for (let i = 0; i < k; i++) {
                const v = Atomics.load(shared, C); // the model's read step
                Atomics.store(shared, C, v + 1); // and its write step
              }
            }
          } else if (id === 0) {
            // Both are done: count the round's end value, reset for the next.
            Atomics.add(shared, HIST + Atomics.load(shared, C), 1);
            Atomics.store(shared, C, 0);
            if (performance.now() > end) Atomics.store(shared, STOP, 1);
          }
        }
        if (stop) break;
      }
    },
    { shared, k, maxRounds, maxMs },
    { trace: false },
  );
  const counts: Record<string, number> = {};
  let rounds = 0;
  for (let v = 0; v <= 2 * k; v++) {
    if (shared[HIST + v]) counts[String(v)] = shared[HIST + v];
    rounds += shared[HIST + v];
  }
  return { k, rounds, counts, ms: performance.now() - t0 };
}

// ---- Any model on real threads ------------------------------------------------------------------

// The worker side, as JavaScript source run with `new Function` in each worker, so
// that no bundler or loader rewrites it (threads.run ships functions as source).
// It gives the thread body the same handles the explorer gives it, and performs
// each yielded step on the real shared memory and the real primitives: a read is
// Atomics.load, a lock is Mutex.lock, a wait is Condition.wait, and so on. An error
// a primitive raises is raised inside the thread, as in the explorer.
const DRIVER = `(function (id, n, bodySource, layout, K, vars, prims, params, meet, gates, finished, results, slot, from, to, stop, deadline, queueWait) {
  var off = 0;
  function step(op, i, a, b) { return { op: op, i: i, a: a, b: b }; }
  function one(kind, i) {
    switch (kind) {
      case "var": return { read: function () { return step("read", i); }, write: function (v) { return step("write", i, v); },
        add: function (d) { return step("add", i, d === undefined ? 1 : d); }, cas: function (e, v) { return step("cas", i, e, v); } };
      case "mutex": return { lock: function () { return step("lock", i); }, unlock: function () { return step("unlock", i); }, tryLock: function () { return step("tryLock", i); } };
      case "condition": return { wait: function () { return step("wait", i); }, notify: function (k) { return step("notify", i, k === undefined ? 1 : k); },
        notifyAll: function () { return step("notifyAll", i); }, acquire: function () { return step("acquire", i); }, release: function () { return step("release", i); },
        lock: { lock: function () { return step("acquire", i); }, unlock: function () { return step("release", i); }, tryLock: function () { return step("tryAcquire", i); } } };
      case "semaphore": return { acquire: function () { return step("semAcquire", i); }, release: function (k) { return step("semRelease", i, k === undefined ? 1 : k); }, tryAcquire: function () { return step("semTry", i); } };
      case "barrier": return { wait: function () { return step("barrierWait", i); } };
      case "waitgroup": return { add: function (k) { return step("wgAdd", i, k === undefined ? 1 : k); }, done: function () { return step("wgAdd", i, -1); }, wait: function () { return step("wgWait", i); } };
      case "queue": return { put: function (v) { return step("put", i, v); }, get: function () { return step("get", i); }, close: function () { return step("close", i); }, size: function () { return step("size", i); } };
    }
    throw new Error("unknown kind " + kind);
  }
  var arg = { id: id, n: n };
  layout.forEach(function (e) { arg[e.name] = Array.isArray(e.ids) ? e.ids.map(function (i) { return one(e.kind, i); }) : one(e.kind, e.ids); });
  for (var p in params) arg[p] = params[p];
  var body = (new Function("return (" + bodySource + ")"))();
  var enc = new TextEncoder();
  for (var r = from; r < to; r++) {
    // Time is up: t0 names the round where everyone stops (r + 1, so never 0), before
    // it arrives. A round number, not a flag: a slow thread still in round r must not
    // take t0's stop for round r + 1 as its own and leave the others waiting.
    if (id === 0 && performance.now() > deadline) Atomics.store(stop, 0, r + 1);
    // Every thread arrives at the barrier (a library primitive: the run's deadlock
    // watchdog sees a thread waiting there as blocked), then all spin until all are
    // awake, so that the round's first steps start close together.
    meet.wait();
    Atomics.add(gates, r, 1);
    while (Atomics.load(gates, r) < n) { /* spin: everyone is awake and on its way */ }
    if (Atomics.load(stop, 0) === r + 1) break;
    off = r * K;
    var g = body(arg), res0 = g.next();
    while (!res0.done) {
      var s = res0.value, res = undefined, err = null, o = prims[off + s.i];
      try {
        switch (s.op) {
          case "read": res = Atomics.load(vars, off + s.i); break;
          case "write": Atomics.store(vars, off + s.i, s.a); break;
          case "add": res = Atomics.add(vars, off + s.i, s.a); break;
          case "cas": res = Atomics.compareExchange(vars, off + s.i, s.a, s.b); break;
          case "lock": o.lock(); break;
          case "unlock": o.unlock(); break;
          case "tryLock": res = o.tryLock(); break;
          case "wait": res = o.wait(); break;
          case "notify": o.notify(s.a); break;
          case "notifyAll": o.notifyAll(); break;
          case "acquire": o.acquire(); break;
          case "release": o.release(); break;
          case "tryAcquire": res = o.lock.tryLock(); break;
          case "semAcquire": res = o.acquire(); break;
          case "semRelease": o.release(s.a); break;
          case "semTry": res = o.tryAcquire(); break;
          case "barrierWait": res = o.wait(); break;
          case "wgAdd": o.add(s.a); break;
          case "wgWait": res = o.wait(); break;
          // The run's watchdog leaves queue waits alone (a cell may still feed a queue):
          // a put or get that waits longer than queueWait ms counts as blocked for good.
          case "put": o.put(s.a, queueWait); break;
          case "get": res = o.get(queueWait); break;
          case "close": o.close(); break;
          case "size": res = o.size; break;
          default: throw new Error("not a step of the model: " + JSON.stringify(s));
        }
      } catch (x) {
        if (x && x.name === "TimeoutError" && (s.op === "put" || s.op === "get")) return "stuck";
        err = x;
      }
      res0 = err ? g.throw(err) : g.next(res);
    }
    var bytes = enc.encode(JSON.stringify(res0.value === undefined ? null : res0.value));
    if (bytes.length > slot - 4) throw new Error("thread " + id + " returned more than " + (slot - 4) + " bytes of JSON; return a short value");
    var at = (r * n + id) * slot;
    new DataView(results.buffer, results.byteOffset).setInt32(at, bytes.length, true);
    results.set(bytes, at + 4);
    Atomics.add(finished, r, 1);
  }
  return null;
})`;

// biome-ignore lint/suspicious/noExplicitAny: what runOnThreads gives each worker (built there), read by the driver
type WorkerArg = Record<string, any>;

export interface RealRun {
  model: string;
  /** Rounds run (each a fresh threads.run of the model's threads). */
  rounds: number;
  /** Outcome → rounds that ended with it ("deadlock" when the run's watchdog stopped a stuck round). */
  counts: Record<string, number>;
  ms: number;
}

/**
 * Runs a model's own thread bodies on real worker threads, `rounds` times (or for
 * `maxMs`), each round with fresh shared memory and fresh library primitives, the
 * threads starting together at a gate; counts each round's outcome with the
 * model's outcome function. Vars must hold whole numbers (an Int32Array holds them)
 * and queues carry whole numbers. A round whose threads all block is stopped by
 * the run's deadlock watchdog after `deadlockAfter` ms (default 1 s: on a busy machine the
 * threads of a round can all be waiting that long for the last one to start) and counted as "deadlock".
 * The bodies are shipped as source: they may use only their argument.
 */
export async function runOnThreads(m: Model, opts: { rounds?: number; maxMs?: number; deadlockAfter?: number } = {}): Promise<RealRun> {
  const rounds = checkInt("rounds", opts.rounds ?? 200, 1, 10_000);
  const maxMs = checkInt("maxMs", opts.maxMs ?? 3_000, 1, 600_000);
  const deadlockAfter = checkInt("deadlockAfter", opts.deadlockAfter ?? 1_000, 10, 60_000);
  for (const o of m.objects) {
    if (o.kind === "var" && !(typeof o.init === "number" && Number.isInteger(o.init) && (o.init | 0) === o.init)) {
      throw new ExploreInputError(
        `runOnThreads: ${m.name}'s shared ${o.name} starts at ${describe(o.init)}; on real threads vars are whole numbers (an Int32Array holds them)`,
      );
    }
  }
  const n = m.n,
    K = m.objects.length,
    SLOT = 256;
  const sources = m.bodies.map((b, t) => shipFunction(b, `the body of thread t${t}`).source);
  const layout = m.layout.map(({ name, ids }) => ({ name, ids, kind: m.objects[Array.isArray(ids) ? ids[0] : ids].kind }));
  // Every round has its own vars, primitives, start gate and result slots.
  const vars = new Int32Array(new SharedArrayBuffer(4 * rounds * K));
  const prims: unknown[] = new Array(rounds * K).fill(null);
  for (let r = 0; r < rounds; r++) {
    const make = (i: number): unknown => {
      const at = r * K + i;
      if (prims[at]) return prims[at];
      const o = m.objects[i];
      switch (o.kind) {
        case "var":
          vars[at] = o.init as number;
          return null;
        case "mutex":
          prims[at] = new Mutex({ label: o.name });
          break;
        case "condition":
          prims[at] = new Condition(make(o.mutex) as Mutex, { label: o.name });
          break;
        case "semaphore":
          prims[at] = new Semaphore(o.size, { label: o.name });
          break;
        case "barrier":
          prims[at] = new Barrier(o.size, { label: o.name });
          break;
        case "waitgroup":
          prims[at] = new WaitGroup(o.size, { label: o.name });
          break;
        case "queue":
          prims[at] = new BoundedQueue(o.size, { item: "int32", label: o.name });
          break;
      }
      return prims[at];
    };
    for (let i = 0; i < K; i++) make(i);
  }
  const gates = new Int32Array(new SharedArrayBuffer(4 * rounds));
  const finished = new Int32Array(new SharedArrayBuffer(4 * rounds));
  const results = new Uint8Array(new SharedArrayBuffer(rounds * n * SLOT));
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  const deadline = performance.timeOrigin + t0 + maxMs;
  const dv = new DataView(results.buffer);
  const dec = new TextDecoder();
  let r = 0;
  const outcomeOfRound = (round: number): string => {
    const res = Array.from({ length: n }, (_, t) => {
      const at = (round * n + t) * SLOT;
      return JSON.parse(dec.decode(results.slice(at + 4, at + 4 + dv.getInt32(at, true))));
    });
    const final: Record<string, unknown> = {};
    for (const { name, ids } of m.layout) {
      const val = (i: number) => (m.objects[i].kind === "var" ? vars[round * K + i] : null);
      final[name] = Array.isArray(ids) ? ids.map(val) : val(ids);
    }
    if (m.outcomeFn) return String(m.outcomeFn(final, res));
    const vs = m.layout.filter((l) => !Array.isArray(l.ids) && m.objects[l.ids as number].kind === "var");
    return vs.length === 1 ? String(final[vs[0].name]) : vs.map((l) => `${l.name}=${final[l.name]}`).join(", ");
  };
  while (r < rounds && !Atomics.load(stop, 0)) {
    let deadlocked = false;
    try {
      const meet = new Barrier(n, { label: "round start" });
      await threads.run(
        n,
        ({ id, n, driver, sources, layout, K, vars, prims, params, meet, gates, finished, results, slot, from, to, stop, deadline, queueWait }: WorkerArg) =>
          new Function(`return ${driver}`)()(
            id,
            n,
            sources[id],
            layout,
            K,
            vars,
            prims,
            params,
            meet,
            gates,
            finished,
            results,
            slot,
            from,
            to,
            stop,
            deadline - performance.timeOrigin,
            queueWait,
          ),
        {
          driver: DRIVER,
          sources,
          layout,
          K,
          vars,
          prims,
          params: m.params,
          meet,
          gates,
          finished,
          results,
          slot: SLOT,
          from: r,
          to: rounds,
          stop,
          deadline,
          queueWait: deadlockAfter,
        },
        { deadlockAfter, trace: false, timeout: maxMs + 10_000 },
      );
    } catch (e) {
      if (e instanceof RunTimeoutError) {
        counts["stuck (the run timed out)"] = (counts["stuck (the run timed out)"] ?? 0) + 1;
        break;
      }
      if (!(e instanceof DeadlockError)) throw e;
      deadlocked = true;
    }
    // Rounds every thread finished, in order; the first round that started but did
    // not finish deadlocked (the watchdog stopped the run, or a thread gave up on a
    // queue), unless it is the round where time ran out (everyone left at its start).
    while (r < rounds && finished[r] === n) {
      const o = outcomeOfRound(r++);
      counts[o] = (counts[o] ?? 0) + 1;
    }
    if (r >= rounds || (!deadlocked && (gates[r] < n || Atomics.load(stop, 0) === r + 1))) break;
    counts.deadlock = (counts.deadlock ?? 0) + 1;
    r++;
    if (performance.now() - t0 > maxMs) break;
  }
  return { model: m.name, rounds: Object.values(counts).reduce((a, b) => a + b, 0), counts, ms: performance.now() - t0 };
}
