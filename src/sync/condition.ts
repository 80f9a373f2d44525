// Condition variable: a sequence word that notify() bumps, plus a Mutex.
import {
  ATTACH,
  SharedObject,
  attachOf,
  checkInteger,
  checkSharedOptions,
  isDescriptor,
  newId,
  registerReviver,
  reviveDescriptor,
  type Descriptor,
  type SharedOptions,
} from "./base";
import { NotOwnerError } from "./errors";
import { block, blockAsync, PENDING, type Wait } from "./drive";
import { Memory, type Sharing } from "./memory";
import { MUTEX_BYTES, Mutex } from "./mutex";
import { checkBlocking } from "./policy";
import { checkTimeout, deadlineOf, remaining } from "./time";
import { WAKE_ALL } from "./waiter";

const SEQ = 0;
const WAITERS = 1;
const BYTES = 8;

/**
 * A condition variable bound to a Mutex (its own if none is given), as Python's
 * threading.Condition.
 *
 * - `wait(timeoutMs?)`: the caller must hold the lock (else NotOwnerError). Releases it,
 *   blocks until notify()/notifyAll() or the timeout, then re-acquires it before
 *   returning. Returns true once a notify was made after it began (possibly one
 *   that woke another waiter), false if the timeout elapsed first. Like every
 *   condition variable's, a true wait does not mean your predicate holds: re-check
 *   it, or use waitFor().
 * - `waitFor(predicate, timeoutMs?)`: waits until predicate() is truthy; returns the
 *   predicate's last value (falsy only after the timeout).
 * - `notify(n = 1)` wakes up to n waiters; `notifyAll()` wakes all. Both need the lock
 *   held (else NotOwnerError). A notify with no waiter is not remembered.
 * - `waitAsync` / `waitForAsync`: main-thread forms.
 */
export class Condition extends SharedObject {
  static readonly tag = "Condition";
  readonly lock: Mutex;
  readonly #i32: Int32Array;
  readonly #ownLock: boolean;

  constructor(lock?: Mutex, opts?: SharedOptions) {
    const a = attachOf(opts);
    if (!a) {
      if (lock !== undefined && !(lock instanceof Mutex)) {
        throw new TypeError(`new Condition: lock must be a Mutex (or omitted to make one), got ${String(lock)}`);
      }
      const o = checkSharedOptions(opts, "new Condition");
      if (lock && o.shared !== undefined && o.shared !== lock.sharing) {
        throw new TypeError(`new Condition: shared is "${o.shared}" but the lock was created for "${lock.sharing}"; make them match`);
      }
    }
    const o = a ? {} : checkSharedOptions(opts, "new Condition");
    // Without a given lock, the Mutex lives in the same memory (one segment).
    const s = a ?? {
      mem: Memory.alloc(lock ? BYTES : BYTES + MUTEX_BYTES, lock ? lock.sharing : (o.shared ?? "thread")),
      id: newId("condition"),
      label: o.label,
    };
    super("condition", s.mem, s.id, s.label);
    const x = a?.extra as { lock?: Descriptor } | undefined;
    const given = a ? (x?.lock && isDescriptor(x.lock) ? (reviveDescriptor(x.lock) as Mutex) : undefined) : lock;
    this.#ownLock = !given;
    this.lock = given ?? Mutex.over(s.mem.slice(8, MUTEX_BYTES), `${s.id}:lock`, s.label);
    this.#i32 = this.mem.i32(0, 2);
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
    // Before letting go of the lock: a refused call must return still holding it.
    checkBlocking("Condition.wait()", t, "cond.waitAsync()");
    const w = this.#enter();
    try {
      return block(w, t);
    } finally {
      this.#leave();
      this.lock.lockSlowOrFast();
    }
  }

  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Condition.waitAsync");
    this.#checkHeld("waitAsync");
    const w = this.#enter();
    try {
      return await blockAsync(w, t);
    } finally {
      this.#leave();
      await this.lock.lockAsync();
    }
  }

  /**
   * Before blocking (wait and waitAsync share it): joins the waiters and releases
   * the lock. Returns the wait's look: woken once a notify moved the sequence on
   * from what it was here.
   */
  #enter(): Wait<boolean> {
    const i32 = this.#i32;
    const seq = Atomics.load(i32, SEQ);
    Atomics.add(i32, WAITERS, 1);
    this.lock.unlock();
    return {
      prim: this,
      i32,
      index: SEQ,
      expected: seq,
      poll: () => Atomics.load(i32, SEQ) !== seq || PENDING,
      expire: () => false,
      outcome: (notified) => (notified ? "woken" : "timed-out"),
    };
  }

  /** After blocking, before re-taking the lock: leaves the waiters. */
  #leave(): void {
    Atomics.sub(this.#i32, WAITERS, 1);
  }

  waitFor<T>(predicate: () => T, timeoutMs?: number): T {
    if (typeof predicate !== "function") throw new TypeError("Condition.waitFor: predicate must be a function returning a boolean");
    const end = deadlineOf(checkTimeout(timeoutMs, "Condition.waitFor"));
    let result = predicate();
    for (let left = remaining(end); !result && left > 0; left = remaining(end)) {
      this.wait(left);
      result = predicate();
    }
    return result;
  }

  async waitForAsync<T>(predicate: () => T, timeoutMs?: number): Promise<T> {
    if (typeof predicate !== "function") throw new TypeError("Condition.waitForAsync: predicate must be a function returning a boolean");
    const end = deadlineOf(checkTimeout(timeoutMs, "Condition.waitForAsync"));
    let result = predicate();
    for (let left = remaining(end); !result && left > 0; left = remaining(end)) {
      await this.waitAsync(left);
      result = predicate();
    }
    return result;
  }

  notify(n = 1): void {
    checkInteger(n, "Condition.notify", "n");
    this.#checkHeld("notify");
    const i32 = this.#i32;
    Atomics.add(i32, SEQ, 1);
    if (n > 0 && Atomics.load(i32, WAITERS) > 0) this.mem.waiter.wake(i32, SEQ, n);
  }

  notifyAll(): void {
    this.notify(WAKE_ALL);
  }
}

registerReviver(Condition, (a) => new Condition(undefined, { [ATTACH]: a } as SharedOptions));
