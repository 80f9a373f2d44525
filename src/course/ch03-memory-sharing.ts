// Chapters 3–4 on real threads: letter frequencies over the corpus, one worker thread
// per document, all writing into ONE frequency table in a SharedArrayBuffer. How the
// table is guarded is the lesson: not at all (chapter 3, and chapter 4's race), a
// Mutex around every update, a Mutex once per document, or Atomics.add.
import { threads } from "../spawn/api";
import type { Run } from "../spawn/run";
import { Mutex } from "../sync/mutex";
import { CourseInputError, checkInt } from "./errors";
import { letterCountSingle } from "./letters";

export type LetterGuard = "none" | "mutex-per-letter" | "mutex-per-document" | "atomic";
export const LETTER_GUARDS: readonly LetterGuard[] = ["none", "mutex-per-letter", "mutex-per-document", "atomic"];

export interface LetterWorkerArgs {
  id: number;
  n: number;
  files: string[];
  /** 26 shared counters a…z, then one start-gate word. */
  freq: Int32Array;
  passes: number;
  guard: LetterGuard;
  lock: Mutex | null;
}

/**
 * Runs inside a worker (shipped as source: it uses only its argument and require).
 * Worker `id` reads files[id] and counts its ASCII letters `passes` times (a larger
 * corpus without more files) into the shared table, guarded as `guard` says. All
 * workers wait at a gate (slot 26) first, so that they count at the same time.
 * Returns the letters it counted.
 */
export function letterWorker({ id, n, files, freq, passes, guard, lock }: LetterWorkerArgs): number {
  const text: string = require("node:fs").readFileSync(files[id], "utf8");
  if (Atomics.add(freq, 26, 1) + 1 === n) Atomics.notify(freq, 26);
  else while (Atomics.load(freq, 26) < n) Atomics.wait(freq, 26, Atomics.load(freq, 26), 50);
  const local = new Int32Array(26);
  let letters = 0;
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < text.length; i++) {
      const c = (text.charCodeAt(i) | 0x20) - 97; // ASCII upper → lower, then a = 0
      if (c < 0 || c > 25) continue;
      letters++;
      if (guard === "none")
        freq[c]++; // read, add, write: two threads can both write the same old+1
      else if (guard === "atomic") Atomics.add(freq, c, 1);
      else if (guard === "mutex-per-letter" && lock) {
        lock.lock();
        freq[c]++;
        lock.unlock();
      } else local[c]++;
    }
  }
  if (guard === "mutex-per-document" && lock) {
    lock.lock(); // one short critical section per document: merge the private table
    for (let c = 0; c < 26; c++) freq[c] += local[c];
    lock.unlock();
  }
  return letters;
}

export interface LetterOptions {
  guard?: LetterGuard;
  /** Times each document is counted (default 1). */
  passes?: number;
  /** Record the trace (each lock/unlock is a span; keep it off for mutex-per-letter). Default true. */
  trace?: boolean;
}

export interface LetterResult {
  freq: Int32Array;
  /** Letters counted by all workers (what the table's total should be). */
  letters: number;
  ms: number;
  run: Run<number>;
}

function checkFiles(files: readonly string[]): string[] {
  if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === "string")) {
    throw new CourseInputError("files must be a non-empty array of file paths; corpusFiles() gives the course's 20 documents");
  }
  checkInt("files.length", files.length, 1, 256);
  return [...files];
}

/**
 * One worker thread per document, all counting into one shared table. Resolves with
 * the table (26 slots) once every worker has ended. Exact for every guard except "none",
 * which may lose counts when two threads update the same letter at once.
 */
export async function letterCountThreads(files: readonly string[], opts: LetterOptions = {}): Promise<LetterResult> {
  const list = checkFiles(files);
  const guard = opts.guard ?? "none";
  if (!LETTER_GUARDS.includes(guard)) throw new CourseInputError(`guard must be one of ${LETTER_GUARDS.join(", ")}, got ${JSON.stringify(guard)}`);
  const passes = checkInt("passes", opts.passes ?? 1, 1, 1000);
  const freq = new Int32Array(new SharedArrayBuffer(27 * 4));
  const lock = guard.startsWith("mutex") ? new Mutex({ label: "frequency table" }) : null;
  const t0 = performance.now();
  const run = await threads.run(list.length, letterWorker, { files: list, freq, passes, guard, lock }, { trace: opts.trace ?? true });
  const ms = performance.now() - t0;
  return { freq: freq.slice(0, 26), letters: run.results.reduce((a, b) => a + b, 0), ms, run };
}

/** Single-threaded reference with the same passes: exact counts and time. */
export function letterCountSequential(files: readonly string[], passes = 1): { freq: Int32Array; ms: number } {
  const list = checkFiles(files);
  const t0 = performance.now();
  const freq = letterCountSingle(list, passes);
  return { freq, ms: performance.now() - t0 };
}
