// notes: the notebook build's cost, read from the record of the latest complete
// build (every notebook of notebooks/, one at a time) that `npm run notes` writes
// to .build/timings.json; this group does not run the notebooks itself (minutes).
// Older builds, and runs of single notebooks, are ignored: the figure is one
// build's wall time, never a sum across runs. The record says how busy the
// machine was, so a figure taken on a loaded machine is marked as such.
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ROOT } from "../lib";
import { soloFigure, summarize } from "../stats";
import type { Figure, GroupResult } from "../types";
import type { GroupContext } from "./context";

interface NotebookTiming {
  status: string;
  seconds: number;
  kernelWaitSeconds?: number;
  timingWaitSeconds?: number;
  closeSeconds?: number;
  cells: Array<{ cell: number; seconds: number; status: string }>;
  finishedAt?: string;
}

interface BuildRecord {
  id: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  cpuSeconds?: number | null;
  exportSeconds?: number;
  totalSeconds?: number;
  notebooks: string[];
  passed: number;
  failed: number;
  complete: boolean;
  machine?: { cores: number; loadAtStart: number; loadAtEnd: number; otherCpuShare: number | null; stealShare?: number | null };
}

export const TIMINGS = join(ROOT, ".build", "timings.json");
/** Other programs' share of the CPU above which a build's figure is marked as taken on a loaded machine. */
const LOADED_SHARE = 0.1;

export async function notesGroup(_ctx: GroupContext, file = TIMINGS): Promise<GroupResult> {
  const skip = (why: string): GroupResult => ({ group: "notes", figures: [], skipped: why });
  if (!existsSync(file)) return skip(`no ${basename(file)} in .build/: run \`npm run notes\` first`);
  let data: { notebooks?: Record<string, NotebookTiming>; builds?: BuildRecord[] };
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    return skip(`${file} is not valid JSON (${(err as Error).message}); rerun npm run notes`);
  }
  const builds = Array.isArray(data.builds) ? data.builds : [];
  const build = builds.filter((b) => b?.complete && Number.isFinite(b.seconds)).at(-1);
  if (!build) return skip(`${basename(file)} records no complete build (every notebook, one at a time): run \`npm run notes\` without arguments`);
  // This build's notebooks only: a later single-notebook run may have replaced an entry.
  const inBuild = (t: NotebookTiming | undefined) => !!t?.finishedAt && t.finishedAt >= build.startedAt && t.finishedAt <= build.finishedAt;
  const entries = build.notebooks.map((n) => [n, data.notebooks?.[n]] as const);
  const own = entries.filter(([, t]) => inBuild(t) && Array.isArray(t!.cells)) as Array<readonly [string, NotebookTiming]>;

  const total = build.totalSeconds ?? build.seconds;
  const m = build.machine;
  const loaded = m && (m.otherCpuShare ?? 0) > LOADED_SHARE;
  const machine = m
    ? `load average ${m.loadAtStart.toFixed(2)} at start, ${m.loadAtEnd.toFixed(2)} at end on ${m.cores} cores; other programs used ${m.otherCpuShare === null ? "?" : `${(m.otherCpuShare * 100).toFixed(0)} %`} of the CPU during the build${typeof m.stealShare === "number" ? ` (the hypervisor's steal ${(m.stealShare * 100).toFixed(1)} % of it)` : ""}`
    : "machine load not recorded";
  const figures: Figure[] = [
    soloFigure(
      `notes build, ${build.notebooks.length} notebooks, wall time of the latest complete build`,
      "s",
      summarize([total]),
      { on: "median", op: "<=", value: 120 },
      `npm run notes start to finish (run ${build.seconds.toFixed(1)} s${build.exportSeconds === undefined ? "" : ` + HTML export ${build.exportSeconds.toFixed(1)} s`})${loaded ? "; LOADED machine: not representative" : ""}`,
    ),
  ];
  const rows = [["notebook", "status", "seconds", "cells", "Σ cells s", "kernel wait s", "timing cells held s", "close s", "fastest cell ms"]];
  const waits: number[] = [];
  const fastest: number[] = [];
  for (const [name, t] of own) {
    const cellSum = t.cells.reduce((s, c) => s + c.seconds, 0);
    const min = t.cells.length ? Math.min(...t.cells.map((c) => c.seconds)) : NaN;
    if (t.kernelWaitSeconds !== undefined) waits.push(t.kernelWaitSeconds + (t.timingWaitSeconds ?? 0));
    if (Number.isFinite(min)) fastest.push(min * 1000);
    const s = (v: number | undefined, d = 2) => (v === undefined ? "–" : v.toFixed(d));
    rows.push([
      basename(name),
      t.status,
      t.seconds.toFixed(1),
      String(t.cells.length),
      cellSum.toFixed(1),
      s(t.kernelWaitSeconds),
      s(t.timingWaitSeconds),
      s(t.closeSeconds),
      Number.isFinite(min) ? (min * 1000).toFixed(0) : "–",
    ]);
  }
  if (typeof build.cpuSeconds === "number") {
    figures.push(
      soloFigure(
        `CPU time of the notebook runs (runner, server, kernels and their workers) on ${m?.cores ?? "?"} cores`,
        "s",
        summarize([build.cpuSeconds]),
        undefined,
        "less sensitive to other programs than the wall time; HTML export not included",
      ),
    );
  }
  if (waits.length) {
    const sum = waits.reduce((a, b) => a + b, 0);
    figures.push(
      soloFigure(
        "kernel start-up not hidden behind other work, all notebooks (waiting for a kernel + timing cells held for the next ones)",
        "s",
        summarize([sum]),
      ),
    );
  }
  if (fastest.length) figures.push(soloFigure("per-cell overhead (fastest cell of each notebook)", "ms", summarize(fastest)));
  const missing = entries.filter(([, t]) => !inBuild(t)).map(([n]) => basename(n));
  return {
    group: "notes",
    // The build's own steal, not this group's (which only reads the record).
    steal: typeof m?.stealShare === "number" ? m.stealShare : null,
    figures,
    tables: [{ title: `Per notebook (build ${build.id})`, rows }],
    notes: [
      `latest complete build ${build.id}, ${build.startedAt} to ${build.finishedAt} (a single build: reps = 1); ${machine}`,
      ...(loaded
        ? [
            `the machine was busy with other work during this build (over ${LOADED_SHARE * 100} % of its CPU): rerun \`npm run notes\` on a quiet machine for a representative figure`,
          ]
        : []),
      ...(build.failed ? [`${build.failed} notebook(s) failed in this build`] : []),
      ...(missing.length ? [`rerun since (per-notebook rows omitted): ${missing.join(", ")}`] : []),
    ],
  };
}
