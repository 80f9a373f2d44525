// Chapter 10: the METAR wind distribution as a three-stage pipeline. Stage 1 reads
// each file and splits it into reports, stage 2 extracts the wind groups, stage 3
// adds them up; consecutive stages are joined by bounded channels (pipes), and a
// `null` message tells the next stage that no more input will come. The counting
// rule is the course's (src/course/metar.ts), so the result equals windCountsDir().
// Where the report filter runs moves work between the first two stages: the knob
// that balances them (`filterInSplit`, the share of reports checked in stage 1).
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

export interface WindPipelineResult {
  kind: ParallelKind;
  batch: number;
  /** The share of reports checked against the filter in the split stage (the rest in extract). */
  filterInSplit: number;
  /** N, NE, E, SE, S, SW, W, NW. */
  counts: number[];
  files: number;
  reports: number;
  /** From the call to the end, starting and warming the workers included. */
  ms: number;
  /** From the call until the last of the three stages was running: the cost of starting the workers. */
  startMs: number;
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
 * (batches of up to `batch` reports, as one string of lines) and "winds" (batches of
 * directions, −1 for a variable wind). Each stage forwards a final null.
 * `filterInSplit` (0 to 1, default 0) is the share of reports the split stage checks
 * against the course's filter (reportCounts), sending on only those that count; the
 * others go unchecked and the extract stage checks them. 0 is the
 * course's own split of the work, 1 moves the whole filter into the first stage.
 * The three meet at a barrier before the first file is read, so `workMs` leaves out
 * starting them (`startMs`); before it each stage runs its steps over the first
 * quarter of the files, so that `workMs` is of warm code, as the single process is
 * timed (timeSingle with a warm-up run).
 * Resolves with the 8 counts; rejects naming the directory when it holds no .txt files.
 */
export async function windPipeline(
  dir: string,
  opts: { kind?: ParallelKind; batch?: number; capacity?: number; filterInSplit?: number } = {},
): Promise<WindPipelineResult> {
  const { kind, spawner, shared } = courseWorkers(opts.kind ?? "processes", "windPipeline");
  const filterInSplit = opts.filterInSplit ?? 0;
  if (typeof filterInSplit !== "number" || !(filterInSplit >= 0 && filterInSplit <= 1)) {
    throw new CourseInputError(
      `windPipeline: filterInSplit must be a share from 0 (the filter runs in extract, as the course does) to 1 (all of it in split), got ${JSON.stringify(filterInSplit)}`,
    );
  }
  const batch = checkInt("batch", opts.batch ?? 1000, 1, 100_000);
  const capacity = checkInt("capacity", opts.capacity ?? 8, 1, 10_000);
  const files = metarFiles(dir);
  // A report is well under 1 kB; leave room for `batch` of them in one message.
  const reportsPipe = new Channel({ capacity, maxMessageBytes: Math.max(64 * 1024, batch * 1024), label: "reports", shared });
  const windsPipe = new Channel({ capacity, maxMessageBytes: Math.max(16 * 1024, batch * 64), label: "winds", shared });
  const gate = new Barrier(3, { label: "start", shared });
  const t0 = performance.now();
  try {
    const run = await spawner.run(3, windStage, { files, reportsPipe, windsPipe, batch, filterInSplit, gate }, { deadlockAfter: 60_000 });
    const results = run.results as StageResult[];
    const data = withQueueDepth(run);
    const from = Math.max(...results.map((r) => r.startedAt));
    const to = Math.max(...results.map((r) => r.endedAt));
    return {
      kind,
      batch,
      filterInSplit,
      counts: results[2].counts!,
      files: files.length,
      reports: results[0].reports!,
      ms: performance.now() - t0,
      startMs: Math.max(...results.map((r) => r.spawnedAt)) - (performance.timeOrigin + t0),
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
  spawnedAt: number;
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
  filterInSplit,
  gate,
}: {
  id: number;
  files: string[];
  reportsPipe: Channel;
  windsPipe: Channel;
  batch: number;
  filterInSplit: number;
  gate: Barrier;
}): StageResult {
  const { splitReports, reportCounts, extractWinds, windTokens, addToDistribution } = require("kernel-helpers");
  // (No named helper functions in here: a bundler would wrap them in a call this
  // function cannot see in a worker.) Times are on the shared clock.
  const { readFileSync } = require("node:fs");
  const spawnedAt = performance.timeOrigin + performance.now();
  // Warm, as the single process it is compared with is timed warm (after a whole
  // run): before the start, each stage runs its own steps over the first quarter of
  // the files, so that the JIT has compiled them and is done compiling.
  if (id === 2) addToDistribution([0, 0, 0, 0, 0, 0, 0, 0], [{ group: "", dir: 0 }]);
  else {
    for (const file of files.slice(0, Math.ceil(files.length / 4))) {
      for (const r of splitReports(readFileSync(file, "utf8"))) {
        if (id === 0) reportCounts(r);
        else {
          windTokens(r);
          extractWinds(r);
        }
      }
    }
  }
  gate.wait(); // all three are running and warm: the work starts now
  const startedAt = performance.timeOrigin + performance.now();
  if (id === 0) {
    // Stage 1: files → batches of reports. Of the reports it checks a share
    // (filterInSplit, spread evenly by an accumulator) and keeps only those that
    // count; the rest go unchecked, for stage 2 to check. A batch travels as one
    // string, a report per line (reports hold no line breaks), which the Channel
    // sends without JSON: the first line says how many of the reports after it are
    // already checked.
    let reports = 0;
    let inBatch = 0;
    let share = 0;
    let checked: string[] = [];
    let unchecked: string[] = [];
    for (const file of files) {
      for (const r of splitReports(readFileSync(file, "utf8"))) {
        reports++;
        inBatch++;
        share += filterInSplit;
        if (share >= 1) {
          share -= 1;
          if (reportCounts(r)) checked.push(r);
        } else unchecked.push(r);
        if (inBatch === batch) {
          reportsPipe.send([checked.length, ...checked, ...unchecked].join("\n")); // blocks while the pipe is full
          checked = [];
          unchecked = [];
          inBatch = 0;
        }
      }
    }
    if (inBatch) reportsPipe.send([checked.length, ...checked, ...unchecked].join("\n"));
    reportsPipe.send(null); // end of input
    return { spawnedAt, startedAt, endedAt: performance.timeOrigin + performance.now(), reports };
  }
  if (id === 1) {
    // Stage 2: reports → directions (−1 = variable), checking those not checked yet.
    for (;;) {
      const text = reportsPipe.recv() as string | null;
      if (text === null || text === undefined) break;
      const lines = text.split("\n");
      const checked = Number(lines[0]);
      const dirs: number[] = [];
      for (let i = 1; i < lines.length; i++) {
        for (const w of (i <= checked ? windTokens : extractWinds)(lines[i])) dirs.push(w.dir === null ? -1 : w.dir);
      }
      windsPipe.send(dirs);
    }
    windsPipe.send(null);
    return { spawnedAt, startedAt, endedAt: performance.timeOrigin + performance.now() };
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
  return { spawnedAt, startedAt, endedAt: performance.timeOrigin + performance.now(), counts: dist };
}

/**
 * The stage-occupancy chart: for each pipeline run (a row label such as "threads,
 * batch 1000, 75 % of the filter in split"), the share of its working time each stage spent
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
