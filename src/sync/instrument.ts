// The instrumentation hook: blocking primitives report to one observer per
// thread/process, installed by the spawning area to build traces and the
// wait-for graph. Off (null) by default; the primitives' fast paths test one
// module-level variable and do nothing else when it is null.
import type { PrimitiveRef } from "../trace/types";

export type WaitOutcome = "acquired" | "woken" | "timed-out" | "broken" | "closed";

export interface SyncObserver {
  /** This worker is about to block on `prim` (only called when it really blocks). */
  waitStart(prim: PrimitiveRef, at: number): void;
  /** The block that began with waitStart ended. */
  waitEnd(prim: PrimitiveRef, at: number, outcome: WaitOutcome): void;
  /** This worker now holds `prim` (a mutex, a semaphore permit). */
  acquired(prim: PrimitiveRef, at: number): void;
  /** This worker let go of `prim`. */
  released(prim: PrimitiveRef, at: number): void;
  /** Something worth a mark on the timeline (barrier phase done, item put, …). */
  event?(prim: PrimitiveRef, name: string, at: number, args?: Record<string, number | string | boolean>): void;
}

let current: SyncObserver | null = null;

export function setSyncObserver(observer: SyncObserver | null): void {
  current = observer;
}

export function syncObserver(): SyncObserver | null {
  return current;
}
