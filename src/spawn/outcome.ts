// What a run records as it ends, as pure functions of what it saw: how to read a
// worker's exit, and how the trace is assembled from the workers' events and
// records. RunSession (session.ts) calls them; tests call them directly.
import type { Sharing } from "../sync/memory";
import type { SpanEvent, TraceEvent, WorkerRecord } from "../trace/types";
import type { LiveWorker } from "./deadlock";
import { WorkerFailedError } from "./errors";
import type { Exit } from "./hosts";

/** How a worker ended that never reported: "exited with code 3", "was killed by signal SIGKILL", "stopped: …". */
export function exitCause(exit: Exit): string {
  if (exit.error) return `stopped: ${exit.error}`;
  if (exit.signal) return `was killed by signal ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/**
 * The error of a worker whose exit came before its result or error: a crash,
 * process.exit() in the function, a kill from outside. Null when the exit needs no
 * error of its own: the worker reported (`reported`), or the run had already failed
 * and stopped it (`runFailed`).
 */
export function unreportedExit(
  worker: Pick<WorkerRecord, "label" | "id">,
  sharing: Sharing,
  exit: Exit,
  reported: boolean,
  runFailed: boolean,
): WorkerFailedError | null {
  if (reported || runFailed) return null;
  const err = new WorkerFailedError(worker.label, worker.id, {
    name: "Error",
    message: `${sharing} ${exitCause(exit)} before returning a result`,
  });
  err.exitCode = exit.code;
  err.signal = exit.signal;
  return err;
}

/** The blocked span of a worker stopped while blocked, closed where its wait state was last seen; null if it was not blocked. */
export function stoppedWhileBlocked(label: string, lastSeen: LiveWorker | undefined, endedAt: number): SpanEvent | null {
  if (!lastSeen?.waitingOn) return null;
  return { type: "span", worker: label, state: "blocked", start: lastSeen.since, end: endedAt, prim: lastSeen.waitingOn, outcome: "stopped" };
}

/**
 * Each worker's spawning and running spans, from its record: spawning until it was
 * ready, running until it ended (or the run did). A worker never ready spent its
 * whole life spawning.
 */
export function lifecycleSpans(workers: readonly WorkerRecord[], runEndedAt: number): SpanEvent[] {
  const spans: SpanEvent[] = [];
  for (const r of workers) {
    if (r.readyAt !== undefined) {
      spans.push({ type: "span", worker: r.label, state: "spawning", start: r.spawnedAt, end: r.readyAt });
      spans.push({ type: "span", worker: r.label, state: "running", start: r.readyAt, end: Math.max(r.readyAt, r.endedAt ?? runEndedAt) });
    } else {
      spans.push({ type: "span", worker: r.label, state: "spawning", start: r.spawnedAt, end: r.endedAt ?? runEndedAt });
    }
  }
  return spans;
}

/** A run's trace: the events its workers sent, then their lifecycle spans, in time order (ties keep that order). */
export function assembleTrace(events: readonly TraceEvent[], workers: readonly WorkerRecord[], runEndedAt: number): TraceEvent[] {
  return [...events, ...lifecycleSpans(workers, runEndedAt)].sort((a, b) => startOf(a) - startOf(b));
}

function startOf(e: TraceEvent): number {
  return e.type === "span" ? e.start : e.at;
}
