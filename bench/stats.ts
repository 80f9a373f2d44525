// Repetitions, medians and ratios. Every measurement function returns one
// number (a time per operation, a wall time, a rate): this module only decides
// how often and in which order to call it.
import type { Figure, Summary, Target } from "./types";

/** Linear-interpolated quantile of an ascending array (q in 0..1). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile: empty sample (measure at least one repetition)");
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median and interquartile range of a sample. */
export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new Error("summarize: empty sample (measure at least one repetition)");
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`summarize: measurement ${v} is not a finite number`);
  }
  const s = [...values].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    p25: quantile(s, 0.25),
    p75: quantile(s, 0.75),
    min: s[0],
    max: s[s.length - 1],
    reps: s.length,
  };
}

export type Measure = () => number | Promise<number>;

export interface RepOptions {
  /** Calls whose result is thrown away first (JIT, caches, lazy loading). */
  warmup: number;
  /** Calls that count. */
  reps: number;
}

function checkReps(where: string, o: RepOptions): void {
  if (!Number.isInteger(o.warmup) || o.warmup < 0) {
    throw new Error(`${where}: warmup must be an integer ≥ 0, got ${o.warmup}`);
  }
  if (!Number.isInteger(o.reps) || o.reps < 1) {
    throw new Error(`${where}: reps must be an integer ≥ 1, got ${o.reps}`);
  }
}

/** Warm up, then repeat one measurement. */
export async function repeat(fn: Measure, o: RepOptions): Promise<{ values: number[]; summary: Summary }> {
  checkReps("repeat", o);
  for (let i = 0; i < o.warmup; i++) await fn();
  const values: number[] = [];
  for (let i = 0; i < o.reps; i++) values.push(await fn());
  return { values, summary: summarize(values) };
}

export interface Paired {
  base: Summary;
  cand: Summary;
  baseValues: number[];
  candValues: number[];
  /** Median of the per-pair ratios cand/base (each pair ran back to back). */
  ratio: number;
  ratioSpread: [number, number];
}

/**
 * Baseline and candidate measured in pairs, alternating which goes first
 * (AB BA AB …) so that drift and order effects hit both alike. The ratio is
 * the median of the per-pair ratios, which cancels slow drift of the machine.
 * `kind` "speedup" gives base/cand instead (baseline = one worker's time).
 */
export async function paired(base: Measure, cand: Measure, o: RepOptions, kind: "cost" | "speedup" = "cost"): Promise<Paired> {
  checkReps("paired", o);
  for (let i = 0; i < o.warmup; i++) {
    await base();
    await cand();
  }
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < o.reps; i++) {
    if (i % 2 === 0) {
      b.push(await base());
      c.push(await cand());
    } else {
      c.push(await cand());
      b.push(await base());
    }
  }
  // cost: cand/base (lower is better); speedup: base/cand (higher is better).
  const ratios = summarize(c.map((v, i) => (kind === "cost" ? v / b[i] : b[i] / v)));
  return { base: summarize(b), cand: summarize(c), baseValues: b, candValues: c, ratio: ratios.median, ratioSpread: [ratios.p25, ratios.p75] };
}

/** A Paired from values already measured in alternation (e.g. windows inside one worker run). */
export function pairedFrom(b: number[], c: number[], kind: "cost" | "speedup" = "cost"): Paired {
  if (b.length !== c.length || b.length === 0) {
    throw new Error(`pairedFrom: need as many baseline as candidate values (≥ 1), got ${b.length} and ${c.length}`);
  }
  const ratios = summarize(c.map((v, i) => (kind === "cost" ? v / b[i] : b[i] / v)));
  return { base: summarize(b), cand: summarize(c), baseValues: b, candValues: c, ratio: ratios.median, ratioSpread: [ratios.p25, ratios.p75] };
}

/** Whether `value` meets a target (`undefined` when there is no target). */
export function meets(target: Target | undefined, fig: { median: number; ratio?: number }): boolean | undefined {
  if (!target) return undefined;
  const v = target.on === "ratio" ? fig.ratio : fig.median;
  if (v === undefined || !Number.isFinite(v)) return false;
  return target.op === "<=" ? v <= target.value : v >= target.value;
}

/** Builds a report figure from a paired comparison (ratio = cost: candidate/baseline). */
export function pairedFigure(
  name: string,
  unit: string,
  baseName: string,
  p: Paired,
  target?: Target,
  note?: string,
  ratioKind: "cost" | "speedup" = "cost",
): Figure {
  const fig: Figure = {
    name,
    unit,
    median: p.cand.median,
    spread: [p.cand.p25, p.cand.p75],
    reps: p.cand.reps,
    baseline: { name: baseName, median: p.base.median, spread: [p.base.p25, p.base.p75] },
    ratio: p.ratio,
    ratioKind,
    target,
    note,
  };
  fig.pass = meets(target, fig);
  return fig;
}

/** Gives a figure its short chart label. */
export function labelled(short: string, f: Figure): Figure {
  f.short = short;
  return f;
}

/** A figure with no baseline (an absolute time, e.g. a first render). */
export function soloFigure(name: string, unit: string, s: Summary, target?: Target, note?: string): Figure {
  const fig: Figure = { name, unit, median: s.median, spread: [s.p25, s.p75], reps: s.reps, target, note };
  fig.pass = meets(target, fig);
  return fig;
}

/** Milliseconds taken by `fn` (one call). */
export async function timeMs(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Wall ms of one call, like timeMs; its process CPU ms (every thread) is pushed to `cpu`. */
export async function timeMsCpu(fn: () => unknown, cpu: number[]): Promise<number> {
  const c0 = process.cpuUsage();
  const wall = await timeMs(fn);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  return wall;
}
