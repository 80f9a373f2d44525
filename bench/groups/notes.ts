// notes: the notebook build's cost, read from the runner's timings
// (.build/timings.json, written by `npm run notes`); this group does not run
// the notebooks itself (minutes). Kernel start + teardown per notebook is its
// wall time minus the sum of its cells; the per-cell overhead is estimated by
// the fastest cell of each notebook (a trivial cell costs only the round trip).
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { ROOT } from "../lib";
import { soloFigure, summarize } from "../stats";
import type { Figure, GroupResult } from "../types";
import type { GroupContext } from "./context";

interface NotebookTiming {
  status: string;
  seconds: number;
  cells: Array<{ cell: number; seconds: number; status: string }>;
  finishedAt?: string;
}

export const TIMINGS = join(ROOT, ".build", "timings.json");

export async function notesGroup(_ctx: GroupContext, file = TIMINGS): Promise<GroupResult> {
  if (!existsSync(file)) return { group: "notes", figures: [], skipped: `no ${basename(file)} in .build/: run \`npm run notes\` first` };
  let data: { updated?: string; notebooks?: Record<string, NotebookTiming> };
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    return { group: "notes", figures: [], skipped: `${file} is not valid JSON (${(err as Error).message}); rerun npm run notes` };
  }
  const entries = Object.entries(data.notebooks ?? {}).filter(([, t]) => t && Number.isFinite(t.seconds) && Array.isArray(t.cells));
  if (!entries.length) return { group: "notes", figures: [], skipped: `${file} lists no notebook timings` };
  entries.sort(([a], [b]) => (a < b ? -1 : 1));
  const figures: Figure[] = [];
  const rows = [["notebook", "status", "seconds", "cells", "Σ cells s", "kernel start + teardown s", "fastest cell ms"]];
  const starts: number[] = [];
  const fastest: number[] = [];
  let total = 0;
  for (const [name, t] of entries) {
    const cellSum = t.cells.reduce((s, c) => s + c.seconds, 0);
    const start = t.seconds - cellSum;
    const min = t.cells.length ? Math.min(...t.cells.map((c) => c.seconds)) : NaN;
    total += t.seconds;
    if (t.cells.length) {
      starts.push(start);
      fastest.push(min * 1000);
    }
    rows.push([basename(name), t.status, t.seconds.toFixed(1), String(t.cells.length), cellSum.toFixed(1), start.toFixed(2), Number.isFinite(min) ? (min * 1000).toFixed(0) : "–"]);
  }
  const one = (v: number) => summarize([v]);
  figures.push(soloFigure(`notes build, ${entries.length} notebooks, total`, "s", one(total), { on: "median", op: "<=", value: 120 }, "sum of the notebooks' wall times, one at a time"));
  if (starts.length) {
    figures.push(soloFigure("kernel start + teardown per notebook (wall − Σ cells)", "s", summarize(starts)));
    figures.push(soloFigure("per-cell overhead (fastest cell of each notebook)", "ms", summarize(fastest)));
  }
  const failed = entries.filter(([, t]) => t.status !== "passed").map(([n]) => basename(n));
  const age = new Date(data.updated ?? statSync(file).mtime.toISOString()).toISOString();
  return {
    group: "notes",
    figures,
    tables: [{ title: "Per notebook (from .build/timings.json)", rows }],
    notes: [
      `timings written ${age} by npm run notes (single run: reps = 1 per notebook)`,
      ...(failed.length ? [`not passed: ${failed.join(", ")}`] : []),
    ],
  };
}
