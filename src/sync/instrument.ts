// The instrumentation hook: blocking primitives report to one observer per
// thread/process, installed by the spawning area to build traces and the
// wait-for graph. Off (null) by default; the primitives' fast paths test one
// module-level variable and do nothing else when it is null.
//
// Cost rule: reading the clock can cost more than the lock itself (VMs without a
// fast clock source: bench/README.md), so the uncontended path never reads it
// for the observer. acquired/released get a time only when the
// primitive already read the clock because it waited; an observer that wants
// the time of an uncontended hold must read it itself (and pay for it).
import type { PrimitiveRef } from "../trace/types";

export type WaitOutcome = "acquired" | "woken" | "timed-out" | "broken" | "closed";

export interface SyncObserver {
  /** This worker is about to block on `prim` (only called when it really blocks). */
  waitStart(prim: PrimitiveRef, at: number): void;
  /** The block that began with waitStart ended. */
  waitEnd(prim: PrimitiveRef, at: number, outcome: WaitOutcome): void;
  /**
   * This worker now holds `prim` (a mutex, a semaphore permit). `at` is given when the
   * hold began after a wait (the waitEnd time), undefined on the uncontended path.
   * Optional: leave it out and the primitives do not even call it.
   */
  acquired?(prim: PrimitiveRef, at?: number): void;
  /** This worker let go of `prim`. `at` is never read for it: read the clock if you need it. */
  released?(prim: PrimitiveRef, at?: number): void;
  /** Something worth a mark on the timeline (barrier phase done, item put, …). */
  event?(prim: PrimitiveRef, name: string, at: number, args?: Record<string, number | string | boolean>): void;
}

let current: SyncObserver | null = null;
let untimed = true;

/** Installs this thread's observer (null: none); turns untimed hold reports back on. */
export function setSyncObserver(observer: SyncObserver | null): void {
  current = observer;
  untimed = true;
}

/**
 * Whether holds taken without a wait are still reported: `acquired(prim)` with no
 * time, and the `released` that ends such a hold. On by default and whenever an
 * observer is installed. An observer that no longer wants them (the trace recorder
 * once its hold-timing budget is spent) turns them off, and the uncontended path
 * then makes no observer call at all. Holds that began after a wait are always
 * reported, and every reported acquisition gets its `released`.
 */
export function reportUntimedHolds(on: boolean): void {
  untimed = on;
}

export function untimedHoldsReported(): boolean {
  return untimed;
}

export function syncObserver(): SyncObserver | null {
  return current;
}
