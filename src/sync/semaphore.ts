// Counting semaphores: a value word and a sleeper count (so release() skips the
// wake-up system call when nobody sleeps).
import { now } from "./clock";
import { ATTACH, SharedObject, attachOf, registerReviver, setup, type SharedOptions } from "./base";
import { syncObserver, untimedHoldsReported } from "./instrument";
import { checkBlocking } from "./policy";
import { checkCount, checkTimeout, deadlineOf, remaining } from "./time";

const VALUE = 0;
const WAITERS = 1;
const BOUND = 2; // initial value for BoundedSemaphore, -1 for unbounded
const BYTES = 16;

/**
 * A counting semaphore, as Python's threading.Semaphore.
 *
 * - `acquire(timeoutMs?)` blocks while the value is 0, then decrements it. Returns
 *   true, or false if the timeout elapsed first (timeout 0 = try once).
 * - `release(n = 1)` adds n and wakes up to n waiters. Any thread may release.
 * - `value` is the current count (a snapshot).
 * - `acquireAsync(timeoutMs?)`: main-thread form.
 * A negative initial value, or a non-integer n, raises RangeError/TypeError.
 */
export class Semaphore extends SharedObject {
  readonly #i32: Int32Array;

  constructor(value = 1, opts?: SharedOptions) {
    const bounded = new.target === BoundedSemaphore;
    const name = bounded ? "new BoundedSemaphore" : "new Semaphore";
    if (!attachOf(opts)) checkCount(value, name, "value");
    const s = setup(opts, name, "semaphore", BYTES);
    super("semaphore", s.mem, s.id, s.label);
    this.#i32 = this.mem.i32(0, 3);
    if (s.fresh) {
      this.#i32[VALUE] = value;
      this.#i32[BOUND] = bounded ? value : -1;
    }
  }

  protected tag(): string {
    return "Semaphore";
  }

  get value(): number {
    return Atomics.load(this.#i32, VALUE);
  }

  tryAcquire(): boolean {
    const i32 = this.#i32;
    let v = Atomics.load(i32, VALUE);
    while (v > 0) {
      const seen = Atomics.compareExchange(i32, VALUE, v, v - 1);
      if (seen === v) {
        const obs = syncObserver();
        if (obs !== null && untimedHoldsReported()) obs.acquired?.(this.ref); // no clock read: see instrument.ts
        return true;
      }
      v = seen;
    }
    return false;
  }

  acquire(timeoutMs?: number): boolean {
    if (this.tryAcquire()) return true;
    const t = checkTimeout(timeoutMs, "Semaphore.acquire");
    if (t === 0) return false;
    checkBlocking("Semaphore.acquire()", t, "sem.acquireAsync()");
    const i32 = this.#i32;
    const obs = syncObserver();
    if (obs) obs.waitStart(this.ref, now());
    const end = deadlineOf(t);
    for (;;) {
      const p = this.#poll(end, obs);
      if (typeof p === "boolean") return p;
      // Count ourselves before looking at the value: release() adds then reads
      // the count, so one of us always sees the other (no lost wake-up).
      Atomics.add(i32, WAITERS, 1);
      this.mem.waiter.wait(i32, VALUE, 0, p);
      Atomics.sub(i32, WAITERS, 1);
    }
  }

  async acquireAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Semaphore.acquireAsync");
    if (this.tryAcquire()) return true;
    if (t === 0) return false;
    const i32 = this.#i32;
    const obs = syncObserver();
    if (obs) obs.waitStart(this.ref, now());
    const end = deadlineOf(t);
    for (;;) {
      const p = this.#poll(end, obs);
      if (typeof p === "boolean") return p;
      Atomics.add(i32, WAITERS, 1);
      try {
        await this.mem.waiter.waitAsync(i32, VALUE, 0, p);
      } finally {
        Atomics.sub(i32, WAITERS, 1);
      }
    }
  }

  /**
   * One look while blocked (acquire and acquireAsync share it): true once a unit
   * was taken, false when the timeout passed (both reported to the observer), else
   * the ms to sleep before looking again (undefined: no limit).
   */
  #poll(end: number, obs: ReturnType<typeof syncObserver>): boolean | number | undefined {
    if (this.#take()) {
      if (obs) {
        const at = now();
        obs.waitEnd(this.ref, at, "acquired");
        obs.acquired?.(this.ref, at);
      }
      return true;
    }
    const left = remaining(end);
    if (left > 0) return left === Infinity ? undefined : left;
    if (obs) obs.waitEnd(this.ref, now(), "timed-out");
    return false;
  }

  #take(): boolean {
    const i32 = this.#i32;
    let v = Atomics.load(i32, VALUE);
    while (v > 0) {
      const seen = Atomics.compareExchange(i32, VALUE, v, v - 1);
      if (seen === v) return true;
      v = seen;
    }
    return false;
  }

  release(n = 1): void {
    checkCount(n, `${this.tag()}.release`, "n", 1);
    const i32 = this.#i32;
    const bound = i32[BOUND];
    if (bound >= 0) {
      let v = Atomics.load(i32, VALUE);
      for (;;) {
        if (v + n > bound) {
          throw new RangeError(
            `BoundedSemaphore.release: released too many times (value ${v} + ${n} would exceed its initial value ${bound}); ` +
              `release only what you acquired`,
          );
        }
        const seen = Atomics.compareExchange(i32, VALUE, v, v + n);
        if (seen === v) break;
        v = seen;
      }
    } else Atomics.add(i32, VALUE, n);
    if (Atomics.load(i32, WAITERS) > 0) this.mem.waiter.wake(i32, VALUE, n);
    const obs = syncObserver(); // after the wake: see Mutex.unlock
    if (obs !== null) obs.released?.(this.ref);
  }
}

/**
 * A Semaphore whose release() raises RangeError when it would push the value above
 * its initial value (Python's BoundedSemaphore raises ValueError): catches releases
 * without a matching acquire.
 */
export class BoundedSemaphore extends Semaphore {
  protected override tag(): string {
    return "BoundedSemaphore";
  }
}

registerReviver("Semaphore", (a) => new Semaphore(0, { [ATTACH]: a } as SharedOptions));
registerReviver("BoundedSemaphore", (a) => new BoundedSemaphore(0, { [ATTACH]: a } as SharedOptions));
