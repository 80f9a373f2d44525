// Errors a run or a pool rejects with. A run's carry its data so far (`run`), so a
// cell can still chart what happened before things went wrong.
import type { RunData, WorkerError } from "../trace/types";

/**
 * A worker threw (or its process died). `name` and stack are the worker's own
 * (frames inside the shipped function read `cell-fn:<name>:<line>:<col>`);
 * the message starts with the worker label: "[t2] boom".
 */
export class WorkerFailedError extends Error {
  readonly worker: string;
  readonly workerId: number;
  /** For processes that died: exit code or signal. */
  exitCode?: number | null;
  signal?: string | null;
  run?: RunData;
  constructor(label: string, id: number, err: WorkerError) {
    super(`[${label}] ${err.message}`);
    this.name = err.name || "Error";
    this.worker = label;
    this.workerId = id;
    if (err.stack) {
      // Keep the worker's frames down to the function itself; drop the entry's own frames below it.
      const all = err.stack.split("\n").filter((l) => /^\s+at /.test(l));
      const cut = all.findIndex((l) => /\bat (runMode|runTask|poolTask) /.test(l));
      const frames = cut >= 0 ? all.slice(0, cut) : all;
      this.stack = `${this.name}: ${this.message}\n${frames.join("\n")}`;
    }
  }
}

/** The run went past options.timeout; its workers were stopped. */
export class RunTimeoutError extends Error {
  run?: RunData;
  constructor(message: string) {
    super(message);
    this.name = "RunTimeoutError";
  }
}

/** The run was stopped from outside: kernel interrupt (SIGINT), stopAll(), shutdown. */
export class InterruptedError extends Error {
  run?: RunData;
  constructor(message: string) {
    super(message);
    this.name = "InterruptedError";
  }
}

/** A pool's map was cancelled through its options.signal (or a task of it was). */
export class AbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AbortError";
  }
}
