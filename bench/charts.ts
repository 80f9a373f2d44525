// The report's charts, drawn with the project's own chart functions
// (src/charts). Each returns null when that area is not available, so the
// report says so instead of failing.
import { tryImport } from "./lib";
import { amdahl } from "./stats";
import type { Figure } from "./types";

export interface SweepPoint {
  workers: number;
  ms: number;
  samples?: number[];
}

async function chartsModule(): Promise<any | null> {
  const idx = await tryImport("src/charts/index");
  if ("mod" in idx && typeof idx.mod.speedupChart === "function" && typeof idx.mod.renderSvg === "function") return idx.mod;
  if ("mod" in idx && typeof idx.mod.default?.speedupChart === "function") return idx.mod.default;
  const [sp, rd] = await Promise.all([tryImport("src/charts/speedup"), tryImport("src/charts/render")]);
  if ("mod" in sp && "mod" in rd && typeof sp.mod.speedupChart === "function") return { ...sp.mod, ...rd.mod };
  return null;
}

/** A speedup chart (time, speedup with ideal and Amdahl lines, efficiency) as SVG, or null. */
export async function speedupSvg(points: SweepPoint[], title: string): Promise<string | null> {
  const charts = await chartsModule();
  if (!charts) return null;
  return charts.renderSvg(charts.speedupChart(points, { title }));
}

/** Serial fraction of Amdahl's law fitted to (workers, speedup): the charts area's fit, else bench's own. */
export async function serialFraction(points: Array<{ workers: number; speedup: number }>): Promise<number> {
  const fit = await tryImport("src/charts/amdahl");
  if ("mod" in fit && typeof fit.mod.fitSerialFraction === "function") return fit.mod.fitSerialFraction(points);
  return amdahl(points.map((p) => ({ n: p.workers, speedup: p.speedup }))).serial;
}

/** Bars of each figure's ratio against its baseline (1 = as fast as the baseline), as SVG, or null. */
export async function ratiosSvg(figures: Figure[], title: string): Promise<string | null> {
  const charts = await chartsModule();
  if (!charts || typeof charts.barsChart !== "function") return null;
  const rows = figures
    .filter((f) => f.ratio !== undefined && Number.isFinite(f.ratio))
    .map((f) => ({ label: f.short ?? f.name.split(":")[0].slice(0, 24), value: Math.round(f.ratio! * 100) / 100 }));
  if (!rows.length) return null;
  return charts.renderSvg(charts.barsChart(rows, { title, xLabel: "figure", yLabel: "ratio to baseline (×)" }));
}
