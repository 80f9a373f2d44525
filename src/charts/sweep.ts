// sweep: run the same job at several worker counts, several times each, and
// keep the median (or the fastest) and the spread — the measurements behind a speedup chart.
import type { SpeedupPoint, TimingStatistic } from "./speedup";
import { median } from "./data";
import { ChartInputError } from "./errors";

export interface SweepOptions {
  /** Runs per worker count (default 3). One statistic of them is reported (default the median), min/max as spread. */
  repeats?: number;
  /** Which timing stands for a point (default "median"). */
  statistic?: TimingStatistic;
  /** Called after each worker count is measured, with all points so far (live charts). */
  onPoint?: (points: SpeedupPoint[]) => void | Promise<void>;
}

/**
 * Calls `runOnce(w)` `repeats` times for each worker count, smallest first
 * (1 must be among them: it is the baseline). A call's time is the number it
 * returns (ms) or else its wall time. Errors from runOnce propagate at once;
 * nothing keeps running after the promise settles.
 */
export async function measureSweep(
  workers: number[],
  // biome-ignore lint/suspicious/noConfusingVoidType: runOnce may return nothing (an async function that only runs); `undefined` would refuse Promise<void>
  runOnce: (workers: number) => Promise<number | void> | number | void,
  opts: SweepOptions = {},
): Promise<SpeedupPoint[]> {
  if (!Array.isArray(workers) || workers.length === 0 || !workers.every((w) => Number.isInteger(w) && w >= 1))
    throw new ChartInputError("sweep", "workers", `is ${JSON.stringify(workers)}`, "Pass worker counts as positive integers, e.g. [1, 2, 4, 8].");
  if (!workers.includes(1)) throw new ChartInputError("sweep", "workers", "does not include 1", "Add 1: speedup is measured against one worker.");
  if (typeof runOnce !== "function")
    throw new ChartInputError("sweep", "runOnce", `is ${typeof runOnce}`, "Pass an async function (workers) => …, timed per call.");
  const repeats = opts.repeats ?? 3;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new ChartInputError("sweep", "opts.repeats", `is ${JSON.stringify(opts.repeats)}`, "Use a positive integer (default 3).");
  const statistic = opts.statistic ?? "median";
  if (statistic !== "median" && statistic !== "fastest")
    throw new ChartInputError("sweep", "opts.statistic", `is ${JSON.stringify(opts.statistic)}`, 'Use "median" (the default) or "fastest".');
  const points: SpeedupPoint[] = [];
  for (const w of [...new Set(workers)].sort((a, b) => a - b)) {
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      const r = await runOnce(w);
      const wall = performance.now() - start;
      samples.push(typeof r === "number" && Number.isFinite(r) && r > 0 ? r : wall);
    }
    const min = Math.min(...samples);
    points.push({ workers: w, ms: statistic === "fastest" ? min : median(samples), min, max: Math.max(...samples), samples });
    if (opts.onPoint) await opts.onPoint([...points]);
  }
  return points;
}
