// The two drivers of every blocked call: block() sleeps the thread, blockAsync()
// awaits. A primitive writes only its look (a Wait: try to finish, else say which
// word to sleep on); the drivers keep the deadline, apply the main-thread rule,
// undo a look's sleeper registration and make the observer calls, the same for
// both forms. The fast path never comes here: a primitive calls a driver only
// after its own first look (its fast path) came back PENDING.
import type { SharedObject } from "./base";
import { now } from "../trace/types";
import { ClosedError } from "./errors";
import { syncObserver, type SyncObserver, type WaitOutcome } from "./instrument";
import { checkBlocking } from "./policy";
import { deadlineOf, remaining } from "./time";

/** What a look returns while the call must keep waiting. */
export const PENDING: unique symbol = Symbol("interleave.pending");
export type Pending = typeof PENDING;

/** One blocked call's look, written by its primitive. */
export interface Wait<R> {
  /** The primitive waited on: its memory's waiter sleeps, its ref is what the observer hears about. */
  readonly prim: SharedObject;
  /** Tell the observer nothing (a queue's own lock). */
  readonly quiet?: boolean;
  /** The sleep: on i32[index] while it still holds `expected` (set by the look that returned PENDING). */
  readonly i32: Int32Array;
  readonly index: number;
  readonly expected: number;
  /** One look: the call's result, or PENDING. May raise (closed queue, broken barrier): that ends the wait. */
  poll(): R | Pending;
  /** Undoes what a PENDING look did to be woken (a sleeper count); called after each sleep and before leaving without one. */
  unwait?(): void;
  /** The deadline passed: the call's result, or raises (TimeoutError, BrokenBarrierError). */
  expire(): R;
  /** How a wait that gives `r` is reported; "acquired" also reports the hold (`held`, else observer.acquired). */
  outcome(r: R): WaitOutcome;
  /** Reports the hold that began when the wait ended at `at` (a Mutex also notes that unlock owes a released). */
  held?(obs: SyncObserver, at: number): void;
}

/** Tells the observer (if any) that the wait begins; returns the time it began (0 without an observer). */
function waitStart(w: Wait<unknown>, obs: SyncObserver | null): number {
  if (!obs) return 0;
  const at = now();
  obs.waitStart(w.prim.ref, at);
  return at;
}

/**
 * Blocks until `w` gives a result, or its deadline (`timeoutMs`, undefined = none; 0 =
 * give up at once) passes. With `call` given, the main-thread rule applies: no timeout
 * on the notebook's main thread raises, naming `asyncForm`.
 */
export function block<R>(w: Wait<R>, timeoutMs: number | undefined, call?: string, asyncForm?: string): R {
  const { waiter } = w.prim.mem;
  const wait = waiting(w, timeoutMs, call, asyncForm);
  for (let next = wait.next(); ; next = wait.next()) {
    if (next.done) return next.value;
    try {
      waiter.wait(w.i32, w.index, w.expected, next.value);
    } catch (e) {
      wait.throw(e);
    }
  }
}

/** The awaiting form of block(): the same looks, deadline and observer calls. */
export async function blockAsync<R>(w: Wait<R>, timeoutMs: number | undefined): Promise<R> {
  const { waiter } = w.prim.mem;
  const wait = waiting(w, timeoutMs);
  for (let next = wait.next(); ; next = wait.next()) {
    if (next.done) return next.value;
    try {
      await waiter.waitAsync(w.i32, w.index, w.expected, next.value);
    } catch (e) {
      wait.throw(e);
    }
  }
}

/**
 * A blocked call's wait, for both drivers: yields each sleep (the milliseconds
 * left; the driver sleeps on the look's word, then resumes it, or throws what the
 * sleep raised into it) and returns the call's result.
 */
function* waiting<R>(w: Wait<R>, timeoutMs: number | undefined, call?: string, asyncForm?: string): Generator<number, R, void> {
  if (timeoutMs === 0) return expire(w, null);
  if (call !== undefined) refuse(w, timeoutMs, call, asyncForm!);
  const obs = w.quiet ? null : syncObserver();
  let at = waitStart(w, obs);
  const end = deadlineOf(timeoutMs);
  for (;;) {
    const left = remaining(end);
    if (left <= 0) return expire(w, obs);
    try {
      yield left;
    } finally {
      w.unwait?.();
    }
    // The clock is read before the look, never after it: a look may take a lock.
    if (obs) at = now();
    const r = look(w, obs, at);
    if (r !== PENDING) return finish(w, obs, at, r);
  }
}

function refuse(w: Wait<unknown>, timeoutMs: number | undefined, call: string, asyncForm: string): void {
  try {
    checkBlocking(call, timeoutMs, asyncForm);
  } catch (e) {
    w.unwait?.();
    throw e;
  }
}

function look<R>(w: Wait<R>, obs: SyncObserver | null, at: number): R | Pending {
  if (obs === null) return w.poll();
  try {
    return w.poll();
  } catch (e) {
    obs.waitEnd(w.prim.ref, at, e instanceof ClosedError ? "closed" : "broken");
    throw e;
  }
}

function expire<R>(w: Wait<R>, obs: SyncObserver | null): R {
  w.unwait?.();
  if (obs === null) return w.expire();
  let r: R;
  try {
    r = w.expire();
  } catch (e) {
    obs.waitEnd(w.prim.ref, now(), "timed-out");
    throw e;
  }
  return finish(w, obs, now(), r);
}

function finish<R>(w: Wait<R>, obs: SyncObserver | null, at: number, r: R): R {
  if (obs === null) return r;
  const outcome = w.outcome(r);
  obs.waitEnd(w.prim.ref, at, outcome);
  if (outcome === "acquired") {
    if (w.held) w.held(obs, at);
    else obs.acquired?.(w.prim.ref, at);
  }
  return r;
}
