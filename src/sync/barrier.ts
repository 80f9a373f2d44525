// Barrier: one int32 word packs (broken bit, generation, arrivals) so that an
// arrival, a release and a break are each one atomic step; a second word counts
// threads inside wait() so that reset() can let the old generation drain first.
import { now } from "../trace/types";
import { ATTACH, SharedObject, attachOf, registerReviver, setup, type SharedOptions } from "./base";
import { BrokenBarrierError } from "./errors";
import { block, blockAsync, PENDING, type Pending, type Wait } from "./drive";
import { syncObserver, type WaitOutcome } from "./instrument";
import { checkBlocking } from "./policy";
import { checkTimeout } from "./time";
import { WAKE_ALL } from "./waiter";

const WORD = 0;
const INSIDE = 1;
const PARTIES = 2;
const COUNT_MASK = 0xffff;
const GEN_SHIFT = 16;
const GEN_MASK = 0x3fff;
const BROKEN = 1 << 30;
export const MAX_PARTIES = 0x7fff;

const genOf = (w: number): number => (w >>> GEN_SHIFT) & GEN_MASK;
const nextGen = (g: number): number => ((g + 1) & GEN_MASK) << GEN_SHIFT;

/**
 * A reusable barrier for a fixed number of parties, as Python's threading.Barrier.
 *
 * - `wait(timeoutMs?)` blocks until `parties` threads have called it, then all are
 *   released together. Returns this thread's arrival index, 0 … parties-1 (exactly one
 *   thread gets each index, e.g. `if (b.wait() === 0)` for one-time work). The barrier
 *   then resets itself for the next round (generation).
 * - If the timeout elapses, the barrier breaks: this call and every other waiter raise
 *   BrokenBarrierError, and so do later waits until reset().
 * - `abort()` breaks it (waiters raise BrokenBarrierError); `reset()` breaks the current
 *   round for anyone waiting, then returns it to empty and usable. `broken`, `nWaiting`
 *   and `parties` read its state. `waitAsync`: main-thread form.
 * parties must be an integer in 1 … 32767.
 */
export class Barrier extends SharedObject {
  static readonly tag = "Barrier";
  readonly #i32: Int32Array;

  constructor(parties: number, opts?: SharedOptions) {
    if (!attachOf(opts) && (typeof parties !== "number" || !Number.isInteger(parties) || parties < 1 || parties > MAX_PARTIES)) {
      throw new RangeError(`new Barrier: parties must be an integer from 1 to ${MAX_PARTIES}, got ${String(parties)}`);
    }
    const s = setup(opts, "new Barrier", "barrier", 16);
    super("barrier", s.mem, s.id, s.label);
    this.#i32 = this.mem.i32(0, 3);
    if (s.fresh) this.#i32[PARTIES] = parties;
  }

  get parties(): number {
    return this.#i32[PARTIES];
  }

  get nWaiting(): number {
    const w = Atomics.load(this.#i32, WORD);
    return w & BROKEN ? 0 : w & COUNT_MASK;
  }

  get broken(): boolean {
    return (Atomics.load(this.#i32, WORD) & BROKEN) !== 0;
  }

  /** Sets the broken bit (unless the round was released meanwhile) and wakes everyone. */
  #break(gen: number): void {
    const i32 = this.#i32;
    for (;;) {
      const w = Atomics.load(i32, WORD);
      if (w & BROKEN || genOf(w) !== gen) break;
      if (Atomics.compareExchange(i32, WORD, w, w | BROKEN) === w) break;
    }
    this.mem.waiter.wake(i32, WORD, WAKE_ALL);
  }

  wait(timeoutMs?: number): number {
    const t = checkTimeout(timeoutMs, "Barrier.wait");
    // Before arriving: a refused call must not count as an arrival.
    if (this.parties > 1) checkBlocking("Barrier.wait()", t, "barrier.waitAsync()");
    const i32 = this.#i32;
    Atomics.add(i32, INSIDE, 1);
    try {
      const w = this.#arrive("Barrier.wait", t);
      return typeof w === "number" ? w : block(w, t);
    } finally {
      Atomics.sub(i32, INSIDE, 1);
    }
  }

  async waitAsync(timeoutMs?: number): Promise<number> {
    const t = checkTimeout(timeoutMs, "Barrier.waitAsync");
    const i32 = this.#i32;
    Atomics.add(i32, INSIDE, 1);
    try {
      const w = this.#arrive("Barrier.waitAsync", t);
      return typeof w === "number" ? w : await blockAsync(w, t);
    } finally {
      Atomics.sub(i32, INSIDE, 1);
    }
  }

  /** Arrives: this thread's arrival index when it released the round, else the look of its wait. */
  #arrive(what: string, t: number | undefined): number | Wait<number> {
    const i32 = this.#i32;
    const parties = i32[PARTIES];
    for (;;) {
      const w = Atomics.load(i32, WORD);
      if (w & BROKEN) throw new BrokenBarrierError(`${what}: ${this.#name()} is broken (aborted, reset or timed out); call reset() to reuse it`);
      const count = w & COUNT_MASK;
      const gen = genOf(w);
      const last = count + 1 === parties;
      const next = last ? nextGen(gen) : w + 1;
      if (Atomics.compareExchange(i32, WORD, w, next) !== w) continue;
      if (!last) return this.#look(what, t, count, next);
      this.mem.waiter.wake(i32, WORD, WAKE_ALL);
      const obs = syncObserver();
      if (obs?.event) obs.event(this.ref, "phase", now(), { generation: gen });
      return count;
    }
  }

  /**
   * The wait of the arrival that left the word at `word` (sync and async share it):
   * the arrival index once the generation moves on, BrokenBarrierError once broken;
   * on timeout it breaks the barrier.
   */
  #look(what: string, t: number | undefined, index: number, word: number): Wait<number> {
    const i32 = this.#i32;
    const gen = genOf(word);
    const look = {
      prim: this,
      i32,
      index: WORD,
      expected: word,
      poll: (): number | Pending => {
        const seen = Atomics.load(i32, WORD);
        if (genOf(seen) !== gen) return index;
        if (seen & BROKEN) throw new BrokenBarrierError(`${what}: ${this.#name()} was broken while waiting`);
        look.expected = seen;
        return PENDING;
      },
      expire: (): number => {
        this.#break(gen);
        if (genOf(Atomics.load(i32, WORD)) !== gen) return index; // released just in time
        throw new BrokenBarrierError(`${what}: timed out after ${t} ms; ${this.#name()} is now broken for every waiter`);
      },
      outcome: (): WaitOutcome => "woken",
    };
    return look;
  }

  /** Breaks the barrier: current and future waiters raise BrokenBarrierError until reset(). */
  abort(): void {
    const i32 = this.#i32;
    for (;;) {
      const w = Atomics.load(i32, WORD);
      if (w & BROKEN || Atomics.compareExchange(i32, WORD, w, w | BROKEN) === w) break;
    }
    this.mem.waiter.wake(i32, WORD, WAKE_ALL);
  }

  /**
   * Returns the barrier to its empty state. Threads waiting in the current round
   * raise BrokenBarrierError. Waits (briefly) until they have left wait().
   */
  reset(): void {
    const i32 = this.#i32;
    this.abort();
    // Waiters of the broken round must see it broken before the word moves on.
    // Bounded: a worker killed inside wait() must not hang reset() forever.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const end = performance.now() + 1000;
    while (Atomics.load(i32, INSIDE) > 0 && performance.now() < end) Atomics.wait(pause, 0, 0, 0.2);
    const w = Atomics.load(i32, WORD);
    Atomics.store(i32, WORD, nextGen(genOf(w)));
  }

  #name(): string {
    return this.label ? `barrier "${this.label}"` : `barrier ${this.id}`;
  }
}

registerReviver(Barrier, (a) => new Barrier(1, { [ATTACH]: a } as SharedOptions));
