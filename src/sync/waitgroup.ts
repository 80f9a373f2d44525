// WaitGroup: one counter word; reaching zero wakes every waiter.
import { now } from "./clock";
import { ATTACH, SharedObject, attachOf, registerReviver, setup, type SharedOptions } from "./base";
import { syncObserver } from "./instrument";
import { checkBlocking } from "./policy";
import { checkTimeout, deadlineOf, remaining } from "./time";

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
  readonly #i32: Int32Array;

  constructor(count = 0, opts?: SharedOptions) {
    if (!attachOf(opts) && (typeof count !== "number" || !Number.isInteger(count) || count < 0)) {
      throw new RangeError(`new WaitGroup: count must be an integer >= 0, got ${String(count)}`);
    }
    const s = setup(opts, "new WaitGroup", "waitgroup", 8);
    super("waitgroup", s.mem, s.id, s.label);
    this.#i32 = this.mem.i32(0, 1);
    if (s.fresh) this.#i32[COUNT] = count;
  }

  protected tag(): string {
    return "WaitGroup";
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
      throw new RangeError(
        `WaitGroup.${n === -1 ? "done" : "add"}: counter would go below zero (${v}); call done() once per add()`,
      );
    }
    if (v === 0) this.mem.waiter.wake(this.#i32, COUNT, 0x7fffffff);
  }

  done(): void {
    this.add(-1);
  }

  wait(timeoutMs?: number): boolean {
    const t = checkTimeout(timeoutMs, "WaitGroup.wait");
    let c = Atomics.load(this.#i32, COUNT);
    if (c === 0) return true;
    if (t === 0) return false;
    checkBlocking("WaitGroup.wait()", t, "wg.waitAsync()");
    const obs = syncObserver();
    if (obs) obs.waitStart(this.ref, now());
    const end = deadlineOf(t);
    let left = remaining(end);
    while (c !== 0 && left > 0) {
      this.mem.waiter.wait(this.#i32, COUNT, c, left === Infinity ? undefined : left);
      c = Atomics.load(this.#i32, COUNT);
      left = remaining(end);
    }
    if (obs) obs.waitEnd(this.ref, now(), c === 0 ? "woken" : "timed-out");
    return c === 0;
  }

  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "WaitGroup.waitAsync");
    let c = Atomics.load(this.#i32, COUNT);
    if (c === 0) return true;
    const obs = syncObserver();
    if (obs) obs.waitStart(this.ref, now());
    const end = deadlineOf(t);
    let left = remaining(end);
    while (c !== 0 && left > 0) {
      await this.mem.waiter.waitAsync(this.#i32, COUNT, c, left === Infinity ? undefined : left);
      c = Atomics.load(this.#i32, COUNT);
      left = remaining(end);
    }
    if (obs) obs.waitEnd(this.ref, now(), c === 0 ? "woken" : "timed-out");
    return c === 0;
  }
}

registerReviver("WaitGroup", (a) => new WaitGroup(0, { [ATTACH]: a } as SharedOptions));
