// Event: one flag word; set() wakes every waiter.
import { now } from "./clock";
import { ATTACH, SharedObject, registerReviver, setup, type SharedOptions } from "./base";
import { syncObserver } from "./instrument";
import { checkBlocking } from "./policy";
import { checkTimeout, deadlineOf, remaining } from "./time";

const FLAG = 0;

/**
 * A flag threads can wait on, as Python's threading.Event.
 *
 * - `wait(timeoutMs?)` blocks until the flag is set (returns at once if it is).
 *   Returns true when set, false if the timeout elapsed first.
 * - `set()` sets the flag and wakes all waiters; `clear()` resets it; `isSet()` reads it.
 * - `waitAsync(timeoutMs?)`: main-thread form.
 */
export class Event extends SharedObject {
  readonly #i32: Int32Array;

  constructor(opts?: SharedOptions) {
    const s = setup(opts, "new Event", "event", 8);
    super("event", s.mem, s.id, s.label);
    this.#i32 = this.mem.i32(0, 1);
  }

  protected tag(): string {
    return "Event";
  }

  isSet(): boolean {
    return Atomics.load(this.#i32, FLAG) === 1;
  }

  set(): void {
    Atomics.store(this.#i32, FLAG, 1);
    this.mem.waiter.wake(this.#i32, FLAG, 0x7fffffff);
    const obs = syncObserver();
    if (obs && obs.event) obs.event(this.ref, "set", now());
  }

  clear(): void {
    Atomics.store(this.#i32, FLAG, 0);
  }

  wait(timeoutMs?: number): boolean {
    const t = checkTimeout(timeoutMs, "Event.wait");
    if (this.isSet()) return true;
    if (t === 0) return false;
    checkBlocking("Event.wait()", t, "event.waitAsync()");
    const obs = syncObserver();
    if (obs) obs.waitStart(this.ref, now());
    const end = deadlineOf(t);
    let left = remaining(end);
    while (!this.isSet() && left > 0) {
      this.mem.waiter.wait(this.#i32, FLAG, 0, left === Infinity ? undefined : left);
      left = remaining(end);
    }
    const ok = this.isSet();
    if (obs) obs.waitEnd(this.ref, now(), ok ? "woken" : "timed-out");
    return ok;
  }

  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Event.waitAsync");
    if (this.isSet()) return true;
    const obs = syncObserver();
    if (obs) obs.waitStart(this.ref, now());
    const end = deadlineOf(t);
    let left = remaining(end);
    while (!this.isSet() && left > 0) {
      await this.mem.waiter.waitAsync(this.#i32, FLAG, 0, left === Infinity ? undefined : left);
      left = remaining(end);
    }
    const ok = this.isSet();
    if (obs) obs.waitEnd(this.ref, now(), ok ? "woken" : "timed-out");
    return ok;
  }
}

registerReviver("Event", (a) => new Event({ [ATTACH]: a } as SharedOptions));
