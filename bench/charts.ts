// The report's charts, drawn with the project's own chart functions (src/charts).
import { barsChart, renderSvg, speedupChart } from "../src/charts";
import type { Figure } from "./types";

export interface SweepPoint {
  workers: number;
  ms: number;
  samples?: number[];
}

/** A speedup chart (time, speedup with ideal and Amdahl lines, efficiency) as SVG. */
export function speedupSvg(points: SweepPoint[], title: string): Promise<string> {
  return renderSvg(speedupChart(points, { title }));
}

/** Bars of each figure's ratio against its baseline (1 = as fast as the baseline), as SVG, or null. */
export async function ratiosSvg(figures: Figure[], title: string): Promise<string | null> {
  const rows = figures
    .filter((f) => f.ratio !== undefined && Number.isFinite(f.ratio))
    .map((f) => ({ label: f.short ?? f.name.split(":")[0].slice(0, 24), value: Math.round(f.ratio! * 100) / 100 }));
  if (!rows.length) return null;
  return renderSvg(barsChart(rows, { title, xLabel: "figure", yLabel: "ratio to baseline (×)" }));
}
