// A finished run (what threads.run / processes.run resolve with): results,
// per-worker timings, the trace. session.ts runs it.
import { Trace } from "../trace/chrome";
import type { RunData, WorkerRecord } from "../trace/types";
import type { RunKind } from "./kinds";

/** What the worker function receives: its own id (0..n-1), the worker count, and the keys of `data`. */
export type WorkerArgs<D> = D & { id: number; n: number };

/** A worker function, or a path to a .ts/.js module whose default export (or `main`) is one. */
export type WorkerFn<D, R> = ((args: WorkerArgs<D>) => R) | string;

/** A finished run: results, per-worker timings, the trace. `JSON.stringify(run)` gives its RunData. */
export class Run<R = unknown> {
  readonly kind: RunKind;
  readonly n: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly workers: WorkerRecord[];
  readonly trace: Trace;

  constructor(data: RunData) {
    this.kind = data.kind;
    this.n = data.n;
    this.startedAt = data.startedAt;
    this.endedAt = data.endedAt;
    this.workers = data.workers;
    this.trace = Trace.attach(data.trace, () => this.toJSON());
  }

  /** Results in worker order (results[i] is what worker i returned). */
  get results(): R[] {
    return this.workers.map((w) => w.result as R);
  }

  /** Wall time of the whole run, ms. */
  get duration(): number {
    return this.endedAt - this.startedAt;
  }

  toJSON(): RunData {
    return {
      kind: this.kind,
      n: this.n,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      workers: this.workers,
      trace: [...this.trace],
    };
  }
}
