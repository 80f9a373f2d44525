// The cell-facing API: `import { … } from "kernel-helpers"` in a notebook.
// Each area lives in its own module; this file only gathers them.
import { isMainThread } from "node:worker_threads";
import { setMainThreadPolicy } from "../../src/sync/policy";
import { Run } from "../../src/spawn/run";
import { DeadlockError } from "../../src/spawn/deadlock";
import { stopAll } from "../../src/spawn/lifecycle";
import { closeAllSegments } from "../../src/shm/segment";
import { rearmSigintIfAdded, sigintListeners } from "../../src/shm/signals";
import type { Chart } from "../../src/charts/types";
import { contention, inKernel, timeline, tslabJupyterModule, waitFor, type ContentionOptions, type TimelineOptions } from "./charts";

export * from "./sync";
export * from "./spawn";
export * from "./charts";
export * from "./course";
export * from "./claims";
export * from "./exercises";

if (isMainThread && inKernel()) {
  // Inside a tslab kernel the main thread is the notebook itself: a lock or wait
  // that blocks it forever freezes the notebook, so blocking calls there need a
  // timeout or their async form (the error says which).
  setMainThreadPolicy("refuse");
  watchCellRuns();
  stopWorkersOnShutdown();
  exitWithServer();
}

/**
 * On a shutdown request tslab closes its sockets and lets the process end once its
 * event loop is empty; running workers would keep it alive until Jupyter kills it
 * (then only the reaper, src/shm/reaper.ts, removes the segments). Stop them when
 * tslab closes.
 */
function stopWorkersOnShutdown(): void {
  const handler = tslabJupyterModule()?.JupyterHandlerImpl as { prototype: { close?: (...a: unknown[]) => unknown; __interleaveWrapped?: boolean } } | undefined;
  const proto = handler?.prototype;
  if (!proto || typeof proto.close !== "function" || proto.__interleaveWrapped) return;
  const original = proto.close;
  proto.close = function (this: unknown, ...args: unknown[]) {
    // Unlink the segment names now (mapped memory stays valid for the workers still
    // running): the process may end before the asynchronous stop below completes.
    closeAllSegments();
    void stopAll("the kernel is shutting down");
    return original.apply(this, args);
  };
  proto.__interleaveWrapped = true;
}

/**
 * tslab runs a cell's synchronous part with `vm.runInThisContext(…, { breakOnSigint })`,
 * and calls it through the module object at each cell, so wrapping it here sees
 * every cell. Two Node quirks of such runs are handled after each:
 * - an interrupt during the run ends the cell, but Node sets every other SIGINT
 *   listener aside meanwhile, interleave's too: the workers the cell started would
 *   keep running. An interrupted cell stops them.
 * - a SIGINT listener added during the run (interleave installs its own on first
 *   use) would leave SIGINT with Node's default action, so that the next interrupt,
 *   the first step of a Jupyter shutdown too, killed the kernel outright with its
 *   segments still in /dev/shm (see src/shm/signals.ts). It is re-armed.
 * This module itself loads inside such a run (the cell's `import`): the first check
 * waits for that run's end.
 */
function watchCellRuns(): void {
  const atLoad = sigintListeners();
  queueMicrotask(() => rearmSigintIfAdded(atLoad)); // a microtask runs once the current script is over
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const vm = require("node:vm") as { runInThisContext: (...args: unknown[]) => unknown; __interleaveWrapped?: boolean };
  if (vm.__interleaveWrapped) return;
  const original = vm.runInThisContext;
  vm.runInThisContext = function (this: unknown, ...args: unknown[]) {
    const before = sigintListeners();
    try {
      return original.apply(this, args);
    } catch (e) {
      if ((e as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") void stopAll("the cell was interrupted");
      throw e;
    } finally {
      rearmSigintIfAdded(before);
    }
  };
  vm.__interleaveWrapped = true;
}

/**
 * A kernel whose Jupyter server was killed (SIGKILL: no shutdown request) is
 * re-parented and would run on forever with its workers. Poll the parent pid
 * (cheap, unref'd) and leave with it, stopping every worker first.
 */
function exitWithServer(): void {
  const server = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === server) return;
    clearInterval(watch);
    void stopAll("the Jupyter server is gone").finally(() => process.exit(1));
  }, 1000);
  watch.unref();
}

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
