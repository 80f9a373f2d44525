// charts: the first render in a fresh process (module and vega loading
// included: what a reader waits for in a new kernel) and later renders.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib";
import { soloFigure, summarize } from "../stats";
import type { GroupResult } from "../types";
import { reps, type GroupContext } from "./context";
import { runChild } from "./run-child";

export async function chartsGroup(ctx: GroupContext): Promise<GroupResult> {
  const dir = join(ROOT, "src", "charts");
  if (!existsSync(join(dir, "render.ts")) && !existsSync(join(dir, "index.ts"))) {
    return { group: "charts", figures: [], skipped: "src/charts (renderSvg) does not exist yet" };
  }
  // The built kernel-helpers is what a notebook loads; src/ through tsx adds transpiling.
  const built = existsSync(join(ROOT, "kernel-helpers", "dist", "index.js"));
  const script = built ? "chart-render.js" : "chart-render.ts";
  const { warmup, reps: n } = ctx.smoke ? { warmup: 0, reps: 1 } : reps(ctx, 5, 1);
  const later = ctx.smoke ? 2 : 10;
  const firsts: number[] = [];
  const laters: number[] = [];
  // The warm-up fills the OS file cache, as a reader's second kernel would find it.
  for (let i = 0; i < warmup + n; i++) {
    const r = await runChild<{ firstMs: number; laterMs: number[] }>(script, [String(later)]);
    if (i < warmup) continue;
    firsts.push(r.firstMs);
    laters.push(summarize(r.laterMs).median);
  }
  const first = summarize(firsts);
  const next = summarize(laters);
  return {
    group: "charts",
    figures: [
      soloFigure(
        `first render in a fresh process (${built ? "require kernel-helpers" : "import src/charts via tsx"} + vega load + SVG)`,
        "ms",
        first,
        { on: "median", op: "<=", value: 500 },
      ),
      soloFigure("later render (median per process)", "ms", next, undefined, `first ÷ later = ${(first.median / next.median).toFixed(1)}×`),
    ],
  };
}
