// WaitGroup: one counter word; reaching zero wakes every waiter.
import { ATTACH, SharedObject, attachOf, registerReviver, setup, type SharedOptions } from "./base";
import { block, blockAsync, PENDING, type Pending, type Wait } from "./drive";
import type { WaitOutcome } from "./instrument";
import { checkTimeout } from "./time";
import { WAKE_ALL } from "./waiter";

const COUNT = 0;

/**
 * A counter of outstanding work, as Go's sync.WaitGroup.
 *
 * - `add(n = 1)` adds n (may be negative); `done()` is add(-1). Going below zero
 *   raises RangeError and leaves the counter unchanged.
 * - `wait(timeoutMs?)` blocks until the counter is zero. Returns true, or false if
 *   the timeout elapsed first.
 * - `count` is the current value; `waitAsync(timeoutMs?)`: main-thread form.
 */
export class WaitGroup extends SharedObject {
  static readonly tag = "WaitGroup";
  readonly #i32: Int32Array;
  #look: Wait<boolean> | undefined;

  constructor(count = 0, opts?: SharedOptions) {
    if (!attachOf(opts) && (typeof count !== "number" || !Number.isInteger(count) || count < 0)) {
      throw new RangeError(`new WaitGroup: count must be an integer >= 0, got ${String(count)}`);
    }
    const s = setup(opts, "new WaitGroup", "waitgroup", 8);
    super("waitgroup", s.mem, s.id, s.label);
    this.#i32 = this.mem.i32(0, 1);
    if (s.fresh) this.#i32[COUNT] = count;
  }

  get count(): number {
    return Atomics.load(this.#i32, COUNT);
  }

  add(n = 1): void {
    if (typeof n !== "number" || !Number.isInteger(n)) {
      throw new TypeError(`WaitGroup.add: n must be an integer, got ${String(n)}`);
    }
    const v = Atomics.add(this.#i32, COUNT, n) + n;
    if (v < 0) {
      Atomics.sub(this.#i32, COUNT, n);
      throw new RangeError(`WaitGroup.${n === -1 ? "done" : "add"}: counter would go below zero (${v}); call done() once per add()`);
    }
    if (v === 0) this.mem.waiter.wake(this.#i32, COUNT, WAKE_ALL);
  }

  done(): void {
    this.add(-1);
  }

  wait(timeoutMs?: number): boolean {
    const t = checkTimeout(timeoutMs, "WaitGroup.wait");
    if (this.#wait.poll() === true) return true;
    return block(this.#wait, t, "WaitGroup.wait()", "wg.waitAsync()");
  }

  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "WaitGroup.waitAsync");
    if (this.#wait.poll() === true) return true;
    return blockAsync(this.#wait, t);
  }

  /** The blocked wait's look (wait and waitAsync share it): done at zero, else sleeps on the count it saw. */
  get #wait(): Wait<boolean> {
    if (this.#look) return this.#look;
    const i32 = this.#i32;
    const w = {
      prim: this,
      i32,
      index: COUNT,
      expected: 0,
      poll: (): true | Pending => {
        w.expected = Atomics.load(i32, COUNT);
        return w.expected === 0 || PENDING;
      },
      expire: () => false,
      outcome: (zero: boolean): WaitOutcome => (zero ? "woken" : "timed-out"),
    };
    this.#look = w;
    return w;
  }
}

registerReviver(WaitGroup, (a) => new WaitGroup(0, { [ATTACH]: a } as SharedOptions));
