// Chapter 8: memory shared between processes. A plain array sent to a child
// process is a copy; an array in a named shared-memory segment is the same memory in
// both. A child process watches a shared int array while the parent rewrites it.
// (The barrier matrix multiply on processes is barrierMatmul({ kind: "processes" })
// in ch07-barriers.ts.)
//
// Worker functions are shipped as source (see ch07-barriers.ts for the rules).
import { processes } from "../spawn/api";
import { Barrier, SharedArray } from "../sync/index";
import { checkInt } from "./errors";
import { courseWorkers, type ParallelKind } from "./workers";

export interface CopyVsShare {
  /** The plain array in the parent after the child doubled its copy. */
  plainAfter: number[];
  /** The shared array in the parent after the child doubled it. */
  sharedAfter: number[];
  /** What the child saw after doubling each. */
  childPlain: number[];
  childShared: number[];
}

/**
 * Sends `values` to a child process twice, as a plain array and as a shared int32
 * array; the child doubles every element of both. The parent's plain array is
 * unchanged (the child doubled a copy); the shared one is doubled.
 */
export async function copyVsShare(values: number[] = [1, 2, 3, 4, 5]): Promise<CopyVsShare> {
  const plain = [...values];
  const shared = new SharedArray("int32", values, { shared: "process", label: "shared numbers" });
  try {
    const run = await processes.run(
      1,
      ({ plain, shared }) => {
        for (let i = 0; i < plain.length; i++) plain[i] *= 2;
        for (let i = 0; i < shared.length; i++) shared.values[i] *= 2;
        return { plain, shared: Array.from(shared.values) };
      },
      { plain, shared },
    );
    const child = run.results[0] as { plain: number[]; shared: number[] };
    return { plainAfter: plain, sharedAfter: shared.toArray(), childPlain: child.plain, childShared: child.shared };
  } finally {
    shared.dispose();
  }
}

export interface WatchResult {
  /** What the child read at each sample (under the array's lock: never half-written). */
  seen: number[][];
  /** Milliseconds since the start at which each sample was taken (shared clock). */
  seenAt: number[];
  /** The rows the parent wrote, in order, and when. */
  written: number[][];
  writtenAt: number[];
}

/**
 * A child process reads a shared int32 array of `length` every `sampleMs`, `samples`
 * times, while the parent rewrites it every `writeMs` (row k is k·10 + i for element
 * i). Both take the array's lock around a whole read or write, so the child never
 * sees a half-written row. Resolves when the child is done; the segment is released.
 */
export async function watchSharedArray(opts: { length?: number; samples?: number; sampleMs?: number; writeMs?: number } = {}): Promise<WatchResult> {
  const length = checkInt("length", opts.length ?? 5, 1, 1000);
  const samples = checkInt("samples", opts.samples ?? 12, 1, 10_000);
  const sampleMs = checkInt("sampleMs", opts.sampleMs ?? 100, 1, 60_000);
  const writeMs = checkInt("writeMs", opts.writeMs ?? 150, 1, 60_000);
  const arr = new SharedArray("int32", length, { shared: "process", label: "watched" });
  const t0 = performance.timeOrigin + performance.now();
  const written: number[][] = [];
  const writtenAt: number[] = [];
  let k = 0;
  const write = async (): Promise<void> => {
    const row = Array.from({ length }, (_, i) => k * 10 + i);
    await arr.lock!.lockAsync();
    try {
      for (let i = 0; i < length; i++) arr.values[i] = row[i];
    } finally {
      arr.lock!.unlock();
    }
    written.push(row);
    writtenAt.push(performance.timeOrigin + performance.now() - t0);
    k++;
  };
  try {
    await write();
    const child = processes.spawn(
      ({ arr, samples, sampleMs, t0 }) => {
        const pause = new Int32Array(new SharedArrayBuffer(4));
        const seen: number[][] = [],
          seenAt: number[] = [];
        for (let s = 0; s < samples; s++) {
          arr.lock!.lock();
          seen.push(Array.from(arr.values));
          arr.lock!.unlock();
          seenAt.push(performance.timeOrigin + performance.now() - t0);
          Atomics.wait(pause, 0, 0, sampleMs);
        }
        return { seen, seenAt };
      },
      { arr, samples, sampleMs, t0 },
    );
    const timer = setInterval(() => void write(), writeMs);
    try {
      const out = (await child.join()) as { seen: number[][]; seenAt: number[] };
      return { seen: out.seen, seenAt: out.seenAt, written, writtenAt };
    } finally {
      clearInterval(timer);
    }
  } finally {
    arr.dispose();
  }
}

export interface WakeDelay {
  kind: ParallelKind;
  /** For each trial, ms from the worker's arrival to the caller's waitAsync returning. */
  delaysMs: number[];
  /** Their median, ms. */
  medianMs: number;
}

/**
 * How late the caller's thread (the notebook's) wakes from `barrier.waitAsync()`
 * when a worker of `kind` is the last to arrive. Per trial both meet, the worker
 * busies itself `workMs`, stamps the time and arrives; the caller measures when its
 * waitAsync returned. On thread memory the caller sleeps in Atomics.waitAsync and the
 * arrival wakes it; on a process-shared segment Atomics.waitAsync cannot watch the
 * memory, so the caller polls with growing pauses, and wakes up to one pause late.
 */
export async function wakeDelay(kind: ParallelKind, trials = 10, workMs = 10): Promise<WakeDelay> {
  const { spawner, shared } = courseWorkers(kind, "wakeDelay");
  checkInt("trials", trials, 1, 1000);
  checkInt("workMs", workMs, 0, 1000);
  const meet = new Barrier(2, { shared, label: "meet" });
  const stamps = new SharedArray("float64", trials, { shared, lock: false, label: "arrivals" });
  try {
    const running = spawner.run(
      1,
      ({ meet, stamps, trials, workMs }) => {
        for (let i = 0; i < trials; i++) {
          meet.wait(); // start together
          const until = performance.now() + workMs;
          while (performance.now() < until); // busy: the caller is asleep in its wait meanwhile
          stamps.values[i] = performance.timeOrigin + performance.now();
          meet.wait(); // the caller's waitAsync should return now
        }
      },
      { meet, stamps, trials, workMs },
      { trace: false, deadlockAfter: 30_000 },
    );
    running.catch(() => meet.abort());
    const delaysMs: number[] = [];
    for (let i = 0; i < trials; i++) {
      await meet.waitAsync();
      await meet.waitAsync();
      delaysMs.push(performance.timeOrigin + performance.now() - stamps.values[i]);
    }
    await running;
    const sorted = [...delaysMs].sort((a, b) => a - b);
    return { kind, delaysMs, medianMs: sorted[sorted.length >> 1] };
  } finally {
    meet.dispose();
    stamps.dispose();
  }
}
