// Chapters 7–8: barriers. Two workers with different work times meeting at a
// barrier, and the course's barrier matrix multiply: the main thread draws fresh
// matrices into shared memory, then every worker waits at "work start", computes
// its rows (id, id + n, …), and waits at "work complete" while main checks the sum.
// The same code runs on worker threads (SharedArrayBuffer) or on child processes
// (named shared-memory segments): only `kind` changes.
//
// Worker functions here are shipped to workers as source text, so they must not
// use anything from this module's scope and must not declare named inner
// functions (tsx's keepNames would add a `__name` call the worker cannot see).
import type { Spawner } from "../spawn/api";
import type { Run } from "../spawn/run";
import { Barrier, BrokenBarrierError, SharedArray } from "../sync/index";
import type { Sharing } from "../sync/memory";
import { checkInt, CourseInputError } from "./errors";
import { checksum, MATMUL_DEFAULTS, randomMatrix, type MatmulResult } from "./matmul";
import { Rng } from "./prng";
import { courseWorkers, type ParallelKind } from "./workers";

export type { ParallelKind } from "./workers";

export interface MeetOptions {
  /** How many times the workers meet (default 10). */
  rounds?: number;
  /** Busy work per round for each worker, ms (default [20, 60]: one fast, one slow). */
  workMs?: number[];
  kind?: ParallelKind;
}

export interface MeetResult {
  run: Run<number[]>;
  /** For each worker, the arrival index it got at every round (0 = arrived first). */
  arrivals: number[][];
}

/**
 * `workMs.length` workers each do `workMs[id]` ms of busy work, then wait at one
 * shared barrier, `rounds` times. Nobody starts round r + 1 before everyone finished
 * round r, so the fast workers spend the difference blocked. Resolves when all are
 * done; rejects with the run's error (a worker failure or the deadlock watchdog).
 */
export async function meetAtBarrier(opts: MeetOptions = {}): Promise<MeetResult> {
  const rounds = checkInt("rounds", opts.rounds ?? 10, 1, 10_000);
  const workMs = opts.workMs ?? [20, 60];
  if (!Array.isArray(workMs) || workMs.length < 1 || workMs.some((m) => typeof m !== "number" || !(m >= 0) || m > 10_000)) {
    throw new CourseInputError(`meetAtBarrier: workMs must be a non-empty array of ms from 0 to 10000 (one per worker), got ${JSON.stringify(workMs)}`);
  }
  const { spawner, shared } = courseWorkers(opts.kind ?? "threads", "meetAtBarrier");
  const barrier = new Barrier(workMs.length, { label: "meeting point", shared });
  try {
    const run = await spawner.run(
      workMs.length,
      ({ id, barrier, workMs, rounds }) => {
        const arrivals: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const until = performance.now() + workMs[id];
          while (performance.now() < until); // busy: the timeline shows it as running
          arrivals.push(barrier.wait());
        }
        return arrivals;
      },
      { barrier, workMs, rounds },
      { deadlockAfter: 10_000 },
    );
    return { run, arrivals: run.results };
  } finally {
    barrier.dispose();
  }
}

export interface BarrierMatmulOptions {
  /** Workers (threads or processes), default 2. */
  workers?: number;
  /** Matrix size n (n×n), default 200. */
  n?: number;
  /** Rounds of fresh matrices, default 10. */
  rounds?: number;
  seed?: number;
  kind?: ParallelKind;
  /**
   * false (default): the course's loop, two barriers per round; the workers wait while
   * the caller draws the next matrices and folds the result (the serial part).
   * true: two sets of matrices and one barrier per round; the caller draws round r + 1
   * and folds round r − 1 while the workers compute round r, so the serial part
   * overlaps the parallel one.
   */
  overlap?: boolean;
  /** Record the trace (default true). */
  trace?: boolean;
}

/** checksum and sum mean what matmulRounds() gives: equal results, equal numbers. */
export interface BarrierMatmulResult extends MatmulResult {
  kind: ParallelKind;
  workers: number;
  /** Wall time of the whole call (starting workers included), ms. */
  ms: number;
  /** Wall time from the first "work start" to the last "work complete", ms. */
  computeMs: number;
  /** Of computeMs, the caller's own work between meetings (drawing a and b, folding c), ms. */
  serialMs: number;
  overlap: boolean;
  run: Run<number>;
}

/**
 * The course's barrier matrix multiply: `rounds` times, the caller's thread draws a
 * and b (values −5..5, from one Rng seeded once, a then b, exactly as matmulRounds),
 * then all parties meet at "work start"; worker id computes rows id, id + workers, …
 * of c = a × b, and all meet at "work complete", after which the caller folds c into
 * the checksum. Results equal matmulRounds() with the same n, rounds and seed.
 * With { overlap: true }, the caller's part overlaps the workers' (overlapped()).
 *
 * Rejects with the worker's error if one fails (the barriers are aborted so nobody
 * waits forever); the shared memory is always released.
 */
export async function barrierMatmul(opts: BarrierMatmulOptions = {}): Promise<BarrierMatmulResult> {
  const { kind, spawner, shared, maxWorkers } = courseWorkers(opts.kind ?? "threads", "barrierMatmul");
  const workers = checkInt("workers", opts.workers ?? 2, 1, maxWorkers);
  const n = checkInt("n", opts.n ?? MATMUL_DEFAULTS.n, 1, 2048);
  const rounds = checkInt("rounds", opts.rounds ?? MATMUL_DEFAULTS.rounds, 1, 100_000);
  const seed = checkInt("seed", opts.seed ?? MATMUL_DEFAULTS.seed, 0, 0xffffffff);
  const overlap = Boolean(opts.overlap);
  const t0 = performance.now();
  const made: { dispose(): void }[] = [];
  const keep = <T extends { dispose(): void }>(x: T): T => {
    made.push(x);
    return x;
  };
  try {
    const version = (overlap ? overlapped : lockStep)({ spawner, shared, workers, n, rounds, trace: opts.trace ?? true, keep });
    const breakBarriers = () => {
      for (const b of version.barriers) b.abort();
    };
    version.running.catch(breakBarriers); // a worker failed: the caller's rounds must not wait forever
    const rng = new Rng(seed);
    let h = 0,
      sum = 0;
    const caller: CallerSide = {
      draw(m) {
        randomMatrix(n, rng, m.a.values);
        randomMatrix(n, rng, m.b.values);
      },
      fold(m) {
        const cv = m.c.values;
        h = checksum(cv, h);
        for (let i = 0; i < cv.length; i++) sum += cv[i];
      },
    };
    let timing: CallerTiming;
    try {
      timing = await version.callerRounds(caller);
    } catch (e) {
      breakBarriers(); // the caller failed: no worker may wait forever either
      await version.running.catch((err: unknown) => {
        throw e instanceof BrokenBarrierError ? err : e; // the worker's error is the real cause
      });
      throw e;
    }
    const computeMs = performance.now() - timing.computeStart;
    const run = await version.running;
    return { kind, workers, n, rounds, seed, checksum: h, sum, ms: performance.now() - t0, computeMs, serialMs: timing.serialMs, overlap, run };
  } finally {
    for (const m of made) m.dispose();
  }
}

/** One set of shared matrices: c = a × b. */
interface Matrices {
  a: SharedArray<"int32">;
  b: SharedArray<"int32">;
  c: SharedArray<"int32">;
}

/** What both versions are given: the workers to start, the matrices' size, and `keep`, which releases a shared object when the call ends. */
interface VersionSetup {
  spawner: Spawner;
  shared: Sharing;
  workers: number;
  n: number;
  rounds: number;
  trace: boolean;
  keep<T extends { dispose(): void }>(x: T): T;
}

/** The caller's own work, the same in both versions: draw a and b of the next round (from one Rng, a then b); fold a finished c into the checksum and sum. */
interface CallerSide {
  draw(m: Matrices): void;
  fold(m: Matrices): void;
}

interface CallerTiming {
  /** When the first round's computing began. */
  computeStart: number;
  /** The caller's own work between meetings, ms. */
  serialMs: number;
}

/** A version of the multiply, its workers started: the barriers they meet at (broken when either side fails), and the caller's part of the rounds. */
interface MatmulVersion {
  running: Promise<Run<number>>;
  barriers: Barrier[];
  callerRounds(caller: CallerSide): Promise<CallerTiming>;
}

function sharedMatrices({ keep, shared, n }: VersionSetup, suffix = ""): Matrices {
  const [a, b, c] = ["a", "b", "c"].map((name) => keep(new SharedArray("int32", n * n, { shared, lock: false, label: `${name}${suffix}` })));
  return { a, b, c };
}

/** The course's loop: per round the caller draws, all meet at "work start", the workers compute, all meet at "work complete", the caller folds. */
function lockStep(setup: VersionSetup): MatmulVersion {
  const { spawner, shared, workers, n, rounds, trace, keep } = setup;
  const m = sharedMatrices(setup);
  const start = keep(new Barrier(workers + 1, { shared, label: "work start" }));
  const done = keep(new Barrier(workers + 1, { shared, label: "work complete" }));
  const running = spawner.run(
    workers,
    ({ id, n, a, b, c, start, done, size, rounds }) => {
      const { multiplyRows } = require("kernel-helpers");
      for (let r = 0; r < rounds; r++) {
        start.wait();
        multiplyRows(a.values, b.values, c.values, size, id, n);
        done.wait();
      }
      return id;
    },
    { ...m, start, done, size: n, rounds },
    { deadlockAfter: 30_000, trace },
  );
  return {
    running,
    barriers: [start, done],
    async callerRounds(caller) {
      let computeStart = 0,
        serialMs = 0;
      for (let r = 0; r < rounds; r++) {
        let t = performance.now();
        caller.draw(m);
        if (r > 0) serialMs += performance.now() - t;
        await start.waitAsync();
        if (r === 0) computeStart = performance.now();
        await done.waitAsync();
        t = performance.now();
        caller.fold(m);
        serialMs += performance.now() - t;
      }
      return { computeStart, serialMs };
    },
  };
}

/** Shares of the rows per round in the overlapped version (share k = rows k, k + 20, …). */
export const OVERLAP_SHARES = 20;

/**
 * barrierMatmul with { overlap: true }: two sets of (a, b, c), one barrier "round"
 * met rounds + 1 times. The rows are dealt in OVERLAP_SHARES interleaved shares that
 * the workers take from a shared counter: the caller's drawing takes part of one
 * core each round, and the worker sharing that core then simply takes fewer shares. Meeting r means: the workers have finished round r − 1 (its
 * c is complete) and the caller has drawn round r. After it the workers compute
 * round r in set r % 2 while the caller folds round r − 1's c and draws round r + 1
 * into the other set, which nobody reads any more. Same results as matmulRounds.
 */
function overlapped(setup: VersionSetup): MatmulVersion {
  const { spawner, shared, workers, rounds, trace, keep } = setup;
  const sets = [sharedMatrices(setup, "0"), sharedMatrices(setup, "1")];
  // next[s]: the next share of the round using set s (reset by the caller before that round is published).
  const next = keep(new SharedArray("int32", 2, { shared, lock: false, label: "next share" }));
  const meet = keep(new Barrier(workers + 1, { shared, label: "round" }));
  const running = spawner.run(
    workers,
    ({ sets, next, meet, size, rounds, shares }) => {
      const { multiplyRows } = require("kernel-helpers");
      let taken = 0;
      for (let r = 0; r < rounds; r++) {
        meet.wait(); // round r is drawn; round r − 1 is finished by everyone
        const s = sets[r % 2],
          counter = next.values;
        // Share k is rows k, k + shares, …; whoever is free takes the next one.
        for (let k = Atomics.add(counter, r % 2, 1); k < shares; k = Atomics.add(counter, r % 2, 1)) {
          multiplyRows(s.a.values, s.b.values, s.c.values, size, k, shares);
          taken++;
        }
      }
      meet.wait(); // the last round is finished
      return taken;
    },
    { sets, next, meet, size: setup.n, rounds, shares: OVERLAP_SHARES },
    { deadlockAfter: 30_000, trace },
  );
  return {
    running,
    barriers: [meet],
    async callerRounds(caller) {
      let computeStart = 0,
        serialMs = 0;
      caller.draw(sets[0]);
      for (let r = 0; r <= rounds; r++) {
        await meet.waitAsync();
        if (r === 0) computeStart = performance.now();
        const t = performance.now();
        if (r > 0) caller.fold(sets[(r - 1) % 2]);
        if (r + 1 < rounds) {
          next.values[(r + 1) % 2] = 0; // round r − 1 used it and is over; the barrier publishes the reset
          caller.draw(sets[(r + 1) % 2]);
        }
        serialMs += performance.now() - t;
      }
      return { computeStart, serialMs };
    },
  };
}
