// The synchronisation core: one set of primitives for threads and processes.
export { Mutex } from "./mutex";
export { Condition } from "./condition";
export { Semaphore, BoundedSemaphore } from "./semaphore";
export { Event } from "./event";
export { WaitGroup } from "./waitgroup";
export { Barrier } from "./barrier";
export { BoundedQueue, type QueueItem, type QueueOptions } from "./queue";
export { Channel, Pipe, pipe, type ChannelOptions } from "./channel";
export { SharedArray, SharedValue, sharedArray, sharedValue, type NumberType, type SharedArrayOptions } from "./shared";
export { BrokenBarrierError, NotOwnerError, TimeoutError, ClosedError } from "./errors";
export { encodeShared, reviveShared } from "./transfer";
export { SharedObject, type SharedOptions } from "./base";
export type { Sharing } from "./memory";
export { ownerToken, decodeOwnerToken } from "./token";
export { setMainThreadPolicy, mainThreadPolicy, type MainThreadPolicy } from "./policy";
export { setSyncObserver, syncObserver, type SyncObserver, type WaitOutcome } from "./instrument";
export type { Waiter, WaitResult } from "./waiter";
