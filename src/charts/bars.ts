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
  /** Show the sum of the bars (default false): for counts that add up, such as letter frequencies, not for times or ratios. */
  total?: boolean;
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
  // Rounded to 12 significant digits, so that a sum of decimals prints as it reads (0.1 + 0.2 as 0.3).
  const total = opts.total ? [`total ${Number(rows.reduce((a, r) => a + r.value, 0).toPrecision(12))}`] : [];
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: [[`${rows.length} bars`, ...total].join(", ")], anchor: "start", fontSize: 15 },
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
    total,
  );
  return { title, spec, grammar: "vega-lite", text };
}
