// Condition variable: a sequence word that notify() bumps, plus a Mutex.
import { now } from "./clock";
import { ATTACH, SharedObject, attachOf, checkOptions, isDescriptor, newId, registerReviver, reviveDescriptor, type Descriptor, type SharedOptions } from "./base";
import { NotOwnerError } from "./errors";
import { syncObserver } from "./instrument";
import { Memory, type Sharing } from "./memory";
import { MUTEX_BYTES, Mutex } from "./mutex";
import { checkBlocking } from "./policy";
import { checkCount, checkTimeout, deadlineOf, remaining } from "./time";
import type { WaitResult } from "./waiter";

const SEQ = 0;
const WAITERS = 1;
const BYTES = 8;

/**
 * A condition variable bound to a Mutex (its own if none is given), as Python's
 * threading.Condition.
 *
 * - `wait(timeoutMs?)`: the caller must hold the lock (else NotOwnerError). Releases it,
 *   blocks until notify()/notifyAll() or the timeout, then re-acquires it before
 *   returning. Returns false if the timeout elapsed, true otherwise. Like every
 *   condition variable it may also return true without a notify (rarely): re-check
 *   your predicate, or use waitFor().
 * - `waitFor(predicate, timeoutMs?)`: waits until predicate() is truthy; returns the
 *   predicate's last value (falsy only after the timeout).
 * - `notify(n = 1)` wakes up to n waiters; `notifyAll()` wakes all. Both need the lock
 *   held (else NotOwnerError). A notify with no waiter is not remembered.
 * - `waitAsync` / `waitForAsync`: main-thread forms.
 */
export class Condition extends SharedObject {
  readonly lock: Mutex;
  readonly #i32: Int32Array;
  readonly #ownLock: boolean;

  constructor(lock?: Mutex, opts?: SharedOptions) {
    const a = attachOf(opts);
    if (!a) {
      if (lock !== undefined && !(lock instanceof Mutex)) {
        throw new TypeError(`new Condition: lock must be a Mutex (or omitted to make one), got ${String(lock)}`);
      }
      const o = checkOptions(opts, "new Condition");
      if (lock && o.shared !== undefined && o.shared !== lock.sharing) {
        throw new TypeError(`new Condition: shared is "${o.shared}" but the lock was created for "${lock.sharing}"; make them match`);
      }
    }
    const o = a ? {} : checkOptions(opts, "new Condition");
    // Without a given lock, the Mutex lives in the same memory (one segment).
    const s = a ?? { mem: Memory.alloc(lock ? BYTES : BYTES + MUTEX_BYTES, lock ? lock.sharing : (o.shared ?? "thread")), id: newId("condition"), label: o.label };
    super("condition", s.mem, s.id, s.label);
    const x = a?.extra as { lock?: Descriptor } | undefined;
    const given = a ? (x?.lock && isDescriptor(x.lock) ? (reviveDescriptor(x.lock) as Mutex) : undefined) : lock;
    this.#ownLock = !given;
    this.lock = given ?? Mutex.over(s.mem.slice(8, MUTEX_BYTES), s.id + ":lock", s.label);
    this.#i32 = this.mem.i32(0, 2);
  }

  protected tag(): string {
    return "Condition";
  }

  protected override extra(target: Sharing): unknown {
    // A lock of its own sits in our memory; a given lock travels as its own descriptor.
    return this.#ownLock ? undefined : { lock: this.lock.toDescriptor(target) };
  }

  acquire(timeoutMs?: number): boolean {
    return this.lock.lock(timeoutMs);
  }
  release(): void {
    this.lock.unlock();
  }

  #checkHeld(what: string): void {
    if (!this.lock.heldByMe()) {
      throw new NotOwnerError(`Condition.${what}: acquire the condition's lock first (cond.acquire() / lock.lock())`);
    }
  }

  wait(timeoutMs?: number): boolean {
    const t = checkTimeout(timeoutMs, "Condition.wait");
    this.#checkHeld("wait");
    checkBlocking("Condition.wait()", t, "cond.waitAsync()");
    const obs = syncObserver();
    const seq = this.#enter(obs);
    let r: WaitResult = "ok";
    try {
      if (t !== 0) r = this.mem.waiter.wait(this.#i32, SEQ, seq, t);
      else r = Atomics.load(this.#i32, SEQ) === seq ? "timed-out" : "ok";
    } finally {
      this.#leave(obs, r);
      this.lock.lockSlowOrFast();
    }
    return r !== "timed-out";
  }

  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Condition.waitAsync");
    this.#checkHeld("waitAsync");
    const obs = syncObserver();
    const seq = this.#enter(obs);
    let r: WaitResult = "ok";
    try {
      r = await this.mem.waiter.waitAsync(this.#i32, SEQ, seq, t);
    } finally {
      this.#leave(obs, r);
      await this.lock.lockAsync();
    }
    return r !== "timed-out";
  }

  /**
   * Before blocking (wait and waitAsync share it): joins the waiters, releases
   * the lock and reports the wait; returns the sequence number to block on.
   */
  #enter(obs: ReturnType<typeof syncObserver>): number {
    const i32 = this.#i32;
    const seq = Atomics.load(i32, SEQ);
    Atomics.add(i32, WAITERS, 1);
    this.lock.unlock();
    if (obs) obs.waitStart(this.ref, now());
    return seq;
  }

  /** After blocking (before re-taking the lock): leaves the waiters and reports how the wait ended. */
  #leave(obs: ReturnType<typeof syncObserver>, r: WaitResult): void {
    Atomics.sub(this.#i32, WAITERS, 1);
    if (obs) obs.waitEnd(this.ref, now(), r === "timed-out" ? "timed-out" : "woken");
  }

  waitFor<T>(predicate: () => T, timeoutMs?: number): T {
    if (typeof predicate !== "function") throw new TypeError("Condition.waitFor: predicate must be a function returning a boolean");
    const end = deadlineOf(checkTimeout(timeoutMs, "Condition.waitFor"));
    let result = predicate();
    while (!result) {
      const left = remaining(end);
      if (left <= 0) break;
      this.wait(left === Infinity ? undefined : left);
      result = predicate();
    }
    return result;
  }

  async waitForAsync<T>(predicate: () => T, timeoutMs?: number): Promise<T> {
    if (typeof predicate !== "function") throw new TypeError("Condition.waitForAsync: predicate must be a function returning a boolean");
    const end = deadlineOf(checkTimeout(timeoutMs, "Condition.waitForAsync"));
    let result = predicate();
    while (!result) {
      const left = remaining(end);
      if (left <= 0) break;
      await this.waitAsync(left === Infinity ? undefined : left);
      result = predicate();
    }
    return result;
  }

  notify(n = 1): void {
    checkCount(n, "Condition.notify", "n");
    this.#checkHeld("notify");
    const i32 = this.#i32;
    Atomics.add(i32, SEQ, 1);
    if (n > 0 && Atomics.load(i32, WAITERS) > 0) this.mem.waiter.wake(i32, SEQ, n);
  }

  notifyAll(): void {
    this.notify(0x7fffffff);
  }
}

registerReviver("Condition", (a) => new Condition(undefined, { [ATTACH]: a } as SharedOptions));
