// What the pool scheduler (pool.ts) asks of a backend, the part of a pool that
// differs between threads (pool-threads.ts) and processes (pool-processes.ts),
// and what both backends share: jobs (shipped functions) and encoded inputs.
import type { TaskRecord } from "../trace/types";
import { dropOldest } from "./protocol";
import type { ShippedCode } from "./ship";

/** How a task ends: `done(null, value)` or `done(error)`. Called once. */
export type Done = (err: Error | null, value?: unknown) => void;

/**
 * `job` is asked once per map; `exec` runs one task, fills in the record's worker
 * and its start and end (the worker's clock), then calls `done` (a callback, not a
 * promise: tiny tasks feel every promise and microtask added per task).
 */
export interface Backend<J = unknown> {
  job(code: ShippedCode): J;
  exec(job: J, input: unknown, signal: AbortSignal | undefined, rec: TaskRecord, done: Done): void;
  /** End every worker now; tasks still running fail. Resolves once they are gone. */
  destroy(reason: string): Promise<void>;
  /** Last resort at process exit. */
  killSync(): void;
}

/** An input holding objects, encoded for the worker (`{ x }` with primitives as descriptors). Scalars travel as themselves. */
export class EncodedInput {
  constructor(readonly data: unknown) {}
}

/** Whether a value travels to a worker as itself (no encoding, no revival). */
export function isScalar(x: unknown): boolean {
  return x === null || (typeof x !== "object" && typeof x !== "function" && typeof x !== "symbol");
}

/** One shipped function on a pool: a number, plus (threads) the threads known to have compiled it. */
export interface PoolJob {
  c: number;
  code: ShippedCode;
  known: Set<number>;
}

let jobCounter = 1;

/**
 * The job of `code` in a backend's `jobs`: the same source, the same number, so a
 * function mapped again reuses its job (workers keep it compiled); bounded.
 */
export function poolJob(jobs: Map<string, PoolJob>, code: ShippedCode): PoolJob {
  let job = jobs.get(code.source);
  if (!job) {
    job = { c: jobCounter++, code, known: new Set() };
    jobs.set(code.source, job);
    dropOldest(jobs);
  }
  return job;
}
