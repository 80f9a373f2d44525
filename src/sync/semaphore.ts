// Counting semaphores: a value word and a sleeper count (so release() skips the
// wake-up system call when nobody sleeps).
import { ATTACH, SharedObject, attachOf, checkInteger, registerReviver, setup, type SharedOptions } from "./base";
import { block, blockAsync, PENDING, type Wait } from "./drive";
import { syncObserver, untimedHoldsReported } from "./instrument";
import { checkTimeout } from "./time";

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
  static readonly tag: string = "Semaphore";
  readonly #i32: Int32Array;
  /** See #wait: made on first contention. */
  #look: Wait<boolean> | undefined;

  constructor(value = 1, opts?: SharedOptions) {
    const bounded = new.target === BoundedSemaphore;
    const name = bounded ? "new BoundedSemaphore" : "new Semaphore";
    if (!attachOf(opts)) checkInteger(value, name, "value");
    const s = setup(opts, name, "semaphore", BYTES);
    super("semaphore", s.mem, s.id, s.label);
    this.#i32 = this.mem.i32(0, 3);
    if (s.fresh) {
      this.#i32[VALUE] = value;
      this.#i32[BOUND] = bounded ? value : -1;
    }
  }

  get value(): number {
    return Atomics.load(this.#i32, VALUE);
  }

  tryAcquire(): boolean {
    return this.#take() && this.#gotUntimed();
  }

  acquire(timeoutMs?: number): boolean {
    if (this.tryAcquire()) return true;
    const t = checkTimeout(timeoutMs, "Semaphore.acquire");
    if (t === 0) return false;
    if (this.#wait.poll() === true) return this.#gotUntimed();
    return block(this.#wait, t, "Semaphore.acquire()", "sem.acquireAsync()");
  }

  async acquireAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Semaphore.acquireAsync");
    if (this.tryAcquire()) return true;
    if (t === 0) return false;
    if (this.#wait.poll() === true) return this.#gotUntimed();
    return blockAsync(this.#wait, t);
  }

  /** The blocked acquire's look (acquire and acquireAsync share it), made on first contention. */
  get #wait(): Wait<boolean> {
    const i32 = this.#i32;
    this.#look ??= {
      prim: this,
      i32,
      index: VALUE,
      expected: 0,
      poll: () => {
        if (this.#take()) return true;
        // Count ourselves before sleeping on the value: release() adds then reads
        // the count, so one of us always sees the other (no lost wake-up).
        Atomics.add(i32, WAITERS, 1);
        return PENDING;
      },
      unwait: () => void Atomics.sub(i32, WAITERS, 1),
      expire: () => false,
      outcome: (got) => (got ? "acquired" : "timed-out"),
    };
    return this.#look;
  }

  /** Took a unit without waiting: reported, with no time (no clock read: see instrument.ts), while untimed holds are. */
  #gotUntimed(): true {
    const obs = syncObserver();
    if (obs !== null && untimedHoldsReported()) obs.acquired?.(this.ref);
    return true;
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
    checkInteger(n, `${this.tag()}.release`, "n", 1);
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
  static override readonly tag = "BoundedSemaphore";
}

registerReviver(Semaphore, (a) => new Semaphore(0, { [ATTACH]: a } as SharedOptions));
registerReviver(BoundedSemaphore, (a) => new BoundedSemaphore(0, { [ATTACH]: a } as SharedOptions));
