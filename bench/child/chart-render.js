// Run in a fresh plain Node process by the charts group, as a notebook kernel
// would: times require("kernel-helpers") + the first speedup chart rendered to
// SVG (vega loading included), then:
// - `later` more speedup charts, each of new measurements (so a new serial
//   fraction, subtitle, legend label and domains: a new chart, not a repeat),
//   which reuse the compiled spec shape (src/charts/shape.ts);
// - one chart of every other kind in the catalogue, each the first of its kind
//   in the process (its shape compiled: Vega-Lite + Vega parse included);
// - a timeline of 10^5 trace events: building the chart plus rendering it.
// Prints one JSON line: { firstMs, laterMs: number[], kindsMs: {kind: ms}, bigMs, bigSvgBytes }.
"use strict";
const { join } = require("node:path");

const T0 = 1_700_000_000_000;
const lock = { kind: "mutex", id: "m1", label: "balance" };
const gate = { kind: "barrier", id: "b1", label: "gate" };

/** main + 3 threads taking a lock and meeting at a barrier (as tests/charts/fixtures.ts mutexRun). */
function lockRun() {
  const trace = [{ type: "span", worker: "main", state: "running", start: T0, end: T0 + 100 }];
  const workers = ["t0", "t1", "t2"].map((label, id) => ({ id, label, kind: "thread", spawnedAt: T0 + id, readyAt: T0 + 5 + id, endedAt: T0 + 95 }));
  workers.forEach((w, i) => {
    trace.push({ type: "span", worker: w.label, state: "spawning", start: T0 + i, end: T0 + 5 + i });
    trace.push({ type: "span", worker: w.label, state: "running", start: T0 + 5 + i, end: T0 + 95 });
    for (let k = 0; k < 6; k++) {
      const s = T0 + 10 + k * 12 + i * 3;
      trace.push({ type: "span", worker: w.label, state: "blocked", start: s, end: s + 1 + i, prim: lock, outcome: "acquired" });
      trace.push({ type: "span", worker: w.label, state: "holding", start: s + 1 + i, end: s + 3 + i, prim: lock });
    }
    trace.push({ type: "span", worker: w.label, state: "blocked", start: T0 + 48 - i * 2, end: T0 + 50, prim: gate, outcome: "woken" });
  });
  trace.push({ type: "instant", worker: "t0", name: "phase", at: T0 + 50, prim: gate, args: { phase: 1 } });
  return { kind: "threads", n: 3, startedAt: T0, endedAt: T0 + 100, workers: [{ id: -1, label: "main", kind: "main", spawnedAt: T0 }, ...workers], trace };
}

/** Three processes with a queue between them and its depth counter. */
function queueRun() {
  const q = { kind: "queue", id: "q1", label: "reports" };
  const trace = [];
  ["p0", "p1", "p2"].forEach((w, i) => {
    trace.push({ type: "span", worker: w, state: "running", start: T0 + 2, end: T0 + 200 });
    for (let k = 0; k < 8; k++)
      trace.push({ type: "span", worker: w, state: "blocked", start: T0 + 10 + k * 22 + i * 5, end: T0 + 16 + k * 22 + i * 8, prim: q });
  });
  for (let k = 0; k <= 40; k++) trace.push({ type: "counter", name: "reports depth", at: T0 + k * 5, value: k % 7 });
  return {
    kind: "processes",
    n: 3,
    startedAt: T0,
    endedAt: T0 + 205,
    workers: ["p0", "p1", "p2"].map((label, id) => ({ id, label, kind: "process", spawnedAt: T0 })),
    trace,
  };
}

/** `n` trace events over 8 threads (as tests/charts/fixtures.ts bigRun). */
function bigRun(n) {
  const trace = [];
  const per = Math.floor(n / 16);
  for (let w = 0; w < 8; w++)
    for (let k = 0; k < per; k++) {
      const s = T0 + k * 0.1;
      trace.push({ type: "span", worker: `t${w}`, state: "running", start: s, end: s + 0.06 });
      trace.push({ type: "span", worker: `t${w}`, state: "blocked", start: s + 0.06, end: s + 0.1, prim: lock });
    }
  return {
    kind: "threads",
    n: 8,
    startedAt: T0,
    endedAt: T0 + per * 0.1,
    workers: Array.from({ length: 8 }, (_, id) => ({ id, label: `t${id}`, kind: "thread", spawnedAt: T0 })),
    trace,
  };
}

/** One chart of each other kind (the speedup chart is the one timed above). */
function catalogue(lib) {
  const tasks = Array.from({ length: 24 }, (_, task) => ({
    task,
    worker: `w${task % 4}`,
    submittedAt: T0,
    startedAt: T0 + task * 3,
    endedAt: T0 + task * 3 + 5 + (task % 5),
  }));
  const a = { kind: "mutex", id: "a", label: "lock A" },
    b = { kind: "mutex", id: "b", label: "lock B" };
  return {
    timeline: () => lib.timelineChart(lockRun()),
    contention: () => lib.contentionChart(lockRun()),
    outcomes: () => lib.outcomesChart({ 100: 912, 90: 41, 110: 38, "-30": 9 }, (v) => (v === "100" ? "expected" : Number(v) >= 0 ? "acceptable" : "forbidden")),
    waitFor: () =>
      lib.waitForChart({
        holds: [
          { worker: "t0", prim: a },
          { worker: "t1", prim: b },
        ],
        waits: [
          { worker: "t0", prim: b, since: T0 },
          { worker: "t1", prim: a, since: T0 },
        ],
        cycle: ["t0", "b", "t1", "a"],
      }),
    pipeline: () => lib.pipelineChart(queueRun()),
    taskStream: () => lib.taskStreamChart(tasks),
    bars: () => lib.barsChart({ a: 5, b: 2, c: 9, d: 4 }),
    windRose: () => lib.windRoseChart([412, 220, 180, 260, 390, 980, 760, 330]),
    heatmap: () => lib.heatmapChart(Array.from({ length: 12 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 3) % 11) - 5))),
    // The animation's SVG is drawn by hand; rendering it means its Vega-Lite slider view.
    animation: () => ({
      ...lib.animationChart([
        { shapes: [{ type: "rect", x: 0, y: 0, w: 10, h: 10, fill: "#4c78a8" }] },
        { shapes: [{ type: "circle", x: 5, y: 5, r: 4, fill: "#e45756" }] },
      ]),
      svg: undefined,
    }),
  };
}

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main() {
  const later = Number(process.argv[2] || "5");
  const t0 = performance.now();
  // chart-render.ts points this at src/charts when kernel-helpers is not built.
  const path = process.env.CHART_RENDER_LIB || join(__dirname, "..", "..", "kernel-helpers", "dist", "index.js");
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
  const kindsMs = {};
  for (const [kind, make] of Object.entries(catalogue(lib))) kindsMs[kind] = await timed(() => lib.renderSvg(make()));
  const run = bigRun(100_000);
  let svg = "";
  const bigMs = await timed(async () => (svg = await lib.renderSvg(lib.timelineChart(run))));
  process.stdout.write(`${JSON.stringify({ firstMs, laterMs, kindsMs, bigMs, bigSvgBytes: svg.length })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
