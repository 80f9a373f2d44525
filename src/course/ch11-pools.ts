// Chapter 11: shoelace areas of many polygons, with a pool of workers.
// Two versions: the course's hand-built pool (N workers reading batches of lines
// from one bounded channel; one `null` per worker tells it to stop), and the
// library's ThreadPool / ProcessPool map() over the same batches.
//
// Worker functions are shipped as source (see ch07-barriers.ts for the rules).
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import type { Run } from "../spawn/run";
import { Channel } from "../sync/index";
import type { TaskRecord } from "../trace/types";
import { courseWorkers, type ParallelKind } from "./workers";
import { checkInt, CourseInputError } from "./errors";
import { polygonLines, shoelaceText } from "./shoelace";

function checkFile(file: unknown): void {
  if (typeof file !== "string" || !existsSync(file) || !statSync(file).isFile()) {
    throw new CourseInputError(`polygon file ${JSON.stringify(file)} does not exist or is not a file; generate one with: npm run course -- polygons <file>`);
  }
}

/** A batch of polygon lines: [lineNumber, text] pairs (line numbers for error messages). */
export type LineBatch = [number, string][];

/** Reads a polygon file and cuts its non-blank lines into batches of `batch` lines. */
export function polygonBatches(file: string, batch = 500): LineBatch[] {
  checkInt("batch", batch, 1, 1_000_000);
  checkFile(file);
  const lines = polygonLines(readFileSync(file, "utf8"));
  const out: LineBatch[] = [];
  for (let i = 0; i < lines.length; i += batch) out.push(lines.slice(i, i + batch).map((l) => [l.lineNumber, l.line]));
  return out;
}

/** A piece of a polygon file: the text of consecutive lines, and the file line number of its first line. */
export interface PolygonPiece {
  firstLine: number;
  text: string;
}

/**
 * Cuts a polygon file's text into pieces of `lines` lines each (the last may be
 * shorter). A piece is one string, so a pool hands it to a worker as one copy;
 * a batch of [lineNumber, line] pairs (polygonBatches) costs a copy per line.
 */
export function polygonPieces(text: string, lines = 2000): PolygonPiece[] {
  checkInt("lines", lines, 1, 100_000_000);
  if (typeof text !== "string")
    throw new CourseInputError(`polygonPieces: text must be the file's text (a string), got ${typeof text}; read it with readFileSync(file, "utf8")`);
  const all = text.split(/\r\n|\r|\n/);
  if (all.length > 1 && all[all.length - 1] === "") all.pop(); // the final newline starts no line
  const out: PolygonPiece[] = [];
  for (let i = 0; i < all.length; i += lines) out.push({ firstLine: i + 1, text: all.slice(i, i + lines).join("\n") });
  return out;
}

/** A pool task: [polygons, sum of twice-areas] of one piece (a malformed line raises, naming its file line). */
export function pieceArea(piece: PolygonPiece): [number, number] {
  const { count, twice } = shoelaceText(piece.text, piece.firstLine);
  return [count, twice];
}

/** A stretch of a file, bytes [from, to): a task that names its data instead of carrying it. */
export interface FileRange {
  file: string;
  from: number;
  to: number;
}

/** Cuts a file into `count` byte ranges of about equal size, covering it exactly. */
export function fileRanges(file: string, count: number): FileRange[] {
  checkInt("count", count, 1, 1_000_000);
  checkFile(file);
  const size = statSync(file).size;
  const out: FileRange[] = [];
  for (let k = 0; k < count; k++) out.push({ file, from: Math.floor((size * k) / count), to: Math.floor((size * (k + 1)) / count) });
  return out;
}

/**
 * A pool task over a byte range: reads the lines that START in [from, to) (a line
 * that begins before `to` is read to its end, past `to`; one that began before
 * `from` belongs to the previous range), and returns [polygons, sum of twice-areas].
 * Ranges that cover a file count every line exactly once. A malformed line raises,
 * naming its line number in the file (counted only then).
 */
export function rangeArea(range: FileRange): [number, number] {
  const { file, from, to } = range;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to >= from)) {
    throw new CourseInputError(
      `rangeArea: from and to must be byte offsets with 0 <= from <= to, got ${from} and ${to}; make ranges with fileRanges(file, count)`,
    );
  }
  const fd = openSync(file, "r");
  try {
    const text = linesStartingIn(fd, from, to);
    try {
      const { count, twice } = shoelaceText(text.text);
      return [count, twice];
    } catch (e) {
      // Only now count the lines before this range, to name the bad line as the file numbers it.
      const before = readBytes(fd, 0, text.start).reduce((n, b) => n + (b === 10 ? 1 : 0), 0);
      shoelaceText(text.text, before + 1);
      throw e;
    }
  } finally {
    closeSync(fd);
  }
}

function readBytes(fd: number, at: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, at + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** The text of the lines that start in [from, to), and the byte offset of the first. */
function linesStartingIn(fd: number, from: number, to: number): { text: string; start: number } {
  if (from >= to) return { text: "", start: from };
  // A line starts at 0 or right after a newline: read from from − 1 to see that newline.
  const at = Math.max(0, from - 1);
  let buf = readBytes(fd, at, to - at);
  let start = 0;
  if (from > 0) {
    const nl = buf.indexOf(10);
    if (nl < 0) return { text: "", start: to }; // no line starts in this range
    start = nl + 1;
  }
  // The last line that starts before `to` runs on to its newline (or the end of the file).
  let end = buf.length;
  if (buf.length === to - at && buf[buf.length - 1] !== 10) {
    const parts = [buf];
    for (let pos = at + buf.length; ; ) {
      const more = readBytes(fd, pos, 64 * 1024);
      if (more.length === 0) break;
      const nl = more.indexOf(10);
      if (nl >= 0) {
        parts.push(more.subarray(0, nl + 1));
        break;
      }
      parts.push(more);
      pos += more.length;
    }
    buf = Buffer.concat(parts);
    end = buf.length;
  }
  return start >= end ? { text: "", start: at + start } : { text: buf.toString("utf8", start, end), start: at + start };
}

/** The median of some timings, ms. */
export function medianMs(samples: readonly number[]): number {
  if (!samples.length) throw new CourseInputError("medianMs: no samples");
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times `fn()` on this thread `repeats` times in a row, after `warmup` untimed calls
 * (the JIT compiles the hot code during those): what a pool's warm job is compared
 * with. Resolves with the median, every sample, and the last result.
 */
export function timeSingle<R>(fn: () => R, opts: { repeats?: number; warmup?: number } = {}): { ms: number; samples: number[]; result: R } {
  const repeats = checkInt("repeats", opts.repeats ?? 5, 1, 1000);
  const warmup = checkInt("warmup", opts.warmup ?? 1, 0, 1000);
  let result = undefined as R;
  for (let i = 0; i < warmup; i++) result = fn();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    result = fn();
    samples.push(performance.now() - t0);
  }
  return { ms: medianMs(samples), samples, result };
}

export interface PoolJobTimes<R> {
  kind: ParallelKind;
  size: number;
  /** Creating the pool and a first small map: every worker started and running. */
  startMs: number;
  /** Median of the timed maps over every input, on the running pool. */
  ms: number;
  samples: number[];
  /** The last timed map's results (input order) and task records. */
  results: R[];
  tasks: TaskRecord[];
}

/**
 * Starts a ThreadPool or ProcessPool of `size` and runs a first map over 2 × size
 * inputs (every worker started: `startMs`), warms it with `warmup` untimed maps over
 * all inputs (as timeSingle warms the single with whole runs, so that the workers'
 * code is compiled as far as the single's), then times `repeats` maps over all
 * inputs, one after another. The pool is always closed.
 */
export async function timePoolJob<I, R>(
  kind: ParallelKind,
  size: number,
  inputs: readonly I[],
  fn: (input: I) => R,
  opts: { repeats?: number; warmup?: number } = {},
): Promise<PoolJobTimes<Awaited<R>>> {
  const workers = courseWorkers(kind, "timePoolJob");
  checkInt("size", size, 1, workers.maxWorkers);
  const repeats = checkInt("repeats", opts.repeats ?? 5, 1, 1000);
  const warmup = checkInt("warmup", opts.warmup ?? 1, 0, 100);
  if (!Array.isArray(inputs) || inputs.length === 0) throw new CourseInputError("timePoolJob: inputs must be a non-empty array (one per task)");
  const t0 = performance.now();
  const pool = workers.pool(size);
  try {
    await pool.map(inputs.slice(0, 2 * size), fn);
    const startMs = performance.now() - t0;
    for (let i = 0; i < warmup; i++) await pool.map(inputs, fn);
    const samples: number[] = [];
    let last!: Awaited<ReturnType<typeof pool.map<I, R>>>;
    for (let i = 0; i < repeats; i++) {
      const t1 = performance.now();
      last = await pool.map(inputs, fn);
      samples.push(performance.now() - t1);
    }
    return { kind, size, startMs, ms: medianMs(samples), samples, results: last.results, tasks: last.tasks };
  } finally {
    await pool.close();
  }
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
  const { kind, spawner, shared, maxWorkers } = courseWorkers(opts.kind ?? "threads", "shoelaceQueuePool");
  const workers = checkInt("workers", opts.workers ?? 8, 1, maxWorkers);
  const batches = polygonBatches(file, opts.batch ?? 500);
  const maxBytes = Math.max(1024, ...batches.map((b) => Buffer.byteLength(JSON.stringify(b)) + 16));
  const tasks = new Channel({ capacity: 2 * workers, maxMessageBytes: maxBytes, label: "tasks", shared });
  const t0 = performance.now();
  try {
    const running = spawner.run(
      workers,
      ({ tasks }) => {
        const { parsePolygon, shoelaceTwice } = require("kernel-helpers");
        let count = 0,
          twice = 0;
        for (;;) {
          const batch = tasks.recv() as [number, string][] | null; // blocks while the channel is empty
          if (batch === null || batch === undefined) break; // null: no more work for this worker
          for (const [lineNumber, line] of batch) {
            twice += Math.abs(shoelaceTwice(parsePolygon(line, lineNumber)));
            count++;
          }
        }
        return [count, twice] as [number, number];
      },
      { tasks },
      { deadlockAfter: 60_000 },
    );
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
    let count = 0,
      twice = 0;
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
 * one task per piece of `batch` lines (polygonPieces) (map() keeps at most size + queueSize tasks handed out: a
 * bounded queue). Resolves with the total and the per-task records for the
 * task-stream chart; the pool is always closed.
 */
export async function shoelacePoolMap(
  file: string,
  opts: { size?: number; kind?: ParallelKind; batch?: number } = {},
): Promise<PoolAreaResult & { tasks: TaskRecord[] }> {
  const workers = courseWorkers(opts.kind ?? "threads", "shoelacePoolMap");
  const size = checkInt("size", opts.size ?? 8, 1, workers.maxWorkers);
  const batch = checkInt("batch", opts.batch ?? 500, 1, 1_000_000);
  checkFile(file);
  const pieces = polygonPieces(readFileSync(file, "utf8"), batch);
  const t0 = performance.now();
  const pool = workers.pool(size);
  try {
    const out = await pool.map(pieces, (piece: PolygonPiece) => require("kernel-helpers").pieceArea(piece));
    let count = 0,
      twice = 0;
    for (const [c, t] of out.results as [number, number][]) {
      count += c;
      twice += t;
    }
    return { kind: workers.kind, workers: size, count, totalArea: twice / 2, ms: performance.now() - t0, tasks: out.tasks };
  } finally {
    await pool.close();
  }
}
