// windRose: the distribution of wind over the 8 compass directions, drawn as
// a rose: one wedge per direction, N at the top, area proportional to count.
import type { Chart } from "./types";
import { BASE_CONFIG } from "./palette";
import { ChartInputError, isFiniteNumber } from "./errors";
import { fmt, table, titled } from "./text";

export const DIRECTIONS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"] as const;

export interface WindRoseOptions {
  title?: string;
  /** What is counted (default "reports"). */
  unit?: string;
}

/** Builds the wind rose from 8 counts in the order N, NE, E, SE, S, SW, W, NW (or a { N: …, NE: … } record). */
export function windRoseChart(counts: number[] | Record<string, number>, opts: WindRoseOptions = {}): Chart {
  const list = Array.isArray(counts) ? counts : counts && typeof counts === "object" ? DIRECTIONS.map((d) => (counts as Record<string, number>)[d]) : null;
  if (list?.length !== 8)
    throw new ChartInputError(
      "windRoseChart",
      "counts",
      `has ${list ? list.length : "no"} entries`,
      "Pass 8 counts in the order N, NE, E, SE, S, SW, W, NW, or { N, NE, E, SE, S, SW, W, NW }.",
    );
  list.forEach((c, i) => {
    if (!isFiniteNumber(c) || c < 0)
      throw new ChartInputError("windRoseChart", `counts[${i}] (${DIRECTIONS[i]})`, `is ${JSON.stringify(c)}`, "Counts are numbers ≥ 0.");
  });
  const total = list.reduce((a, b) => a + b, 0);
  const max = Math.max(1e-9, ...list);
  const R = 150,
    r0 = 12;
  const unit = opts.unit ?? "reports";
  // Radii are precomputed (sqrt: area ∝ count) and angles are in radians with
  // N at 0, so the spec needs no polar scales and renders the same everywhere.
  const values = list.map((c, i) => {
    const mid = (i * Math.PI) / 4;
    return {
      direction: DIRECTIONS[i],
      count: c,
      pct: total ? Math.round((1000 * c) / total) / 10 : 0,
      theta: mid - Math.PI / 8 + 0.02,
      theta2: mid + Math.PI / 8 - 0.02,
      mid,
      radius: r0 + (R - r0) * Math.sqrt(c / max),
      labelRadius: R + 22,
    };
  });
  const rings = [0.25, 0.5, 1].map((f) => ({ radius: r0 + (R - r0) * Math.sqrt(f), label: fmt(max * f, 0) }));
  const title = opts.title ?? "Wind directions";
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: [`${total} ${unit}; wedge area ∝ count`], anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    width: 2 * (R + 40),
    height: 2 * (R + 40),
    layer: [
      {
        data: { values: rings },
        mark: { type: "arc", fill: null, stroke: "#cccccc", strokeDash: [3, 3] },
        encoding: { theta: { value: 0 }, theta2: { value: 2 * Math.PI }, radius: { field: "radius", type: "quantitative", scale: null, stack: null } },
      },
      {
        data: { values },
        mark: { type: "arc", stroke: "white", strokeWidth: 1 },
        encoding: {
          theta: { field: "theta", type: "quantitative", scale: null },
          theta2: { field: "theta2" },
          radius: { field: "radius", type: "quantitative", scale: null },
          radius2: { value: r0 },
          color: { field: "count", type: "quantitative", title: unit, scale: { scheme: "blues", domainMin: 0 } },
          tooltip: [{ field: "direction" }, { field: "count" }, { field: "pct", title: "%" }],
        },
      },
      {
        data: { values },
        mark: { type: "text", fontSize: 12, fontWeight: "bold" },
        encoding: {
          theta: { field: "mid", type: "quantitative", scale: null },
          radius: { field: "labelRadius", type: "quantitative", scale: null },
          text: { field: "direction" },
        },
      },
      {
        data: { values: rings },
        mark: { type: "text", fontSize: 9, color: "#777", align: "left", dx: 3 },
        encoding: { theta: { value: 0.35 }, radius: { field: "radius", type: "quantitative", scale: null }, text: { field: "label" } },
      },
    ],
  };
  const text = titled(
    title,
    table(
      ["direction", unit, "%"],
      values.map((v) => [v.direction, v.count, v.pct]),
    ),
    [`${total} ${unit} in all`],
  );
  return { title, spec, grammar: "vega-lite", text };
}
