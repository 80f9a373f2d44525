// Event: one flag word; set() wakes every waiter.
import { now } from "../trace/types";
import { ATTACH, SharedObject, registerReviver, setup, type SharedOptions } from "./base";
import { block, blockAsync, PENDING, type Wait } from "./drive";
import { syncObserver } from "./instrument";
import { checkTimeout } from "./time";
import { WAKE_ALL } from "./waiter";

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
  static readonly tag = "Event";
  readonly #i32: Int32Array;
  #look: Wait<boolean> | undefined;

  constructor(opts?: SharedOptions) {
    const s = setup(opts, "new Event", "event", 8);
    super("event", s.mem, s.id, s.label);
    this.#i32 = this.mem.i32(0, 1);
  }

  isSet(): boolean {
    return Atomics.load(this.#i32, FLAG) === 1;
  }

  set(): void {
    Atomics.store(this.#i32, FLAG, 1);
    this.mem.waiter.wake(this.#i32, FLAG, WAKE_ALL);
    const obs = syncObserver();
    if (obs?.event) obs.event(this.ref, "set", now());
  }

  clear(): void {
    Atomics.store(this.#i32, FLAG, 0);
  }

  wait(timeoutMs?: number): boolean {
    const t = checkTimeout(timeoutMs, "Event.wait");
    if (this.isSet()) return true;
    return block(this.#wait, t, "Event.wait()", "event.waitAsync()");
  }

  async waitAsync(timeoutMs?: number): Promise<boolean> {
    const t = checkTimeout(timeoutMs, "Event.waitAsync");
    if (this.isSet()) return true;
    return blockAsync(this.#wait, t);
  }

  /** The blocked wait's look (wait and waitAsync share it): done once the flag is set. */
  get #wait(): Wait<boolean> {
    this.#look ??= {
      prim: this,
      i32: this.#i32,
      index: FLAG,
      expected: 0,
      poll: () => this.isSet() || PENDING,
      expire: () => false,
      outcome: (set) => (set ? "woken" : "timed-out"),
    };
    return this.#look;
  }
}

registerReviver(Event, (a) => new Event({ [ATTACH]: a } as SharedOptions));
