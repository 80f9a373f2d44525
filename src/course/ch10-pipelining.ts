// Chapter 10: the METAR wind distribution as a three-stage pipeline. Stage 1 reads
// each file and splits it into reports, stage 2 extracts the wind groups, stage 3
// adds them up; consecutive stages are joined by bounded channels (pipes), and a
// `null` message tells the next stage that no more input will come. The counting
// rule is the course's (src/course/metar.ts), so the result equals windCountsDir().
//
// Worker functions are shipped as source (see ch07-barriers.ts for the rules).
import { threads, processes } from "../spawn/api";
import type { Run } from "../spawn/run";
import { Channel } from "../sync/index";
import type { RunData } from "../trace/types";
import type { ParallelKind } from "./ch07-barriers";
import { withQueueDepth } from "./ch09-message-passing";
import { checkInt, CourseInputError } from "./errors";
import { metarFiles } from "./metar";

export const PIPELINE_STAGES = ["split", "extract", "count"] as const;

export interface WindPipelineResult {
  kind: ParallelKind;
  /** N, NE, E, SE, S, SW, W, NW. */
  counts: number[];
  files: number;
  reports: number;
  ms: number;
  /** The run with queue depths as counter events, for the pipeline chart. */
  data: RunData;
  run: Run<unknown>;
}

/**
 * Counts the wind directions of every METAR file in `dir` with three workers
 * (threads or processes) joined by two channels of `capacity` messages: "reports"
 * (batches of up to `batch` report strings) and "winds" (batches of directions,
 * −1 for a variable wind). Each stage forwards a final null. Resolves with the 8
 * counts; rejects naming the directory when it holds no .txt files.
 */
export async function windPipeline(
  dir: string,
  opts: { kind?: ParallelKind; batch?: number; capacity?: number } = {},
): Promise<WindPipelineResult> {
  const kind = opts.kind ?? "processes";
  if (kind !== "threads" && kind !== "processes") {
    throw new CourseInputError(`windPipeline: kind must be "threads" or "processes", got ${JSON.stringify(kind)}`);
  }
  const batch = checkInt("batch", opts.batch ?? 200, 1, 100_000);
  const capacity = checkInt("capacity", opts.capacity ?? 8, 1, 10_000);
  const files = metarFiles(dir);
  const shared = kind === "threads" ? "thread" : "process";
  // A report is well under 1 kB; leave room for `batch` of them in one message.
  const reportsPipe = new Channel({ capacity, maxMessageBytes: Math.max(64 * 1024, batch * 1024), label: "reports", shared });
  const windsPipe = new Channel({ capacity, maxMessageBytes: Math.max(16 * 1024, batch * 64), label: "winds", shared });
  const t0 = performance.now();
  try {
    const spawner = kind === "threads" ? threads : processes;
    const run = await spawner.run(3, ({ id, files, reportsPipe, windsPipe, batch }) => {
      const { splitReports, extractWinds, addToDistribution } = require("kernel-helpers");
      if (id === 0) {
        // Stage 1: files → batches of reports.
        const { readFileSync } = require("node:fs");
        let reports = 0;
        let out: string[] = [];
        for (const file of files) {
          for (const r of splitReports(readFileSync(file, "utf8"))) {
            out.push(r);
            reports++;
            if (out.length === batch) {
              reportsPipe.send(out); // blocks while the pipe is full
              out = [];
            }
          }
        }
        if (out.length) reportsPipe.send(out);
        reportsPipe.send(null); // end of input
        return { reports };
      }
      if (id === 1) {
        // Stage 2: reports → directions (−1 = variable).
        for (;;) {
          const reports = reportsPipe.recv() as string[] | null;
          if (reports === null || reports === undefined) break;
          const dirs: number[] = [];
          for (const r of reports) for (const w of extractWinds(r)) dirs.push(w.dir === null ? -1 : w.dir);
          windsPipe.send(dirs);
        }
        windsPipe.send(null);
        return {};
      }
      // Stage 3: directions → the distribution.
      const dist = [0, 0, 0, 0, 0, 0, 0, 0];
      for (;;) {
        const dirs = windsPipe.recv() as number[] | null;
        if (dirs === null || dirs === undefined) break;
        addToDistribution(dist, dirs.map((d) => ({ group: "", dir: d < 0 ? null : d })));
      }
      return { counts: dist };
    }, { files, reportsPipe, windsPipe, batch }, { deadlockAfter: 60_000 });
    const results = run.results as [{ reports: number }, unknown, { counts: number[] }];
    return {
      kind,
      counts: results[2].counts,
      files: files.length,
      reports: results[0].reports,
      ms: performance.now() - t0,
      data: withQueueDepth(run),
      run,
    };
  } finally {
    reportsPipe.dispose();
    windsPipe.dispose();
  }
}
