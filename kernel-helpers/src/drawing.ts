// A Run draws itself (`await run.timeline()`), and a DeadlockError draws its wait-for
// graph (`await err.show()`). The classes live in src/spawn, which knows nothing of
// displays; notebooks get them from kernel-helpers, so the drawing is added here,
// once, when kernel-helpers loads (index.ts imports this module for that).
import { Run, DeadlockError } from "../../src/spawn";
import type { Chart, ContentionOptions, TimelineOptions } from "../../src/charts";
import { contention, timeline, waitFor } from "./charts";

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
