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
import { threads, processes } from "../spawn/api";
import type { Run } from "../spawn/run";
import { Barrier, BrokenBarrierError, SharedArray } from "../sync/index";
import { checkInt, CourseInputError } from "./errors";
import { checksum, MATMUL_DEFAULTS, randomMatrix, type MatmulResult } from "./matmul";
import { Rng } from "./prng";

export type ParallelKind = "threads" | "processes";

function checkKind(kind: unknown, fn: string): ParallelKind {
  if (kind !== "threads" && kind !== "processes") {
    throw new CourseInputError(`${fn}: kind must be "threads" or "processes", got ${JSON.stringify(kind)}`);
  }
  return kind;
}

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
  const kind = checkKind(opts.kind ?? "threads", "meetAtBarrier");
  const barrier = new Barrier(workMs.length, { label: "meeting point", shared: kind === "threads" ? "thread" : "process" });
  try {
    const spawner = kind === "threads" ? threads : processes;
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
 *
 * Rejects with the worker's error if one fails (the barriers are aborted so nobody
 * waits forever); the shared memory is always released.
 */
export async function barrierMatmul(opts: BarrierMatmulOptions = {}): Promise<BarrierMatmulResult> {
  const kind = checkKind(opts.kind ?? "threads", "barrierMatmul");
  const workers = checkInt("workers", opts.workers ?? 2, 1, kind === "threads" ? 64 : 32);
  const n = checkInt("n", opts.n ?? MATMUL_DEFAULTS.n, 1, 2048);
  const rounds = checkInt("rounds", opts.rounds ?? MATMUL_DEFAULTS.rounds, 1, 100_000);
  const seed = checkInt("seed", opts.seed ?? MATMUL_DEFAULTS.seed, 0, 0xffffffff);
  if (opts.overlap) return overlappedMatmul(kind, workers, n, rounds, seed, opts.trace ?? true);
  const shared = kind === "threads" ? "thread" : "process";
  const t0 = performance.now();
  const made: { dispose(): void }[] = [];
  const keep = <T extends { dispose(): void }>(x: T): T => {
    made.push(x);
    return x;
  };
  try {
    const a = keep(new SharedArray("int32", n * n, { shared, lock: false, label: "a" }));
    const b = keep(new SharedArray("int32", n * n, { shared, lock: false, label: "b" }));
    const c = keep(new SharedArray("int32", n * n, { shared, lock: false, label: "c" }));
    const start = keep(new Barrier(workers + 1, { shared, label: "work start" }));
    const done = keep(new Barrier(workers + 1, { shared, label: "work complete" }));
    const spawner = kind === "threads" ? threads : processes;
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
      { a, b, c, start, done, size: n, rounds },
      { deadlockAfter: 30_000, trace: opts.trace ?? true },
    );
    // If a worker fails, break both barriers so this loop does not wait forever.
    running.catch(() => {
      start.abort();
      done.abort();
    });
    const rng = new Rng(seed);
    let h = 0,
      sum = 0,
      computeStart = 0,
      serialMs = 0;
    try {
      for (let r = 0; r < rounds; r++) {
        let t = performance.now();
        randomMatrix(n, rng, a.values);
        randomMatrix(n, rng, b.values);
        if (r > 0) serialMs += performance.now() - t;
        await start.waitAsync();
        if (r === 0) computeStart = performance.now();
        await done.waitAsync();
        t = performance.now();
        const cv = c.values;
        h = checksum(cv, h);
        for (let i = 0; i < cv.length; i++) sum += cv[i];
        serialMs += performance.now() - t;
      }
    } catch (e) {
      start.abort();
      done.abort();
      await running.catch((err: unknown) => {
        throw e instanceof BrokenBarrierError ? err : e; // the worker's error is the real cause
      });
      throw e;
    }
    const computeMs = performance.now() - computeStart;
    const run = await running;
    return { kind, workers, n, rounds, seed, checksum: h, sum, ms: performance.now() - t0, computeMs, serialMs, overlap: false, run };
  } finally {
    for (const m of made) m.dispose();
  }
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
async function overlappedMatmul(kind: ParallelKind, workers: number, n: number, rounds: number, seed: number, trace: boolean): Promise<BarrierMatmulResult> {
  const shared = kind === "threads" ? "thread" : "process";
  const t0 = performance.now();
  const made: { dispose(): void }[] = [];
  const keep = <T extends { dispose(): void }>(x: T): T => {
    made.push(x);
    return x;
  };
  try {
    const sets = [0, 1].map((s) => ({
      a: keep(new SharedArray("int32", n * n, { shared, lock: false, label: `a${s}` })),
      b: keep(new SharedArray("int32", n * n, { shared, lock: false, label: `b${s}` })),
      c: keep(new SharedArray("int32", n * n, { shared, lock: false, label: `c${s}` })),
    }));
    // next[s]: the next share of the round using set s (reset by the caller before that round is published).
    const next = keep(new SharedArray("int32", 2, { shared, lock: false, label: "next share" }));
    const meet = keep(new Barrier(workers + 1, { shared, label: "round" }));
    const spawner = kind === "threads" ? threads : processes;
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
      { sets, next, meet, size: n, rounds, shares: OVERLAP_SHARES },
      { deadlockAfter: 30_000, trace },
    );
    running.catch(() => meet.abort());
    const rng = new Rng(seed);
    let h = 0,
      sum = 0,
      computeStart = 0,
      serialMs = 0;
    const fold = (cv: Int32Array) => {
      h = checksum(cv, h);
      for (let i = 0; i < cv.length; i++) sum += cv[i];
    };
    try {
      randomMatrix(n, rng, sets[0].a.values);
      randomMatrix(n, rng, sets[0].b.values);
      for (let r = 0; r <= rounds; r++) {
        await meet.waitAsync();
        if (r === 0) computeStart = performance.now();
        const t = performance.now();
        if (r > 0) fold(sets[(r - 1) % 2].c.values);
        if (r + 1 < rounds) {
          next.values[(r + 1) % 2] = 0; // round r − 1 used it and is over; the barrier publishes the reset
          randomMatrix(n, rng, sets[(r + 1) % 2].a.values);
          randomMatrix(n, rng, sets[(r + 1) % 2].b.values);
        }
        serialMs += performance.now() - t;
      }
    } catch (e) {
      meet.abort();
      await running.catch((err: unknown) => {
        throw e instanceof BrokenBarrierError ? err : e;
      });
      throw e;
    }
    const computeMs = performance.now() - computeStart;
    const run = await running;
    return { kind, workers, n, rounds, seed, checksum: h, sum, ms: performance.now() - t0, computeMs, serialMs, overlap: true, run };
  } finally {
    for (const m of made) m.dispose();
  }
}
