// The spawning area's public surface (kernel-helpers re-exports it as is: a name added
// here reaches notebooks; internal names stay out).
export { threads, processes, type Spawner, type WorkerHandle, type WorkerArgs } from "./api";
export { Run, type WorkerFn } from "./run";
export { MAX_THREADS, MAX_PROCESSES, type RunOptions } from "./options";
export { stopAll, liveCount } from "./lifecycle";
export { DeadlockError } from "./deadlock";
export { WorkerFailedError, RunTimeoutError, InterruptedError } from "./errors";
export { ThreadPool, ProcessPool, AbortError, MAX_POOL_THREADS, MAX_POOL_PROCESSES, type PoolOptions, type MapOptions, type MapResult } from "./pool";
