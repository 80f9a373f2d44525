// Chapters 4–6: when does a thread pay for itself? `items` pieces of work, each a
// fixed amount of arithmetic, done on one thread, on one thread per item, or on a
// few threads that take the items from a shared counter (bigger shares). Starting a
// thread costs milliseconds; an item that costs less than that is cheaper to do
// than to hand to a new thread.
import { threads } from "../spawn/api";
import { WaitGroup } from "../sync/waitgroup";
import { CourseInputError, checkInt } from "./errors";

/** One item of work: `iterations` steps of a xorshift generator (the JIT cannot skip them). */
export function spinWork(iterations: number, seed = 1): number {
  let x = seed | 0 || 1;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

/** How many spinWork iterations this thread does per ms (measured, warm). */
export function iterationsPerMs(sampleMs = 20): number {
  spinWork(200_000); // warm up the JIT first
  let iterations = 100_000,
    ms = 0;
  for (;;) {
    const t0 = performance.now();
    spinWork(iterations);
    ms = performance.now() - t0;
    if (ms >= sampleMs) break;
    iterations *= 2;
  }
  return iterations / ms;
}

export interface ItemsRun {
  workers: number;
  /** Wall time, thread start-up included, ms. */
  ms: number;
  /** Items each worker did. */
  taken: number[];
  /** The median time from asking for a thread to its first line running, ms. */
  startMs: number;
}

/**
 * `items` items of `iterations` each on `workers` threads, which take them one at a
 * time from a shared counter; workers = items is one thread per item. By default the
 * caller joins the threads; with `waitGroup` it waits on a WaitGroup of the items
 * instead (each item calls done(): it waits for the work, not for the threads), and
 * `ms` is when that wait returned. Resolves once every thread has ended either way.
 */
export async function itemsOnThreads(items: number, iterations: number, workers: number, waitGroup = false): Promise<ItemsRun> {
  checkInt("items", items, 1, 256);
  checkInt("iterations", iterations, 0, 1e10);
  checkInt("workers", workers, 1, 256);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const wg = waitGroup ? new WaitGroup(items, { label: "items left" }) : null;
  const t0 = performance.now();
  const running = threads.run(
    workers,
    ({ next, items, iterations, wg }) => {
      const { spinWork } = require("kernel-helpers");
      let taken = 0;
      for (let k = Atomics.add(next, 0, 1); k < items; k = Atomics.add(next, 0, 1)) {
        spinWork(iterations, k + 1);
        taken++;
        if (wg) wg.done(); // one item less to wait for
      }
      return taken;
    },
    { next, items, iterations, wg },
    { trace: false },
  );
  running.catch(() => undefined); // awaited below
  // A failed thread never calls done(): stop waiting when the run ends either way.
  if (wg) await Promise.race([wg.waitAsync(), running]);
  else await running;
  const ms = performance.now() - t0;
  const run = await running;
  const starts = run
    .toJSON()
    .workers.map((w) => (w.readyAt ?? w.spawnedAt) - w.spawnedAt)
    .sort((a, b) => a - b);
  return { workers, ms, taken: run.results, startMs: starts[starts.length >> 1] };
}

export interface ThreadCostRow {
  /** Work per item asked for, ms (calibrated on the calling thread before the sweep). */
  workMs: number;
  /** Work per item as measured this time: singleMs / items. */
  itemMs: number;
  /** All items on the calling thread, ms. */
  singleMs: number;
  /** One thread per item. */
  perItem: ItemsRun;
  /** `shareWorkers` threads sharing the items. */
  shares: ItemsRun;
}

/**
 * The sweep: for each work size, the items on one thread, on one thread per item, and
 * on `shareWorkers` threads (default 2) that share them. Each figure is the median of
 * `repeats` runs (default 3). `waitGroup`: the caller waits on a WaitGroup of the items
 * instead of joining (see itemsOnThreads).
 */
export async function threadCostSweep(
  opts: { items?: number; workMs?: number[]; shareWorkers?: number; repeats?: number; waitGroup?: boolean } = {},
): Promise<ThreadCostRow[]> {
  const items = checkInt("items", opts.items ?? 8, 1, 64);
  const shareWorkers = checkInt("shareWorkers", opts.shareWorkers ?? 2, 1, 64);
  const repeats = checkInt("repeats", opts.repeats ?? 3, 1, 20);
  const sizes = opts.workMs ?? [0.1, 1, 10, 40];
  if (!Array.isArray(sizes) || sizes.length === 0 || sizes.some((m) => typeof m !== "number" || !(m > 0) || m > 1000)) {
    throw new CourseInputError(`threadCostSweep: workMs must be a non-empty array of ms per item, each above 0 and at most 1000, got ${JSON.stringify(sizes)}`);
  }
  const perMs = iterationsPerMs();
  const median = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[xs.length >> 1];
  const rows: ThreadCostRow[] = [];
  for (const workMs of sizes) {
    const iterations = Math.max(1, Math.round(perMs * workMs));
    const singles: number[] = [],
      perItem: ItemsRun[] = [],
      shares: ItemsRun[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      for (let k = 0; k < items; k++) spinWork(iterations, k + 1);
      singles.push(performance.now() - t0);
      perItem.push(await itemsOnThreads(items, iterations, items, opts.waitGroup));
      shares.push(await itemsOnThreads(items, iterations, shareWorkers, opts.waitGroup));
    }
    const singleMs = median(singles, (x) => x);
    rows.push({ workMs, itemMs: singleMs / items, singleMs, perItem: median(perItem, (x) => x.ms), shares: median(shares, (x) => x.ms) });
  }
  return rows;
}

/**
 * Why `shareWorkers` threads sharing the items fell short of what their number
 * promises, in the row's own figures: their start-up, and the time per item once
 * started against the same item on one thread (two busy cores each run slower).
 */
export function sharesShortfall(row: ThreadCostRow): string {
  const { shares } = row;
  const perItemMs = (shares.ms - shares.startMs) / Math.max(...shares.taken);
  return (
    `Starting the ${shares.workers} threads took ${shares.startMs.toFixed(0)} ms, and after that their items took about ` +
    `${perItemMs.toFixed(1)} ms each against ${row.itemMs.toFixed(1)} ms on one thread.`
  );
}
