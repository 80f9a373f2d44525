// Run in a fresh Node process by the charts group, as a notebook kernel would:
// times loading the chart library + the first speedup chart rendered to SVG (vega
// loading included), then:
// - `later` more speedup charts, each of new measurements (so a new serial
//   fraction, subtitle, legend label and domains: a new chart, not a repeat),
//   which reuse the compiled spec shape (src/charts/shape.ts);
// - one chart of every other kind in the catalogue, each the first of its kind
//   in the process (its shape compiled: Vega-Lite + Vega parse included);
// - a timeline of 10^5 trace events: building the chart plus rendering it.
// Arguments: `later`, the library to require (the built kernel-helpers in plain
// Node; src/charts/index.ts when the group runs this through tsx). Standard input:
// the charts' inputs as JSON, made by the group from tests/charts/fixtures.ts, so
// that this plain script needs no TypeScript of its own.
// Prints one JSON line: { firstMs, laterMs: number[], kindsMs: {kind: ms}, bigMs, bigSvgBytes }.
"use strict";
const { readFileSync } = require("node:fs");

/** One chart of each other kind (the speedup chart is the one timed above). */
function catalogue(lib, inputs) {
  return {
    timeline: () => lib.timelineChart(inputs.mutexRun),
    contention: () => lib.contentionChart(inputs.mutexRun),
    outcomes: () => lib.outcomesChart({ 100: 912, 90: 41, 110: 38, "-30": 9 }, (v) => (v === "100" ? "expected" : Number(v) >= 0 ? "acceptable" : "forbidden")),
    waitFor: () => lib.waitForChart(inputs.deadlockGraph),
    pipeline: () => lib.pipelineChart(inputs.pipelineRun),
    taskStream: () => lib.taskStreamChart(inputs.poolTasks),
    bars: () => lib.barsChart({ a: 5, b: 2, c: 9, d: 4 }),
    windRose: () => lib.windRoseChart([412, 220, 180, 260, 390, 980, 760, 330]),
    heatmap: () => lib.heatmapChart(Array.from({ length: 12 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 3) % 11) - 5))),
    // The animation's SVG is drawn by hand; rendering it means its Vega-Lite slider view.
    animation: () => ({ ...lib.animationChart(inputs.trainFrames), svg: undefined }),
  };
}

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main() {
  const later = Number(process.argv[2] || "5");
  const path = process.argv[3];
  const t0 = performance.now();
  const lib = require(path);
  if (typeof lib.renderSvg !== "function" || typeof lib.speedupChart !== "function") {
    throw new Error(`${path} exports no renderSvg / speedupChart`);
  }
  // Measurements of a program with serial fraction ≈ 0.1, with ±5 % noise that differs per chart.
  const chart = (i) =>
    lib.speedupChart(
      [1, 2, 4, 8].map((n) => ({ workers: n, ms: 100 * (0.1 + 0.9 / n) * (1 + 0.05 * Math.sin(i * 12.9898 + n * 78.233)) })),
      { title: "render probe" },
    );
  const first = await lib.renderSvg(chart(0));
  const firstMs = performance.now() - t0;
  if (typeof first !== "string" || !first.includes("<svg")) throw new Error("renderSvg did not return an SVG string");
  const laterMs = [];
  for (let i = 1; i <= later; i++) laterMs.push(await timed(() => lib.renderSvg(chart(i))));
  const inputs = JSON.parse(readFileSync(0, "utf8")); // after the timed first renders, outside every timing
  const kindsMs = {};
  for (const [kind, make] of Object.entries(catalogue(lib, inputs))) kindsMs[kind] = await timed(() => lib.renderSvg(make()));
  let svg = "";
  const bigMs = await timed(async () => (svg = await lib.renderSvg(lib.timelineChart(inputs.bigRun))));
  process.stdout.write(`${JSON.stringify({ firstMs, laterMs, kindsMs, bigMs, bigSvgBytes: svg.length })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
