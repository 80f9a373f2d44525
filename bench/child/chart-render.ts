// Run in a fresh process (through tsx) by the charts group when kernel-helpers
// is not built: the measurements of chart-render.js, on src/charts, with the
// inputs of tests/charts/fixtures.ts. (tsx resolves "./chart-render.js" to
// this file, so the two cannot share code by requiring each other.)
// Prints one JSON line: { firstMs, laterMs: number[], kindsMs: {kind: ms}, bigMs, bigSvgBytes }.
import { join } from "node:path";

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const later = Number(process.argv[2] ?? "5");
  const t0 = performance.now();
  const C: typeof import("../../src/charts") = await import(join(__dirname, "..", "..", "src", "charts", "index.ts"));
  const chart = (i: number) =>
    C.speedupChart(
      [1, 2, 4, 8].map((n) => ({ workers: n, ms: 100 * (0.1 + 0.9 / n) * (1 + 0.05 * Math.sin(i * 12.9898 + n * 78.233)) })),
      { title: "render probe" },
    );
  const first = await C.renderSvg(chart(0));
  const firstMs = performance.now() - t0;
  if (typeof first !== "string" || !first.includes("<svg")) throw new Error("renderSvg did not return an SVG string");
  const laterMs: number[] = [];
  for (let i = 1; i <= later; i++) laterMs.push(await timed(() => C.renderSvg(chart(i))));
  const F = await import(join(__dirname, "..", "..", "tests", "charts", "fixtures.ts"));
  const kinds: Record<string, () => import("../../src/charts").Chart> = {
    timeline: () => C.timelineChart(F.mutexRun()),
    contention: () => C.contentionChart(F.mutexRun()),
    outcomes: () =>
      C.outcomesChart({ "100": 912, "90": 41, "110": 38, "-30": 9 }, (v) => (v === "100" ? "expected" : Number(v) >= 0 ? "acceptable" : "forbidden")),
    waitFor: () => C.waitForChart(F.deadlockGraph()),
    pipeline: () => C.pipelineChart(F.pipelineRun()),
    taskStream: () => C.taskStreamChart(F.poolTasks()),
    bars: () => C.barsChart({ a: 5, b: 2, c: 9, d: 4 }),
    windRose: () => C.windRoseChart([412, 220, 180, 260, 390, 980, 760, 330]),
    heatmap: () => C.heatmapChart(Array.from({ length: 12 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 3) % 11) - 5))),
    animation: () => ({ ...C.animationChart(F.trainFrames(8)), svg: undefined }),
  };
  const kindsMs: Record<string, number> = {};
  for (const [kind, make] of Object.entries(kinds)) kindsMs[kind] = await timed(() => C.renderSvg(make()));
  const run = F.bigRun(100_000);
  let svg = "";
  const bigMs = await timed(async () => (svg = await C.renderSvg(C.timelineChart(run))));
  process.stdout.write(`${JSON.stringify({ firstMs, laterMs, kindsMs, bigMs, bigSvgBytes: svg.length })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
