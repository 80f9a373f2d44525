// The spawning area's public surface (kernel-helpers/src/spawn.ts re-exports it).
export { threads, processes, type Spawner, type WorkerHandle, type WorkerArgs } from "./api";
export { Run, type WorkerFn } from "./run";
export { MAX_THREADS, MAX_PROCESSES, type RunOptions } from "./options";
export { stopAll, liveCount } from "./lifecycle";
export { DeadlockError } from "./deadlock";
export { WorkerFailedError, RunTimeoutError, InterruptedError } from "./errors";
export { ThreadPool, ProcessPool, AbortError, type PoolOptions, type MapOptions, type MapResult } from "./pool";
