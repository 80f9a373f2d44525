// Chapter 5 on real threads: join (wait for a thread you started), and the recursive
// file search with one worker thread per directory, each joining the threads it
// started for its subdirectories; matches go into one shared log under a Mutex.
import { threads } from "../spawn/api";
import { Mutex } from "../sync/mutex";
import { now, type RunData, type SpanEvent, type WorkerRecord } from "../trace/types";
import { CourseInputError, checkInt } from "./errors";
import { searchStats } from "./search";

/**
 * A shared, append-only text log: an Int32Array header [bytes used] and the UTF-8
 * bytes after it, in one SharedArrayBuffer. Appending is a read-modify-write of the
 * length, so it happens under `lock` (see searchWorker).
 */
export interface SharedLog {
  buffer: SharedArrayBuffer;
  lock: Mutex;
}

export function newSharedLog(bytes = 1 << 20): SharedLog {
  checkInt("bytes", bytes, 16, 1 << 28);
  return { buffer: new SharedArrayBuffer(4 + bytes), lock: new Mutex({ label: "matches" }) };
}

/**
 * Appends `lines` to the log under its mutex (the length word is read, then written:
 * only one thread at a time). Throws when the log is full rather than overwrite.
 * Called inside worker threads, through require("kernel-helpers").
 */
export function appendSharedLog(log: SharedLog, lines: string[]): void {
  if (!lines.length) return;
  const bytes = new TextEncoder().encode(`${lines.join("\n")}\n`);
  const used = new Int32Array(log.buffer, 0, 1);
  log.lock.lock();
  try {
    const at = used[0];
    if (4 + at + bytes.length > log.buffer.byteLength) throw new RangeError(`the shared match log is full (${at} bytes); make it bigger`);
    new Uint8Array(log.buffer, 4 + at, bytes.length).set(bytes);
    used[0] = at + bytes.length;
  } finally {
    log.lock.unlock();
  }
}

/** The lines appended so far (one per match), in append order. */
export function readSharedLog(log: SharedLog): string[] {
  const used = Atomics.load(new Int32Array(log.buffer, 0, 1), 0);
  const text = new TextDecoder().decode(new Uint8Array(log.buffer, 4, used).slice());
  return text.split("\n").filter((l) => l !== "");
}

/** What one directory's thread reports: when it ran and what its children reported (a tree). */
export interface DirRecord {
  dir: string;
  /** When the parent asked for this thread (epoch ms). */
  requestedAt: number;
  /** When this thread's code began. */
  startedAt: number;
  /** When it had listed its directory and logged its matches (then it starts and joins children). */
  listedAt: number;
  endedAt: number;
  children: DirRecord[];
}

export interface SearchWorkerArgs {
  dir: string;
  name: string;
  log: SharedLog;
  requestedAt: number;
}

/**
 * One directory's thread (shipped as source: only its argument and require). Lists
 * `dir`, appends each entry named `name` to the shared log under its mutex, starts one
 * thread per subdirectory (this same function), joins them all, and returns its
 * record. The log throws when full rather than overwrite (a clear error beats a
 * silently short answer).
 */
export async function searchWorker({ dir, name, log, requestedAt }: SearchWorkerArgs): Promise<DirRecord> {
  const startedAt = performance.timeOrigin + performance.now();
  const fs = require("node:fs");
  const path = require("node:path");
  const dirs: string[] = [];
  const found: string[] = [];
  let entries: { name: string; isDirectory(): boolean }[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    entries = []; // unreadable: nothing here, as find carries on
  }
  for (const e of entries) {
    if (e.name === name) found.push(path.join(dir, e.name));
    if (e.isDirectory()) dirs.push(path.join(dir, e.name));
  }
  require("kernel-helpers").appendSharedLog(log, found);
  const listedAt = performance.timeOrigin + performance.now();
  const { threads } = require("kernel-helpers");
  const kids = dirs.map((d) => threads.spawn(searchWorker, { dir: d, name, log, requestedAt: performance.timeOrigin + performance.now() }));
  const children: DirRecord[] = [];
  for (const k of kids) children.push(await k.join()); // join: wait for each child thread to end
  return { dir, requestedAt, startedAt, listedAt, endedAt: performance.timeOrigin + performance.now(), children };
}

export interface SearchResult {
  matches: string[];
  /** Threads started (one per directory). */
  threads: number;
  ms: number;
  root: DirRecord;
}

function checkArgs(root: string, name: string, maxThreads: number): void {
  const { dirs } = searchStats(root, name); // validates root and name, counts directories
  if (dirs > maxThreads) {
    throw new CourseInputError(
      `root ${JSON.stringify(root)} has ${dirs} directories, more than maxThreads (${maxThreads}); one thread per directory would be too many — pick a smaller tree or raise maxThreads`,
    );
  }
}

/**
 * Recursive search with one thread per directory, each joining its children (the
 * course's concurrent file search). Same answer as searchSequential (sorted). Refuses
 * trees with more than `maxThreads` directories (CourseInputError), before starting any.
 */
export async function searchThreads(root: string, name: string, maxThreads = 64): Promise<SearchResult> {
  checkInt("maxThreads", maxThreads, 1, 256);
  checkArgs(root, name, maxThreads);
  const log = newSharedLog();
  const t0 = now();
  const top = threads.spawn(searchWorker, { dir: root, name, log, requestedAt: t0 });
  const rec = (await top.join()) as DirRecord;
  const ms = now() - t0;
  return { matches: readSharedLog(log).sort(), threads: countRecords(rec), ms, root: rec };
}

export function countRecords(r: DirRecord): number {
  return 1 + r.children.reduce((a, c) => a + countRecords(c), 0);
}

/**
 * The search tree as RunData for the timeline chart: one lane per directory (labelled
 * by its path relative to the root), spawning → running (listing) → blocked on join.
 */
export function searchRunData(rec: DirRecord, t0 = rec.requestedAt): RunData {
  const workers: WorkerRecord[] = [];
  const trace: SpanEvent[] = [];
  const base = rec.dir.endsWith("/") ? rec.dir : `${rec.dir}/`;
  const visit = (r: DirRecord) => {
    const label = r === rec ? "(root)" : r.dir.startsWith(base) ? r.dir.slice(base.length) : r.dir;
    const id = workers.length;
    workers.push({ id, label, kind: "thread", spawnedAt: r.requestedAt, readyAt: r.startedAt, endedAt: r.endedAt });
    trace.push({ type: "span", worker: label, state: "spawning", start: r.requestedAt, end: r.startedAt });
    trace.push({ type: "span", worker: label, state: "running", start: r.startedAt, end: r.listedAt });
    if (r.children.length) {
      trace.push({
        type: "span",
        worker: label,
        state: "blocked",
        start: r.listedAt,
        end: r.endedAt,
        prim: { kind: "join", id: `join:${label}`, label: "join children" },
        outcome: "woken",
      });
    } else trace.push({ type: "span", worker: label, state: "running", start: r.listedAt, end: r.endedAt });
    for (const c of r.children) visit(c);
  };
  visit(rec);
  const end = Math.max(...workers.map((w) => w.endedAt ?? t0));
  return { kind: "threads", n: workers.length, startedAt: t0, endedAt: end, workers, trace };
}

/** Where the time of a search went: summed over threads, ms spent starting vs listing. */
export function searchCosts(rec: DirRecord): { spawningMs: number; listingMs: number; threads: number } {
  let spawningMs = 0,
    listingMs = 0,
    n = 0;
  const visit = (r: DirRecord) => {
    n++;
    spawningMs += r.startedAt - r.requestedAt;
    listingMs += r.listedAt - r.startedAt;
    r.children.forEach(visit);
  };
  visit(rec);
  return { spawningMs, listingMs, threads: n };
}

/**
 * A joined thread's run with the joiner drawn beside it, for the timeline: a "main"
 * lane blocked on the join from `spawnedAt` (when the notebook started the thread) to
 * `joinedAt` (when its join returned). Both are epoch ms (performance.timeOrigin +
 * performance.now()).
 */
export function joinRunData(child: RunData, spawnedAt: number, joinedAt: number): RunData {
  if (!child || !Array.isArray(child.workers) || !Array.isArray(child.trace))
    throw new CourseInputError("joinRunData: pass the joined thread's run data (await handle.run, then .toJSON())");
  if (!(joinedAt >= spawnedAt)) throw new CourseInputError(`joinRunData: joinedAt (${joinedAt}) is before spawnedAt (${spawnedAt})`);
  const label = child.workers.map((w) => w.label).join(", ");
  const join: SpanEvent = {
    type: "span",
    worker: "main",
    state: "blocked",
    start: spawnedAt,
    end: joinedAt,
    prim: { kind: "join", id: `join:${label}`, label: `join ${label}` },
    outcome: "woken",
  };
  return {
    ...child,
    startedAt: Math.min(spawnedAt, child.startedAt),
    endedAt: Math.max(joinedAt, child.endedAt),
    workers: [{ id: -1, label: "main", kind: "main", spawnedAt, readyAt: spawnedAt, endedAt: joinedAt }, ...child.workers],
    trace: [...child.trace, join],
  };
}
