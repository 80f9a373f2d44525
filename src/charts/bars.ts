// bars: a plain labelled bar chart (letter frequencies and the like).
import type { Chart } from "./types";
import { BASE_CONFIG } from "./palette";
import { ChartInputError, isFiniteNumber } from "./errors";
import { table, titled } from "./text";

export type BarData = Record<string, number> | Map<string, number> | { label: string; value: number }[];

export interface BarsOptions {
  title?: string;
  /** Axis title for the labels (default "label"). */
  xLabel?: string;
  /** Axis title for the values, with unit (default "count"). */
  yLabel?: string;
  /** "label" keeps the given/alphabetical order, "value" sorts largest first (default "label"). */
  sort?: "label" | "value";
}

/** Builds a bar chart. Throws ChartInputError on non-numeric values. */
export function barsChart(data: BarData, opts: BarsOptions = {}): Chart {
  let rows: { label: string; value: number }[];
  if (Array.isArray(data)) rows = data.map((d) => ({ label: String(d?.label), value: d?.value }));
  else if (data instanceof Map) rows = [...data].map(([label, value]) => ({ label: String(label), value }));
  else if (data && typeof data === "object") rows = Object.entries(data).map(([label, value]) => ({ label, value }));
  else throw new ChartInputError("barsChart", "data", `is ${typeof data}`, "Pass { label: value }, a Map, or [{ label, value }].");
  rows.forEach((r) => {
    if (!isFiniteNumber(r.value))
      throw new ChartInputError(
        "barsChart",
        `data[${JSON.stringify(r.label)}]`,
        `is ${JSON.stringify(r.value)}, not a number`,
        "Every bar needs a finite number.",
      );
  });
  if (opts.sort === "value") rows.sort((a, b) => b.value - a.value);
  const title = opts.title ?? "Counts";
  const total = rows.reduce((a, r) => a + r.value, 0);
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: [`${rows.length} bars, total ${total}`], anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    width: { step: Math.max(12, Math.min(60, Math.floor(700 / Math.max(1, rows.length)))) },
    height: 220,
    data: { values: rows },
    mark: { type: "bar", color: "#4c78a8" },
    encoding: {
      x: { field: "label", type: "nominal", sort: rows.map((r) => r.label), title: opts.xLabel ?? "label", axis: { labelAngle: 0 } },
      y: { field: "value", type: "quantitative", title: opts.yLabel ?? "count" },
      tooltip: [{ field: "label" }, { field: "value" }],
    },
  };
  const text = titled(
    title,
    table(
      [opts.xLabel ?? "label", opts.yLabel ?? "count"],
      rows.map((r) => [r.label, r.value]),
    ),
    [`total ${total}`],
  );
  return { title, spec, grammar: "vega-lite", text };
}
