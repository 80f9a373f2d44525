// The data every area agrees on: what a run records and what charts draw.
// Times are epoch milliseconds with fractions (performance.timeOrigin + performance.now()),
// so threads and processes share one clock.

/** Who did something: "main", or a worker label such as "t0" (thread 0) or "p3" (process 3). */
export type WorkerLabel = string;

export type WorkerKind = "main" | "thread" | "process";

/** Kinds of thing a worker can block on or hold. */
export type PrimitiveKind = "mutex" | "condition" | "semaphore" | "event" | "waitgroup" | "barrier" | "queue" | "pipe" | "join" | "sleep";

/** A stable reference to one primitive: same id in every thread and process that uses it. */
export interface PrimitiveRef {
  kind: PrimitiveKind;
  id: string;
  label?: string;
}

/** What a worker was doing over an interval. */
export type SpanState = "spawning" | "running" | "blocked" | "holding";

export interface SpanEvent {
  type: "span";
  worker: WorkerLabel;
  state: SpanState;
  start: number;
  end: number;
  /** For blocked/holding: what was waited on or held. */
  prim?: PrimitiveRef;
  /** How a wait ended: "acquired", "woken", "timed-out", "broken", … */
  outcome?: string;
}

/** Something that happened at one moment (a barrier phase completing, a message sent). */
export interface InstantEvent {
  type: "instant";
  worker: WorkerLabel;
  name: string;
  at: number;
  prim?: PrimitiveRef;
  args?: Record<string, number | string | boolean>;
}

/** A sampled value over time (queue depth, balance). */
export interface CounterEvent {
  type: "counter";
  name: string;
  at: number;
  value: number;
  worker?: WorkerLabel;
}

export type TraceEvent = SpanEvent | InstantEvent | CounterEvent;

export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
}

export interface WorkerRecord {
  id: number;
  label: WorkerLabel;
  kind: WorkerKind;
  spawnedAt: number;
  readyAt?: number;
  endedAt?: number;
  result?: unknown;
  error?: WorkerError;
  /** For processes: how it ended. */
  exitCode?: number | null;
  signal?: string | null;
}

/** A finished run as plain data (what `JSON.stringify(run)` gives). */
export interface RunData {
  kind: "threads" | "processes";
  n: number;
  startedAt: number;
  endedAt: number;
  workers: WorkerRecord[];
  trace: TraceEvent[];
}

/** Per-task record of a pool, for the task-stream chart. */
export interface TaskRecord {
  task: number;
  worker: WorkerLabel;
  submittedAt: number;
  startedAt: number;
  endedAt: number;
  error?: string;
}

/** The wait-for graph of a (suspected) deadlock. */
export interface WaitForGraph {
  /** worker label → primitives it holds */
  holds: { worker: WorkerLabel; prim: PrimitiveRef }[];
  /** worker label → primitive it is blocked on */
  waits: { worker: WorkerLabel; prim: PrimitiveRef; since: number }[];
  /** The cycle, as alternating worker and primitive ids, if one was found. */
  cycle: string[];
}

// The origin is read once: its getter costs more than the addition on hot paths (the sync primitives read this clock).
const ORIGIN = performance.timeOrigin;

/** The shared clock: epoch milliseconds with sub-millisecond precision. */
export function now(): number {
  return ORIGIN + performance.now();
}
