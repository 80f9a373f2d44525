// charts: the first render in a fresh process (module and vega loading
// included: what a reader waits for in a new kernel), later renders of new
// charts of a kind already drawn, the first render of every other kind, and a
// timeline of 10^5 trace events.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib";
import { soloFigure, summarize } from "../stats";
import type { GroupResult } from "../types";
import { reps, type GroupContext } from "./context";
import { runChild } from "./run-child";
import * as F from "../../tests/charts/fixtures";

interface ChildResult {
  firstMs: number;
  laterMs: number[];
  kindsMs: Record<string, number>;
  bigMs: number;
  bigSvgBytes: number;
}

export async function chartsGroup(ctx: GroupContext): Promise<GroupResult> {
  // The built kernel-helpers is what a notebook loads; src/ through tsx adds transpiling.
  const helpers = join(ROOT, "kernel-helpers", "dist", "index.js");
  const built = existsSync(helpers);
  const lib = built ? helpers : join(ROOT, "src", "charts", "index.ts");
  // The charts' inputs are the chart tests' fixtures, handed over as data so that one plain script serves both.
  const input = JSON.stringify({
    mutexRun: F.mutexRun(),
    pipelineRun: F.pipelineRun(),
    deadlockGraph: F.deadlockGraph(),
    poolTasks: F.poolTasks(),
    trainFrames: F.trainFrames(8),
    bigRun: F.bigRun(100_000),
  });
  const { warmup, reps: n } = ctx.smoke ? { warmup: 0, reps: 1 } : reps(ctx, 5, 1);
  const later = ctx.smoke ? 2 : 10;
  const firsts: number[] = [];
  const laters: number[] = [];
  const kindMedians: number[] = [];
  const perKind = new Map<string, number[]>();
  const bigs: number[] = [];
  let bigBytes = 0;
  // The warm-up fills the OS file cache, as a reader's second kernel would find it.
  for (let i = 0; i < warmup + n; i++) {
    const r = await runChild<ChildResult>("chart-render.js", [String(later), lib], { tsx: !built, input });
    if (i < warmup) continue;
    firsts.push(r.firstMs);
    laters.push(summarize(r.laterMs).median);
    kindMedians.push(summarize(Object.values(r.kindsMs)).median);
    for (const [kind, ms] of Object.entries(r.kindsMs)) perKind.set(kind, [...(perKind.get(kind) ?? []), ms]);
    bigs.push(r.bigMs);
    bigBytes = Math.max(bigBytes, r.bigSvgBytes);
  }
  const first = summarize(firsts);
  const next = summarize(laters);
  const slowest = [...perKind].map(([kind, ms]) => [kind, summarize(ms).median] as const).sort((a, b) => b[1] - a[1])[0];
  return {
    group: "charts",
    figures: [
      soloFigure(`first render in a fresh process (${built ? "require kernel-helpers" : "import src/charts via tsx"} + vega load + SVG)`, "ms", first, {
        on: "median",
        op: "<=",
        value: 500,
      }),
      soloFigure(
        `later render of a new speedup chart (median of ${later} per process)`,
        "ms",
        next,
        { on: "median", op: "<=", value: 50 },
        `each of new measurements (new serial fraction, subtitle, legend): the compiled spec shape is reused, the data, titles and domains are new (src/charts/shape.ts); first ÷ later = ${(first.median / next.median).toFixed(1)}×`,
      ),
      soloFigure(
        "first render of each other chart kind in the process (median over the 10 kinds)",
        "ms",
        summarize(kindMedians),
        undefined,
        `Vega-Lite compile + Vega parse included; slowest: ${slowest[0]} ${slowest[1].toFixed(0)} ms`,
      ),
      soloFigure(
        "timeline of 10^5 trace events: build + render",
        "ms",
        summarize(bigs),
        { on: "median", op: "<=", value: 1000 },
        `SVG ${(bigBytes / 1e6).toFixed(2)} MB`,
      ),
    ],
  };
}
