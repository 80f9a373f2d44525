// Chapter 4's letter count with fewer threads and bigger shares: `workers` threads
// take the documents one at a time from a shared index (Atomics.add), count each
// into a private table, and take the mutex once at the end to add their 26 totals
// into the shared table. With workers = documents it is one thread per document;
// with workers = cores, each thread's share is big enough to pay for its start.
import { threads } from "../spawn/api";
import type { Run } from "../spawn/run";
import { Mutex } from "../sync/mutex";
import { CourseInputError, checkInt } from "./errors";

export interface LetterShareArgs {
  files: string[];
  /** [0..25] the shared table a…z, [26] the next document to take. */
  freq: Int32Array;
  passes: number;
  lock: Mutex;
}

/**
 * Runs inside a worker (shipped as source). Takes document after document from the
 * shared index until none is left, counting its letters `passes` times into a
 * private table (countLettersFile, as letterCountSingle does); then merges that table into the shared one under the mutex (one
 * critical section per thread). Returns how many documents it counted.
 */
export function letterShareWorker({ files, freq, passes, lock }: LetterShareArgs): number {
  const { countLettersFile } = require("kernel-helpers"); // the single thread's own counting code
  const mine = new Int32Array(26);
  let taken = 0;
  for (let d = Atomics.add(freq, 26, 1); d < files.length; d = Atomics.add(freq, 26, 1)) {
    countLettersFile(files[d], mine, passes);
    taken++;
  }
  lock.lock();
  for (let c = 0; c < 26; c++) freq[c] += mine[c];
  lock.unlock();
  return taken;
}

export interface LetterSharesResult {
  freq: Int32Array;
  workers: number;
  /** Documents each worker counted, in worker order. */
  taken: number[];
  /** Wall time of the whole call, thread start-up included, ms. */
  ms: number;
  run: Run<number>;
}

/**
 * Counts the letters of `files` (each `passes` times) with `workers` threads that
 * share the documents out among themselves. Exact: equals letterCountSingle(files,
 * passes). Resolves once every worker has ended.
 */
export async function letterCountShares(
  files: readonly string[],
  opts: { workers?: number; passes?: number; trace?: boolean } = {},
): Promise<LetterSharesResult> {
  if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === "string")) {
    throw new CourseInputError("files must be a non-empty array of file paths; corpusFiles() gives the course's 20 documents");
  }
  const workers = checkInt("workers", opts.workers ?? 2, 1, 64);
  const passes = checkInt("passes", opts.passes ?? 1, 1, 1000);
  const freq = new Int32Array(new SharedArrayBuffer(27 * 4));
  const lock = new Mutex({ label: "frequency table" });
  const t0 = performance.now();
  const run = await threads.run(workers, letterShareWorker, { files: [...files], freq, passes, lock }, { trace: opts.trace ?? false });
  return { freq: freq.slice(0, 26), workers, taken: run.results, ms: performance.now() - t0, run };
}
