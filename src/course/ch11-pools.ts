// Chapter 11: shoelace areas of many polygons, with a pool of workers.
// Two versions: the course's hand-built pool (N workers reading batches of lines
// from one bounded channel; one `null` per worker tells it to stop), and the
// library's ThreadPool / ProcessPool map() over the same batches.
//
// Worker functions are shipped as source (see ch07-barriers.ts for the rules).
import { existsSync, readFileSync, statSync } from "node:fs";
import { threads, processes } from "../spawn/api";
import type { Run } from "../spawn/run";
import { ProcessPool, ThreadPool } from "../spawn/pool";
import { Channel } from "../sync/index";
import type { TaskRecord } from "../trace/types";
import type { ParallelKind } from "./ch07-barriers";
import { checkInt, CourseInputError } from "./errors";
import { polygonLines } from "./shoelace";

function checkKind(kind: unknown, fn: string): ParallelKind {
  if (kind !== "threads" && kind !== "processes") {
    throw new CourseInputError(`${fn}: kind must be "threads" or "processes", got ${JSON.stringify(kind)}`);
  }
  return kind;
}

/** A batch of polygon lines: [lineNumber, text] pairs (line numbers for error messages). */
export type LineBatch = [number, string][];

/** Reads a polygon file and cuts its non-blank lines into batches of `batch` lines. */
export function polygonBatches(file: string, batch = 500): LineBatch[] {
  checkInt("batch", batch, 1, 1_000_000);
  if (typeof file !== "string" || !existsSync(file) || !statSync(file).isFile()) {
    throw new CourseInputError(`polygon file ${JSON.stringify(file)} does not exist or is not a file; generate one with: npm run course -- polygons <file>`);
  }
  const lines = polygonLines(readFileSync(file, "utf8"));
  const out: LineBatch[] = [];
  for (let i = 0; i < lines.length; i += batch) out.push(lines.slice(i, i + batch).map((l) => [l.lineNumber, l.line]));
  return out;
}

export interface PoolAreaResult {
  kind: ParallelKind;
  workers: number;
  count: number;
  /** Sum of the areas (exact: computed from integer twice-areas). */
  totalArea: number;
  ms: number;
}

/**
 * The course's pool: `workers` workers each loop on one bounded channel
 * (capacity 2 × workers), taking a batch of lines, adding up twice the area of
 * each polygon, until they receive `null`. The caller sends every batch, then one
 * null per worker. Each worker returns [polygons, twice-area]; the caller adds
 * them up. A malformed line fails its worker; the run rejects naming the line.
 */
export async function shoelaceQueuePool(
  file: string,
  opts: { workers?: number; kind?: ParallelKind; batch?: number } = {},
): Promise<PoolAreaResult & { run: Run<[number, number]> }> {
  const kind = checkKind(opts.kind ?? "threads", "shoelaceQueuePool");
  const workers = checkInt("workers", opts.workers ?? 8, 1, kind === "threads" ? 64 : 32);
  const batches = polygonBatches(file, opts.batch ?? 500);
  const maxBytes = Math.max(1024, ...batches.map((b) => Buffer.byteLength(JSON.stringify(b)) + 16));
  const tasks = new Channel({ capacity: 2 * workers, maxMessageBytes: maxBytes, label: "tasks", shared: kind === "threads" ? "thread" : "process" });
  const t0 = performance.now();
  try {
    const spawner = kind === "threads" ? threads : processes;
    const running = spawner.run(workers, ({ tasks }) => {
      const { parsePolygon, shoelaceTwice } = require("kernel-helpers");
      let count = 0, twice = 0;
      for (;;) {
        const batch = tasks.recv() as [number, string][] | null; // blocks while the channel is empty
        if (batch === null || batch === undefined) break; // null: no more work for this worker
        for (const [lineNumber, line] of batch) {
          twice += Math.abs(shoelaceTwice(parsePolygon(line, lineNumber)));
          count++;
        }
      }
      return [count, twice] as [number, number];
    }, { tasks }, { deadlockAfter: 60_000 });
    // If a worker fails, stop feeding (sendAsync would wait on a full channel forever).
    let failed = false;
    running.catch(() => {
      failed = true;
      tasks.close();
    });
    try {
      for (const b of batches) await tasks.sendAsync(b);
      for (let i = 0; i < workers; i++) await tasks.sendAsync(null);
    } catch (e) {
      if (!failed) throw e;
    }
    const run = await running;
    let count = 0, twice = 0;
    for (const [c, t] of run.results) {
      count += c;
      twice += t;
    }
    return { kind, workers, count, totalArea: twice / 2, ms: performance.now() - t0, run };
  } finally {
    tasks.dispose();
  }
}

/**
 * The same sum with the library's pool: ThreadPool or ProcessPool of `size` workers,
 * one task per batch (map() keeps at most size + queueSize tasks handed out: a
 * bounded queue). Resolves with the total and the per-task records for the
 * task-stream chart; the pool is always closed.
 */
export async function shoelacePoolMap(
  file: string,
  opts: { size?: number; kind?: ParallelKind; batch?: number } = {},
): Promise<PoolAreaResult & { tasks: TaskRecord[] }> {
  const kind = checkKind(opts.kind ?? "threads", "shoelacePoolMap");
  const size = checkInt("size", opts.size ?? 8, 1, kind === "threads" ? 64 : 32);
  const batches = polygonBatches(file, opts.batch ?? 500);
  const t0 = performance.now();
  const pool = kind === "threads" ? new ThreadPool({ size }) : new ProcessPool({ size });
  try {
    const out = await pool.map(batches, (batch: [number, string][]) => {
      const { parsePolygon, shoelaceTwice } = require("kernel-helpers");
      let twice = 0;
      for (const [lineNumber, line] of batch) twice += Math.abs(shoelaceTwice(parsePolygon(line, lineNumber)));
      return [batch.length, twice];
    });
    let count = 0, twice = 0;
    for (const [c, t] of out.results as [number, number][]) {
      count += c;
      twice += t;
    }
    return { kind, workers: size, count, totalArea: twice / 2, ms: performance.now() - t0, tasks: out.tasks };
  } finally {
    await pool.close();
  }
}
