// Messages between a run's parent and its workers (thread postMessage or process IPC).
import type { PrimitiveRef, TraceEvent, WorkerError } from "../trace/types";
import type { Sharing } from "../sync/memory";
import type { ShippedCode } from "./ship";

/** What a worker is told when it starts. */
export interface WorkerInit {
  mode: "run" | "pool";
  code?: ShippedCode;
  id: number;
  n: number;
  label: string;
  kind: Sharing;
  data: unknown;
  trace: boolean;
  /** Threads: the run's status board (see board.ts). */
  board?: SharedArrayBuffer;
  /** Processes: the name of the segment holding the run's status board. */
  boardSegment?: string;
  /** This worker's row on the board (its position in the run). */
  row?: number;
}

export type ToParent =
  | { t: "ready"; at: number }
  /** A primitive seen for the first time by this worker gets a small slot number. */
  | { t: "prim"; slot: number; ref: PrimitiveRef }
  /** Processes only (threads use the board): about to block, holding these slots. */
  | { t: "wait"; slot: number; at: number; holds: number[] }
  | { t: "unwait"; at: number }
  | { t: "trace"; events: TraceEvent[]; dropped: number }
  | { t: "result"; value: unknown; at: number }
  | { t: "error"; error: WorkerError; at: number }
  /** Pool mode. */
  | { t: "task-done"; task: number; value: unknown; startedAt: number; endedAt: number }
  | { t: "task-error"; task: number; error: WorkerError; startedAt: number; endedAt: number };

export type ToWorker =
  | { t: "init"; init: WorkerInit }
  /** A pool task: run job `job` on `input`. `code` comes with a job this process has not compiled yet. */
  | { t: "task"; task: number; job: number; code?: ShippedCode; input: unknown };

/** Marker key in workerData so the entry knows it was started by interleave. */
export const INIT_KEY = "__interleave";

/**
 * Jobs (shipped functions) a pool keeps compiled in each worker, and that the
 * parent remembers. Both sides drop the oldest first (dropOldest), so a process
 * pool's parent knows which jobs each of its processes still has.
 */
export const POOL_JOBS_KEPT = 64;

/** Drops the oldest entries of an insertion-ordered Map or Set beyond `keep`. */
export function dropOldest(c: Map<unknown, unknown> | Set<unknown>, keep = POOL_JOBS_KEPT): void {
  while (c.size > keep) c.delete(c.keys().next().value);
}
