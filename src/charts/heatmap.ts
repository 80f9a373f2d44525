// heatmap: a matrix as coloured cells (e.g. a product matrix, a counts grid).
import type { Chart } from "./types";
import { BASE_CONFIG } from "./palette";
import { ChartInputError, isFiniteNumber } from "./errors";
import { fmt, table, titled } from "./text";

export interface HeatmapOptions {
  title?: string;
  rowLabels?: string[];
  colLabels?: string[];
  /** What a cell holds, for the legend (default "value"). */
  valueLabel?: string;
  /** Above this many cells, blocks are averaged to fit (default 10 000). */
  maxCells?: number;
}

/** Builds a heatmap of a rectangular matrix. Throws ChartInputError on ragged or non-numeric input. */
export function heatmapChart(matrix: number[][], opts: HeatmapOptions = {}): Chart {
  if (!Array.isArray(matrix) || matrix.length === 0 || !Array.isArray(matrix[0]) || matrix[0].length === 0)
    throw new ChartInputError("heatmapChart", "matrix", "is empty or not an array of rows", "Pass number[][] with at least one row and one column.");
  const rows = matrix.length,
    cols = matrix[0].length;
  matrix.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== cols)
      throw new ChartInputError(
        "heatmapChart",
        `matrix[${i}]`,
        `has ${Array.isArray(r) ? r.length : "no"} columns, row 0 has ${cols}`,
        "Every row needs the same length.",
      );
    r.forEach((v, j) => {
      if (!isFiniteNumber(v)) throw new ChartInputError("heatmapChart", `matrix[${i}][${j}]`, `is ${JSON.stringify(v)}`, "Cells must be finite numbers.");
    });
  });
  if (opts.rowLabels && opts.rowLabels.length !== rows)
    throw new ChartInputError("heatmapChart", "opts.rowLabels", `has ${opts.rowLabels.length} labels for ${rows} rows`, "Give one label per row.");
  if (opts.colLabels && opts.colLabels.length !== cols)
    throw new ChartInputError("heatmapChart", "opts.colLabels", `has ${opts.colLabels.length} labels for ${cols} columns`, "Give one label per column.");
  const maxCells = opts.maxCells ?? 10000;
  const block = Math.max(1, Math.ceil(Math.sqrt((rows * cols) / maxCells)));
  const notes: string[] = [`${rows} × ${cols}`];
  if (block > 1) notes.push(`each cell shows the mean of a ${block} × ${block} block`);
  const values: { row: string; col: string; value: number }[] = [];
  for (let i = 0; i < rows; i += block)
    for (let j = 0; j < cols; j += block) {
      let s = 0,
        n = 0;
      for (let a = i; a < Math.min(rows, i + block); a++)
        for (let b = j; b < Math.min(cols, j + block); b++) {
          s += matrix[a][b];
          n++;
        }
      const label = (labels: string[] | undefined, k: number, n: number) => (block > 1 ? `${k}–${Math.min(n, k + block) - 1}` : labels ? labels[k] : String(k));
      values.push({ row: label(opts.rowLabels, i, rows), col: label(opts.colLabels, j, cols), value: Math.round((s / n) * 1000) / 1000 });
    }
  const flat = matrix.flat();
  const min = Math.min(...flat),
    max = Math.max(...flat);
  const title = opts.title ?? "Matrix";
  const small = rows * cols <= 400;
  const rowOrder = [...new Set(values.map((v) => v.row))],
    colOrder = [...new Set(values.map((v) => v.col))];
  const cell = Math.max(4, Math.min(40, Math.floor(560 / Math.max(rowOrder.length, colOrder.length))));
  const layers: unknown[] = [
    {
      mark: "rect",
      encoding: {
        x: { field: "col", type: "ordinal", sort: colOrder, title: "column", axis: colOrder.length > 40 ? { labels: false, ticks: false } : {} },
        y: { field: "row", type: "ordinal", sort: rowOrder, title: "row", axis: rowOrder.length > 40 ? { labels: false, ticks: false } : {} },
        color: {
          field: "value",
          type: "quantitative",
          title: opts.valueLabel ?? "value",
          scale: { scheme: min < 0 && max > 0 ? "redblue" : "viridis", ...(min < 0 && max > 0 ? { domainMid: 0, reverse: true } : {}) },
        },
        tooltip: [{ field: "row" }, { field: "col" }, { field: "value" }],
      },
    },
  ];
  if (small && cell >= 24)
    layers.push({
      mark: { type: "text", fontSize: 9 },
      encoding: { x: { field: "col", type: "ordinal", sort: colOrder }, y: { field: "row", type: "ordinal", sort: rowOrder }, text: { field: "value" } },
    });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: [...notes, `min ${fmt(min)}, max ${fmt(max)}`], anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    width: { step: cell },
    height: { step: cell },
    data: { values },
    layer: layers,
  };
  const shownRows = Math.min(rows, 8),
    shownCols = Math.min(cols, 8);
  const body = table(
    ["", ...Array.from({ length: shownCols }, (_, j) => opts.colLabels?.[j] ?? String(j))],
    matrix.slice(0, shownRows).map((r, i) => [opts.rowLabels?.[i] ?? String(i), ...r.slice(0, shownCols)]),
  );
  const text = titled(title, body, [
    `${rows} × ${cols}, min ${fmt(min)}, max ${fmt(max)}, mean ${fmt(flat.reduce((a, b) => a + b, 0) / flat.length)}`,
    ...(rows > shownRows || cols > shownCols ? [`top-left ${shownRows} × ${shownCols} shown`] : []),
  ]);
  return { title, spec, grammar: "vega-lite", text };
}
