// Spawning from a cell: threads, processes, pools, and the lifecycle around them.
// Re-exported from index.ts.
export { threads, processes } from "../../src/spawn/api";
export type { Spawner, WorkerHandle, WorkerArgs } from "../../src/spawn/api";
export { Run } from "../../src/spawn/run";
export type { WorkerFn } from "../../src/spawn/run";
export type { RunOptions } from "../../src/spawn/options";
export { MAX_THREADS, MAX_PROCESSES } from "../../src/spawn/options";
export { stopAll } from "../../src/spawn/lifecycle";
export { DeadlockError } from "../../src/spawn/deadlock";
export { WorkerFailedError, RunTimeoutError, InterruptedError } from "../../src/spawn/errors";
export { Trace, toChromeTrace, saveChromeTrace } from "../../src/trace/chrome";
export type { ChromeTrace, ChromeEvent } from "../../src/trace/chrome";
export type { RunData, WorkerRecord, TraceEvent, TaskRecord, WaitForGraph, PrimitiveRef } from "../../src/trace/types";
export { ThreadPool, ProcessPool, AbortError, MAX_POOL_THREADS, MAX_POOL_PROCESSES } from "../../src/spawn/pool";
export type { PoolOptions, MapOptions, MapResult } from "../../src/spawn/pool";
/** @internal Run by piscina in each ThreadPool thread. */
export { poolTask as __interleavePoolTask } from "../../src/spawn/pool";
/** @internal The worker entry (dist/worker.js) calls this with the kernel-helpers module itself. */
export { workerMain as __interleaveWorkerMain } from "../../src/spawn/worker-main";
