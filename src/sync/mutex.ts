// Mutex: a futex-style lock in two int32 words (state, owner token), a cache line apart.
import { now } from "./clock";
import { ATTACH, SharedObject, registerReviver, setup, type SharedOptions } from "./base";
import { NotOwnerError } from "./errors";
import { syncObserver, untimedHoldsReported } from "./instrument";
import type { Memory, Sharing } from "./memory";
import { checkBlocking } from "./policy";
import { checkTimeout, deadlineOf, remaining } from "./time";
import { ownerToken } from "./token";

const STATE = 0; // 0 free, 1 held, 2 held and someone may sleep on it
// The owner word of a Mutex with memory of its own sits a cache line (64 bytes)
// after the state word: the holder writes it on every lock and unlock, and beside
// the state it would pull that line away from a thread about to take the lock
// (measured: about 15% of a contended lock + unlock). Inside another primitive's
// header (a queue, a shared array) the two words sit side by side.
const OWNER_APART = 16;
const OWNER_BESIDE = 1;
/** Bytes of a Mutex's own memory: state word, then the owner word a cache line later. */
export const MUTEX_BYTES = 72;
/** Bytes of a Mutex packed into another primitive's memory: state and owner side by side. */
export const MUTEX_BYTES_PACKED = 8;
const TOKEN = ownerToken();

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
  readonly #i32: Int32Array;
  /** Index of the owner word in #i32 (see OWNER_APART). */
  readonly #owner: number;
  readonly #quiet: boolean;
  /** The observer was told this thread acquired it: unlock() owes it a released(). */
  #reported = false;

  constructor(opts?: SharedOptions) {
    const s = setup(opts, "new Mutex", "mutex", MUTEX_BYTES);
    super("mutex", s.mem, s.id, s.label);
    this.#quiet = s.quiet === true;
    this.#owner = this.mem.byteLength >= MUTEX_BYTES ? OWNER_APART : OWNER_BESIDE;
    this.#i32 = this.mem.i32(0, this.#owner + 1);
    if (!this.#quiet) register(this);
  }

  /** @internal A mutex over the first 8 bytes of `mem` (inside a queue, array, condition). */
  static over(mem: Memory, id: string, label?: string, quiet = false): Mutex {
    return new Mutex({ [ATTACH]: { mem, id, label, quiet } } as SharedOptions);
  }

  protected tag(): string {
    return "Mutex";
  }

  tryLock(): boolean {
    if (Atomics.compareExchange(this.#i32, STATE, 0, 1) !== 0) return false;
    this.#i32[this.#owner] = TOKEN;
    const obs = syncObserver();
    if (obs !== null && !this.#quiet && untimedHoldsReported()) this.#report(obs);
    return true;
  }

  lock(timeoutMs?: number): boolean {
    if (timeoutMs !== undefined) checkTimeout(timeoutMs, "Mutex.lock");
    if (Atomics.compareExchange(this.#i32, STATE, 0, 1) === 0) {
      this.#i32[this.#owner] = TOKEN;
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
   * it sleep while the holder runs on alone (measured: bench/sync.ts).
   */
  lockSlow(timeoutMs: number | undefined, policy: boolean): boolean {
    const i32 = this.#i32;
    if (timeoutMs === 0) return Atomics.compareExchange(i32, STATE, 0, 1) === 0 && this.#got(null);
    // Drepper's step first, before any bookkeeping: mark the lock "held, someone may
    // sleep" and take it if that found it free (the holder's critical section is
    // often over by now). The checks below read the owner word, which sits in the
    // holder's cache line: paid only on the way to a real wait.
    if (Atomics.exchange(i32, STATE, 2) === 0) return this.#got(null);
    if (timeoutMs === undefined && i32[this.#owner] === TOKEN) {
      throw new Error(`Mutex.lock: this thread already holds ${this.#name()}; a Mutex is not reentrant (this would deadlock)`);
    }
    if (policy) checkBlocking("Mutex.lock()", timeoutMs, "mutex.lockAsync()");
    const obs = this.#quiet ? null : syncObserver();
    // The clock is read before each attempt to take the lock, never while holding
    // it: a longer critical section would make the other threads sleep.
    let t = 0;
    if (obs) obs.waitStart(this.ref, (t = now()));
    const end = deadlineOf(timeoutMs);
    for (;;) {
      const p = this.#poll(end, obs);
      if (p === true) return this.#got(obs, t);
      if (p === false) return false;
      this.mem.waiter.wait(i32, STATE, 2, p);
      if (obs) t = now();
    }
  }

  /**
   * One attempt while blocked (lock and lockAsync share it): marks the lock
   * "held, someone may sleep" and takes it if that found it free (true); on
   * timeout reports it and gives false; else the ms to sleep (undefined: no limit).
   */
  #poll(end: number, obs: ReturnType<typeof syncObserver>): boolean | number | undefined {
    if (Atomics.exchange(this.#i32, STATE, 2) === 0) return true;
    const left = remaining(end);
    if (left > 0) return left === Infinity ? undefined : left;
    if (obs) obs.waitEnd(this.ref, now(), "timed-out");
    return false;
  }

  /** @internal Re-acquire after a condition wait: no main-thread refusal (it is short by design). */
  lockSlowOrFast(): void {
    if (Atomics.compareExchange(this.#i32, STATE, 0, 1) === 0) {
      this.#got(null);
      return;
    }
    this.lockSlow(undefined, false);
  }

  /** Took the lock; `waited` is the observer told of the wait, `t` when the wait ended. */
  #got(waited: ReturnType<typeof syncObserver>, t = 0): true {
    this.#i32[this.#owner] = TOKEN;
    const obs = this.#quiet ? null : syncObserver();
    if (obs) {
      if (waited) {
        waited.waitEnd(this.ref, t, "acquired");
        this.#report(obs, t);
      } else if (untimedHoldsReported()) this.#report(obs);
    }
    return true;
  }

  /** Tells the observer this thread now holds it (`at`: when the wait ended, if it waited). */
  #report(obs: NonNullable<ReturnType<typeof syncObserver>>, at?: number): void {
    this.#reported = true;
    obs.acquired?.(this.ref, at);
  }

  async lockAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Mutex.lockAsync");
    if (this.tryLock()) return true;
    // No reentrancy check here: several async tasks of one thread share its token.
    if (t === 0) return false;
    const obs = this.#quiet ? null : syncObserver();
    if (obs) obs.waitStart(this.ref, now());
    const end = deadlineOf(t);
    for (;;) {
      const p = this.#poll(end, obs);
      if (p === true) return this.#got(obs, obs ? now() : 0);
      if (p === false) return false;
      await this.mem.waiter.waitAsync(this.#i32, STATE, 2, p);
    }
  }

  unlock(): void {
    const i32 = this.#i32;
    if (i32[this.#owner] !== TOKEN) {
      throw new NotOwnerError(
        Atomics.load(i32, STATE) === 0
          ? `Mutex.unlock: ${this.#name()} is not locked`
          : `Mutex.unlock: ${this.#name()} is held by another thread (owner token ${i32[this.#owner]}); only the holder may unlock it`,
      );
    }
    i32[this.#owner] = 0;
    if (Atomics.sub(i32, STATE, 1) !== 1) {
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
    return Atomics.load(this.#i32, STATE) === 0 ? 0 : this.#i32[this.#owner];
  }

  /** True while held by anyone. */
  locked(): boolean {
    return Atomics.load(this.#i32, STATE) !== 0;
  }

  /** True when the calling thread holds it. */
  heldByMe(): boolean {
    return this.#i32[this.#owner] === TOKEN && Atomics.load(this.#i32, STATE) !== 0;
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
    if (m && m.heldByMe()) out.push(m);
  }
  return out;
}

registerReviver("Mutex", (a) => Mutex.over(a.mem, a.id, a.label));
