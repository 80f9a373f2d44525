// sweep (`--workers 1,2,4,8,16`): matmul (the course's size) at each worker
// count, the counts interleaved within each repetition (1,2,4… then …4,2,1) so
// that drift hits all alike. Speedup is against one worker of the same crew
// code; Amdahl's serial fraction is fitted over the counts up to the core count
// (beyond it the machine, not the program, limits the speedup).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Crew } from "../crew";
import { speedupSvg } from "../charts";
import { fitSerialFraction } from "../../src/charts";
import { fmt } from "../lib";
import { summarize, type RepOptions } from "../stats";
import type { Figure, GroupResult, Summary } from "../types";
import { reps, type GroupContext } from "./context";
import { DisagreeError, matmul, singleHere } from "./workloads";

export async function sweepGroup(ctx: GroupContext): Promise<GroupResult> {
  const counts = ctx.workers ?? [1, 2, 4];
  const w = matmul();
  const dir = mkdtempSync(join(tmpdir(), "interleave-sweep-"));
  const crews: Crew[] = [];
  const o: RepOptions = reps(ctx, 5, 1);
  const samples = new Map<number, number[]>(counts.map((n) => [n, []]));
  try {
    await w.prepare(dir, ctx.smoke);
    const expected = singleHere(w);
    for (const n of counts) {
      const crew = await Crew.start(n);
      crews.push(crew);
      await w.init!(crew);
      const got = await w.parallel(crew);
      if (!w.same(expected, got)) throw new DisagreeError(`matmul with ${n} workers gave ${w.show(got)}, single gave ${w.show(expected)}`);
    }
    for (let rep = 0; rep < o.warmup + o.reps; rep++) {
      const order = rep % 2 ? [...crews].reverse() : crews;
      for (const crew of order) {
        const t0 = performance.now();
        await w.parallel(crew);
        const ms = performance.now() - t0;
        if (rep >= o.warmup) samples.get(crew.size)!.push(ms);
      }
    }
  } finally {
    await Promise.all(crews.map((c) => c.close()));
    rmSync(dir, { recursive: true, force: true });
  }
  const sums = new Map<number, Summary>(counts.map((n) => [n, summarize(samples.get(n)!)]));
  const t1 = sums.get(1)!.median;
  const points = counts.map((n) => ({ workers: n, speedup: t1 / sums.get(n)!.median }));
  const cores = ctx.machine.cores;
  const within = points.filter((p) => p.workers <= cores);
  const serial = fitSerialFraction(within.length > 1 ? within : points);
  const serialAll = fitSerialFraction(points); // what the chart's subtitle shows
  const predict = (n: number) => 1 / (serial + (1 - serial) / n);
  const rows = [["workers", "median ms", "IQR ms", "speedup", "efficiency", "Amdahl fit"]];
  const figures: Figure[] = [];
  for (const n of counts) {
    const s = sums.get(n)!;
    const speedup = t1 / s.median;
    rows.push([String(n), fmt(s.median), `${fmt(s.p25)}–${fmt(s.p75)}`, `${fmt(speedup)}×`, fmt(speedup / n), `${fmt(predict(n))}×`]);
    figures.push({
      name: `matmul, ${n} worker${n > 1 ? "s" : ""}`,
      unit: "ms",
      median: s.median,
      spread: [s.p25, s.p75],
      reps: s.reps,
      baseline: { name: "1 worker", median: t1, spread: [sums.get(1)!.p25, sums.get(1)!.p75] },
      ratio: speedup,
      ratioKind: "speedup",
      note: n > cores ? `more workers than the ${cores} cores` : undefined,
    });
  }
  const svgPoints = counts.map((n) => ({ workers: n, ms: sums.get(n)!.median, samples: samples.get(n)! }));
  return {
    group: "sweep",
    figures,
    tables: [
      {
        title: `Scaling sweep: matmul, fitted serial fraction s = ${serial.toFixed(3)} (max speedup ${serial > 0 ? (1 / serial).toFixed(1) : "∞"}×), fit over ≤ ${cores} workers (over all counts, as in the chart: ${serialAll.toFixed(3)})`,
        rows,
      },
    ],
    charts: [{ title: "matmul speedup sweep", file: "sweep-matmul.svg", build: () => speedupSvg(svgPoints, "matmul 200×200×10: speedup sweep") }],
    notes: [
      `Amdahl: speedup(p) = 1 / (s + (1 − s)/p); s fitted by least squares on the measured speedups up to ${cores} workers.`,
      "Run it on a bigger machine: see bench/README.md.",
    ],
  };
}
