// speedup: measured time, speedup and efficiency against the number of
// workers, with the ideal line and a fitted Amdahl curve (serial fraction printed).
import type { Chart } from "./types";
import { BASE_CONFIG } from "./palette";
import { median, r3 } from "./data";
import { amdahl, fitSerialFraction } from "./amdahl";
import { ChartInputError, isFiniteNumber } from "./errors";
import { fmt, table, titled } from "./text";

/** One measurement: `ms` for `workers` workers; min/max (or samples) give the spread. */
export interface SpeedupPoint {
  workers: number;
  ms: number;
  min?: number;
  max?: number;
  samples?: number[];
}

/** Which of a point's repeated timings stands for it: the median, or the fastest (other programs only ever add time, so the fastest is the closest to what the job itself costs). */
export type TimingStatistic = "median" | "fastest";

export interface SpeedupOptions {
  title?: string;
  /** Marks the chart as still measuring (used by live sweeps). */
  partial?: boolean;
  /** What each point's `ms` is (default "median"), as the axis and table say. */
  statistic?: TimingStatistic;
}

export interface SpeedupSummary {
  workers: number;
  ms: number;
  min: number;
  max: number;
  speedup: number;
  efficiency: number;
}

/** Checks the points and derives speedup/efficiency against the 1-worker time. */
export function summarise(points: SpeedupPoint[], fn = "speedupChart"): { rows: SpeedupSummary[]; serial: number } {
  if (!Array.isArray(points) || points.length === 0)
    throw new ChartInputError(fn, "points", "is empty or not an array", "Pass [{ workers: 1, ms: … }, { workers: 2, ms: … }, …].");
  points.forEach((p, i) => {
    if (!p || !Number.isInteger(p.workers) || p.workers < 1)
      throw new ChartInputError(
        fn,
        `points[${i}].workers`,
        `is ${JSON.stringify(p?.workers)}, not a positive integer`,
        "Give the number of workers used for that measurement.",
      );
    if (!isFiniteNumber(p.ms) || p.ms <= 0)
      throw new ChartInputError(fn, `points[${i}].ms`, `is ${JSON.stringify(p.ms)}, not a positive time`, "Give the measured wall time in milliseconds.");
  });
  const byW = new Map<number, SpeedupPoint[]>();
  for (const p of points) byW.set(p.workers, [...(byW.get(p.workers) ?? []), p]);
  const base = byW.get(1);
  if (!base)
    throw new ChartInputError(fn, "points", "has no point with workers = 1", "Include 1 in the worker counts: speedup is measured against one worker.");
  const t1 = median(base.map((p) => p.ms));
  const rows = [...byW.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([w, ps]) => {
      const ms = median(ps.map((p) => p.ms));
      const spread = ps.flatMap((p) => [p.min ?? p.ms, p.max ?? p.ms, ...(p.samples ?? [])]);
      const speedup = t1 / ms;
      return { workers: w, ms, min: Math.min(...spread), max: Math.max(...spread), speedup, efficiency: speedup / w };
    });
  // Below 0.0001 the fit is numerical noise: report 0.
  return { rows, serial: Math.round(fitSerialFraction(rows) * 1e4) / 1e4 };
}

/** Builds the speedup chart. Throws ChartInputError on bad points (see summarise). */
export function speedupChart(points: SpeedupPoint[], opts: SpeedupOptions = {}): Chart {
  const { rows, serial } = summarise(points);
  const maxW = rows[rows.length - 1].workers;
  const stat = opts.statistic === "fastest" ? "fastest" : "median";
  const title = opts.title ?? "Speedup vs number of workers";
  const sText = `fitted serial fraction s = ${fmt(serial, 3)} (Amdahl: max speedup ${serial >= 1e-3 ? fmt(1 / serial, 1) : "unbounded"})`;
  const notes = [sText, ...(opts.partial ? [`measuring… ${rows.length} worker counts so far`] : [])];
  const curve: { workers: number; value: number; series: string }[] = [];
  const steps = 60;
  for (let i = 0; i <= steps; i++) {
    const p = 1 + ((maxW - 1) * i) / steps;
    curve.push({ workers: r3(p), value: r3(amdahl(serial, p)), series: `Amdahl fit (s = ${fmt(serial, 3)})` });
    curve.push({ workers: r3(p), value: r3(p), series: "ideal (linear)" });
  }
  const measured = rows.map((r) => ({ workers: r.workers, value: r3(r.speedup), series: "measured" }));
  const seriesScale = {
    domain: ["measured", "ideal (linear)", `Amdahl fit (s = ${fmt(serial, 3)})`],
    range: ["#4c78a8", "#9a9a9a", "#e45756"],
  };
  const xW = { field: "workers", type: "quantitative", title: "workers", scale: { domain: [1, maxW], nice: false }, axis: { tickMinStep: 1 } };
  const pts = rows.map((r) => ({ ...r, ms: r3(r.ms), min: r3(r.min), max: r3(r.max), speedup: r3(r.speedup), efficiency: r3(r.efficiency) }));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: notes, anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    hconcat: [
      {
        width: 200,
        height: 190,
        data: { values: pts },
        layer: [
          {
            mark: { type: "rule", color: "#4c78a8" },
            encoding: { x: xW, y: { field: "min", type: "quantitative", title: `wall time (ms): ${stat}, min–max` }, y2: { field: "max" } },
          },
          {
            mark: { type: "line", point: true, color: "#4c78a8" },
            encoding: {
              x: xW,
              y: { field: "ms", type: "quantitative" },
              tooltip: [{ field: "workers" }, { field: "ms", title: `${stat} ms` }, { field: "min" }, { field: "max" }],
            },
          },
        ],
      },
      {
        width: 200,
        height: 190,
        layer: [
          {
            data: { values: curve },
            mark: { type: "line", strokeDash: [5, 3] },
            encoding: {
              x: xW,
              y: { field: "value", type: "quantitative", title: "speedup T(1) / T(p) (×)" },
              color: {
                field: "series",
                type: "nominal",
                title: null,
                scale: seriesScale,
                legend: { orient: "bottom", direction: "vertical", labelLimit: 320 },
              },
            },
          },
          {
            data: { values: measured },
            mark: { type: "line", point: true },
            encoding: {
              x: xW,
              y: { field: "value", type: "quantitative" },
              color: { field: "series", type: "nominal", scale: seriesScale },
              tooltip: [{ field: "workers" }, { field: "value", title: "speedup" }],
            },
          },
        ],
      },
      {
        width: 200,
        height: 190,
        data: { values: pts },
        layer: [
          {
            mark: { type: "line", point: true, color: "#54a24b" },
            encoding: {
              x: xW,
              y: {
                field: "efficiency",
                type: "quantitative",
                title: "efficiency = speedup / p",
                scale: { domain: [0, Math.max(1.1, ...pts.map((p) => p.efficiency))] },
              },
              tooltip: [{ field: "workers" }, { field: "efficiency" }],
            },
          },
          { data: { values: [{ y: 1 }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#9a9a9a" }, encoding: { y: { field: "y", type: "quantitative" } } },
        ],
      },
    ],
  };
  const text = titled(
    title,
    table(
      ["workers", `${stat} ms`, "min ms", "max ms", "speedup", "efficiency"],
      rows.map((r) => [r.workers, r3(r.ms), r3(r.min), r3(r.max), r3(r.speedup), r3(r.efficiency)]),
    ),
    notes,
  );
  return { title, spec, grammar: "vega-lite", text };
}
