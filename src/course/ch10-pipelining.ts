// Chapter 10: the METAR wind distribution as a three-stage pipeline. Stage 1 reads
// each file and splits it into reports, stage 2 extracts the wind groups, stage 3
// adds them up; consecutive stages are joined by bounded channels (pipes), and a
// `null` message tells the next stage that no more input will come. The counting
// rule is the course's (src/course/metar.ts), so the result equals windCountsDir().
// Where the report filter runs (`filterIn`) moves work between the first two
// stages: the knob that balances them.
//
// Worker functions are shipped as source (see ch07-barriers.ts for the rules).
import type { Run } from "../spawn/run";
import { Barrier, Channel } from "../sync/index";
import type { RunData } from "../trace/types";
import { BASE_CONFIG } from "../charts/palette";
import { table, titled } from "../charts/text";
import type { Chart } from "../charts/types";
import { courseWorkers, type ParallelKind } from "./workers";
import { withQueueDepth } from "./ch09-message-passing";
import { checkInt, CourseInputError } from "./errors";
import { metarFiles } from "./metar";

export const PIPELINE_STAGES = ["split", "extract", "count"] as const;

/** Where the course's report filter (reportCounts) runs: in stage 2 with the extraction (as the course does), or in stage 1 before sending. */
export type FilterStage = "extract" | "split";

export interface WindPipelineResult {
  kind: ParallelKind;
  batch: number;
  filterIn: FilterStage;
  /** N, NE, E, SE, S, SW, W, NW. */
  counts: number[];
  files: number;
  reports: number;
  /** From the call to the end, starting the workers included. */
  ms: number;
  /** From the moment all three stages were running (a start barrier) to the last stage's end. */
  workMs: number;
  /** Per stage (split, extract, count): the share of workMs it spent working, not waiting on a pipe. */
  occupancy: number[];
  /** The run with queue depths as counter events, for the pipeline chart. */
  data: RunData;
  run: Run<unknown>;
}

/**
 * Counts the wind directions of every METAR file in `dir` with three workers
 * (threads or processes) joined by two channels of `capacity` messages: "reports"
 * (batches of up to `batch` report strings) and "winds" (batches of directions,
 * −1 for a variable wind). Each stage forwards a final null. The three meet at a
 * barrier before the first file is read, so `workMs` leaves out starting them; before
 * it each stage runs its step once over the first file, so that `workMs` is of warm
 * code, as the single process is timed (timeSingle with a warm-up).
 * Resolves with the 8 counts; rejects naming the directory when it holds no .txt files.
 */
export async function windPipeline(
  dir: string,
  opts: { kind?: ParallelKind; batch?: number; capacity?: number; filterIn?: FilterStage } = {},
): Promise<WindPipelineResult> {
  const { kind, spawner, shared } = courseWorkers(opts.kind ?? "processes", "windPipeline");
  const filterIn = opts.filterIn ?? "extract";
  if (filterIn !== "extract" && filterIn !== "split") {
    throw new CourseInputError(`windPipeline: filterIn must be "extract" or "split", got ${JSON.stringify(filterIn)}`);
  }
  const batch = checkInt("batch", opts.batch ?? 200, 1, 100_000);
  const capacity = checkInt("capacity", opts.capacity ?? 8, 1, 10_000);
  const files = metarFiles(dir);
  // A report is well under 1 kB; leave room for `batch` of them in one message.
  const reportsPipe = new Channel({ capacity, maxMessageBytes: Math.max(64 * 1024, batch * 1024), label: "reports", shared });
  const windsPipe = new Channel({ capacity, maxMessageBytes: Math.max(16 * 1024, batch * 64), label: "winds", shared });
  const gate = new Barrier(3, { label: "start", shared });
  const t0 = performance.now();
  try {
    const run = await spawner.run(3, windStage, { files, reportsPipe, windsPipe, batch, filterIn, gate }, { deadlockAfter: 60_000 });
    const results = run.results as StageResult[];
    const data = withQueueDepth(run);
    const from = Math.max(...results.map((r) => r.startedAt));
    const to = Math.max(...results.map((r) => r.endedAt));
    return {
      kind,
      batch,
      filterIn,
      counts: results[2].counts!,
      files: files.length,
      reports: results[0].reports!,
      ms: performance.now() - t0,
      workMs: to - from,
      occupancy: run.workers.map((w, i) => stageOccupancy(data, w.label, from, Math.min(to, results[i].endedAt), to - from)),
      data,
      run,
    };
  } finally {
    reportsPipe.dispose();
    windsPipe.dispose();
    gate.dispose();
  }
}

interface StageResult {
  startedAt: number;
  endedAt: number;
  reports?: number;
  counts?: number[];
}

/** Working time of one stage between `from` and `end`, as a share of `span`: its time minus its blocked waits. */
function stageOccupancy(data: RunData, worker: string, from: number, end: number, span: number): number {
  let blocked = 0;
  for (const e of data.trace) {
    if (e.type !== "span" || e.worker !== worker || e.state !== "blocked") continue;
    blocked += Math.max(0, Math.min(e.end, end) - Math.max(e.start, from));
  }
  return span > 0 ? Math.max(0, Math.min(1, (end - from - blocked) / span)) : 0;
}

/** One stage of the pipeline, by worker id (shipped as source: it uses only its argument and require). */
function windStage({
  id,
  files,
  reportsPipe,
  windsPipe,
  batch,
  filterIn,
  gate,
}: {
  id: number;
  files: string[];
  reportsPipe: Channel;
  windsPipe: Channel;
  batch: number;
  filterIn: FilterStage;
  gate: Barrier;
}): StageResult {
  const { splitReports, reportCounts, extractWinds, windTokens, addToDistribution } = require("kernel-helpers");
  // (No named helper functions in here: a bundler would wrap them in a call this
  // function cannot see in a worker.) Times are on the shared clock.
  const { readFileSync } = require("node:fs");
  // Warm, as the single process it is compared with is timed warm: before the start,
  // each stage runs its own step over the first file, so that its code is compiled.
  const sample: string[] = splitReports(readFileSync(files[0], "utf8"));
  if (id === 0) for (const r of sample) reportCounts(r);
  else if (id === 1) for (const r of sample) (filterIn === "split" ? windTokens : extractWinds)(r);
  else addToDistribution([0, 0, 0, 0, 0, 0, 0, 0], [{ group: "", dir: 0 }]);
  gate.wait(); // all three are running and warm: the work starts now
  const startedAt = performance.timeOrigin + performance.now();
  if (id === 0) {
    // Stage 1: files → batches of reports (only those that count, when the filter runs here).
    let reports = 0;
    let out: string[] = [];
    for (const file of files) {
      for (const r of splitReports(readFileSync(file, "utf8"))) {
        reports++;
        if (filterIn === "split" && !reportCounts(r)) continue;
        out.push(r);
        if (out.length === batch) {
          reportsPipe.send(out); // blocks while the pipe is full
          out = [];
        }
      }
    }
    if (out.length) reportsPipe.send(out);
    reportsPipe.send(null); // end of input
    return { startedAt, endedAt: performance.timeOrigin + performance.now(), reports };
  }
  if (id === 1) {
    // Stage 2: reports → directions (−1 = variable).
    const winds = filterIn === "split" ? windTokens : extractWinds;
    for (;;) {
      const reports = reportsPipe.recv() as string[] | null;
      if (reports === null || reports === undefined) break;
      const dirs: number[] = [];
      for (const r of reports) for (const w of winds(r)) dirs.push(w.dir === null ? -1 : w.dir);
      windsPipe.send(dirs);
    }
    windsPipe.send(null);
    return { startedAt, endedAt: performance.timeOrigin + performance.now() };
  }
  // Stage 3: directions → the distribution.
  const dist = [0, 0, 0, 0, 0, 0, 0, 0];
  for (;;) {
    const dirs = windsPipe.recv() as number[] | null;
    if (dirs === null || dirs === undefined) break;
    addToDistribution(
      dist,
      dirs.map((d) => ({ group: "", dir: d < 0 ? null : d })),
    );
  }
  return { startedAt, endedAt: performance.timeOrigin + performance.now(), counts: dist };
}

/**
 * The stage-occupancy chart: for each pipeline run (a row label such as "threads,
 * batch 200, filter in extract"), the share of its working time each stage spent
 * working. The busiest stage sets the pace; a pipeline of 3 on 2 cores can beat one
 * process only if the two heaviest stages are about equally busy.
 */
export function stageOccupancyChart(
  runs: { label: string; occupancy: number[]; speedup?: number }[],
  title = "Stage occupancy: the share of the run each stage worked",
): Chart {
  if (!Array.isArray(runs) || runs.length === 0 || runs.some((r) => !Array.isArray(r.occupancy) || r.occupancy.length !== PIPELINE_STAGES.length)) {
    throw new CourseInputError(
      `stageOccupancyChart: pass [{ label, occupancy: [split, extract, count] }], one per run, as windPipeline() gives (occupancy has ${PIPELINE_STAGES.length} shares)`,
    );
  }
  const values = runs.flatMap((r) => r.occupancy.map((o, i) => ({ run: r.label, stage: PIPELINE_STAGES[i], share: Math.round(o * 1000) / 10 })));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: ["100 % = the stage worked the whole time; the busiest stage is the bottleneck"], anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "run", type: "nominal", sort: runs.map((r) => r.label), title: null, axis: { labelLimit: 260 } },
      yOffset: { field: "stage", sort: [...PIPELINE_STAGES] },
      x: { field: "share", type: "quantitative", title: "share of the run spent working (%)", scale: { domain: [0, 100] } },
      color: { field: "stage", type: "nominal", sort: [...PIPELINE_STAGES], scale: { range: ["#4c78a8", "#f58518", "#54a24b"] } },
      tooltip: [{ field: "run" }, { field: "stage" }, { field: "share" }],
    },
    height: { step: 12 },
    width: 420,
  };
  const text = titled(
    title,
    table(
      ["run", ...PIPELINE_STAGES.map((s) => `${s} %`), "speedup"],
      runs.map((r) => [r.label, ...r.occupancy.map((o) => Math.round(o * 100)), r.speedup === undefined ? null : Math.round(r.speedup * 100) / 100]),
    ),
  );
  return { title, spec, grammar: "vega-lite", text };
}
