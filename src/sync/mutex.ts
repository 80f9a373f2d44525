// Mutex: a futex-style lock in one int32 word that also names its holder.
import { ATTACH, SharedObject, registerReviver, setup, type SharedOptions } from "./base";
import { NotOwnerError } from "./errors";
import { block, blockAsync, PENDING, type Wait } from "./drive";
import { syncObserver, untimedHoldsReported, type SyncObserver } from "./instrument";
import type { Memory, Sharing } from "./memory";
import { checkTimeout } from "./time";
import { ownerToken } from "./token";

// The state word: 0 free; token << 1 held by that owner; token << 1 | 1 held, and
// someone may sleep on it (Drepper's "2"). The holder's token lives in the word
// the lock takes anyway, so locking writes one cache line, not two: a separate
// owner word is a second line passed between two contending threads on every
// hand-over (figures: bench/README.md, "Figures behind the sync core's design").
const STATE = 0;
const TOKEN = ownerToken();
const HELD = TOKEN << 1;
const HELD_SLEEPERS = HELD | 1;
/** Bytes of a Mutex's memory, alone or inside another primitive's (the state word, rounded up to 8). */
export const MUTEX_BYTES = 8;

/**
 * A non-reentrant mutual-exclusion lock shared by threads or processes.
 *
 * - `lock(timeoutMs?)` blocks while another thread holds it; returns true once held,
 *   false if `timeoutMs` elapsed first (timeout 0 = try once). Locking it again without
 *   a timeout from the thread that holds it raises (it would deadlock forever).
 * - `tryLock()` never blocks: true if it took the lock.
 * - `unlock()` wakes one waiter. Raises NotOwnerError when the calling thread does not
 *   hold the lock (including when it is not locked at all).
 * - `lockAsync(timeoutMs?)` is the main-thread form: awaits instead of blocking.
 * - `owner()` is the holder's owner token (see ownerToken()), 0 when free.
 * Not fair: a thread that just unlocked may take it again before a woken waiter.
 * Under setMainThreadPolicy("refuse"), lock() on the main thread with no timeout raises
 * when it would have to block.
 */
export class Mutex extends SharedObject {
  static readonly tag = "Mutex";
  readonly #i32: Int32Array;
  readonly #quiet: boolean;
  /** The observer was told this thread acquired it: unlock() owes it a released(). */
  #reported = false;
  /** The state #mark last saw held by someone else: the value to sleep on. */
  #sleepOn = 0;
  /** See #wait: made on first contention, so that the fast path allocates nothing. */
  #look: Wait<boolean> | undefined;

  constructor(opts?: SharedOptions) {
    const s = setup(opts, "new Mutex", "mutex", MUTEX_BYTES);
    super("mutex", s.mem, s.id, s.label);
    this.#quiet = s.quiet === true;
    this.#i32 = this.mem.i32(0, 1);
    if (!this.#quiet) register(this);
  }

  /** @internal A mutex over the first 8 bytes of `mem` (inside a queue, array, condition). */
  static over(mem: Memory, id: string, label?: string, quiet = false): Mutex {
    return new Mutex({ [ATTACH]: { mem, id, label, quiet } } as SharedOptions);
  }

  tryLock(): boolean {
    return Atomics.compareExchange(this.#i32, STATE, 0, HELD) === 0 && this.#gotUntimed();
  }

  lock(timeoutMs?: number): boolean {
    if (timeoutMs !== undefined) checkTimeout(timeoutMs, "Mutex.lock");
    if (Atomics.compareExchange(this.#i32, STATE, 0, HELD) === 0) {
      const obs = syncObserver();
      if (obs !== null && !this.#quiet && untimedHoldsReported()) this.#report(obs); // no clock read here: see instrument.ts
      return true;
    }
    return this.lockSlow(checkTimeout(timeoutMs, "Mutex.lock"), true);
  }

  /**
   * @internal The contended path; `policy` false for short internal re-locks.
   * No spinning before sleeping: with a critical section as short as a counter
   * update, a spinning waiter keeps both threads awake passing the lock (and its
   * cache line) back and forth on every operation, which costs more than letting
   * it sleep while the holder runs on alone (measured with bench/sync.ts).
   */
  lockSlow(timeoutMs: number | undefined, policy: boolean): boolean {
    if (timeoutMs === 0) return this.tryLock();
    // Drepper's step first, before any bookkeeping: take the lock if it is free by
    // now (the holder's critical section is often over), else mark it "someone may
    // sleep" so that its unlock wakes us.
    if (this.#mark()) return this.#gotUntimed();
    if (timeoutMs === undefined && this.#sleepOn >>> 1 === TOKEN) {
      throw new Error(`Mutex.lock: this thread already holds ${this.#name()}; a Mutex is not reentrant (this would deadlock)`);
    }
    // Then straight to sleep, as the bare mutex does after its failed exchange: a
    // second try before the first sleep cost more than it saved (bench/README.md).
    return policy ? block(this.#wait, timeoutMs, "Mutex.lock()", "mutex.lockAsync()") : block(this.#wait, timeoutMs);
  }

  /** The blocked lock's look (lock and lockAsync share it), made on first contention. */
  get #wait(): Wait<boolean> {
    const mutex = this;
    this.#look ??= {
      prim: this,
      quiet: this.#quiet,
      i32: this.#i32,
      index: STATE,
      get expected() {
        return mutex.#sleepOn;
      },
      poll: () => this.#mark() || PENDING,
      expire: () => false,
      outcome: (got) => (got ? "acquired" : "timed-out"),
      held: (obs, at) => this.#report(obs, at),
    };
    return this.#look;
  }

  /**
   * Takes the lock if it is free (true), marking it "someone may sleep": this
   * thread may have been woken from a sleep, and others may still sleep, so its
   * unlock must wake one. Otherwise makes sure the held state carries the sleeper
   * bit and leaves that state in #sleepOn (false).
   */
  #mark(): boolean {
    const i32 = this.#i32;
    // Try to take it first, as Drepper's exchange does: one atomic step when it
    // is free, and otherwise it tells who holds it.
    let c = Atomics.compareExchange(i32, STATE, 0, HELD_SLEEPERS);
    while (c !== 0) {
      if (c & 1) {
        this.#sleepOn = c;
        return false;
      }
      const seen = Atomics.compareExchange(i32, STATE, c, c | 1);
      if (seen === c) {
        this.#sleepOn = c | 1;
        return false;
      }
      c = seen === 0 ? Atomics.compareExchange(i32, STATE, 0, HELD_SLEEPERS) : seen;
    }
    return true;
  }

  /** @internal Re-acquire after a condition wait: no main-thread refusal (it is short by design). */
  lockSlowOrFast(): void {
    if (Atomics.compareExchange(this.#i32, STATE, 0, HELD) === 0) {
      this.#gotUntimed();
      return;
    }
    this.lockSlow(undefined, false);
  }

  /** Took the lock without waiting: reported, with no time, while untimed holds are. */
  #gotUntimed(): true {
    const obs = this.#quiet ? null : syncObserver();
    if (obs !== null && untimedHoldsReported()) this.#report(obs);
    return true;
  }

  /** Tells the observer this thread now holds it (`at`: when the wait ended, if it waited). */
  #report(obs: SyncObserver, at?: number): void {
    this.#reported = true;
    obs.acquired?.(this.ref, at);
  }

  async lockAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Mutex.lockAsync");
    if (this.tryLock()) return true;
    // No reentrancy check here: several async tasks of one thread share its token.
    if (t === 0) return false;
    if (this.#mark()) return this.#gotUntimed();
    return blockAsync(this.#wait, t);
  }

  unlock(): void {
    const i32 = this.#i32;
    // One atomic step releases an unshared hold and tells who held it otherwise.
    const c = Atomics.compareExchange(i32, STATE, HELD, 0);
    if (c !== HELD) {
      if (c >>> 1 !== TOKEN) {
        throw new NotOwnerError(
          c === 0
            ? `Mutex.unlock: ${this.#name()} is not locked`
            : `Mutex.unlock: ${this.#name()} is held by another thread (owner token ${c >>> 1}); only the holder may unlock it`,
        );
      }
      Atomics.store(i32, STATE, 0);
      this.mem.waiter.wake(i32, STATE, 1);
    }
    // After the release, not before: whatever the observer does (a tracer reading
    // the clock) must not lengthen the critical section and make waiters sleep.
    if (this.#reported) {
      this.#reported = false;
      syncObserver()?.released?.(this.ref);
    }
  }

  /** The holder's owner token, 0 when free. */
  owner(): number {
    return Atomics.load(this.#i32, STATE) >>> 1;
  }

  /** True while held by anyone. */
  locked(): boolean {
    return Atomics.load(this.#i32, STATE) !== 0;
  }

  /** True when the calling thread holds it. */
  heldByMe(): boolean {
    return Atomics.load(this.#i32, STATE) >>> 1 === TOKEN;
  }

  /** Runs fn with the lock held; unlocks also when fn throws. */
  withLock<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  async withLockAsync<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.lockAsync();
    try {
      return await fn();
    } finally {
      this.unlock();
    }
  }

  #name(): string {
    return this.label ? `mutex "${this.label}"` : `mutex ${this.id}`;
  }

  protected override extra(_t: Sharing): unknown {
    return undefined;
  }
}

// The mutexes alive in this thread, so that a worker about to block can say what it
// holds (the deadlock watchdog's wait-for graph) without tracking every lock and
// unlock: the owner word already says who holds each one. Weak: never keeps one alive.
let known: WeakRef<Mutex>[] = [];
let sinceSweep = 0;

function register(m: Mutex): void {
  known.push(new WeakRef(m));
  if (++sinceSweep >= 1024) {
    sinceSweep = 0;
    known = known.filter((r) => r.deref() !== undefined);
  }
}

/** The (non-internal) mutexes the calling thread holds right now. Walks every live mutex: call it only when about to block. */
export function heldMutexes(): Mutex[] {
  const out: Mutex[] = [];
  for (const r of known) {
    const m = r.deref();
    if (m?.heldByMe()) out.push(m);
  }
  return out;
}

registerReviver(Mutex, (a) => Mutex.over(a.mem, a.id, a.label));
