// The cell-facing API: `import { … } from "kernel-helpers"` in a notebook.
// Each area lives in its own module; this file only gathers them.
import { isMainThread } from "node:worker_threads";
import { setMainThreadPolicy } from "../../src/sync/policy";
import { Run } from "../../src/spawn/run";
import { DeadlockError } from "../../src/spawn/deadlock";
import type { Chart } from "../../src/charts/types";
import { contention, inKernel, timeline, waitFor, type ContentionOptions, type TimelineOptions } from "./charts";

export * from "./sync";
export * from "./spawn";
export * from "./charts";
export * from "./course";

// Inside a tslab kernel the main thread is the notebook itself: a lock or wait
// that blocks it forever freezes the notebook, so blocking calls there need a
// timeout or their async form (the error says which).
if (isMainThread && inKernel()) setMainThreadPolicy("refuse");

// A Run draws itself, and a DeadlockError draws its wait-for graph. The classes
// live in src/ (which knows nothing of displays); the drawing is added here.
declare module "../../src/spawn/run" {
  interface Run<R> {
    /** Displays the run's timeline: one lane per worker (running, blocked, holding). */
    timeline(opts?: TimelineOptions): Promise<Chart>;
    /** Displays lock contention: wait-time histogram and wait vs hold per worker. */
    contention(opts?: ContentionOptions): Promise<Chart>;
  }
}
declare module "../../src/spawn/deadlock" {
  interface DeadlockError {
    /** Displays the wait-for graph with the cycle highlighted. */
    show(): Promise<Chart>;
  }
}
Run.prototype.timeline = function (this: Run, opts?: TimelineOptions) {
  return timeline(this, opts);
};
Run.prototype.contention = function (this: Run, opts?: ContentionOptions) {
  return contention(this, opts);
};
DeadlockError.prototype.show = function (this: DeadlockError) {
  return waitFor(this.graph);
};
