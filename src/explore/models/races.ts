// Chapter 4's races as models: the lost update, stingy and spendy (with and
// without a lock), and check-then-act. Each thread body is written as the real
// code would be, with `yield` in front of every shared step.
import { checkInt } from "../../course/errors";
import { model, sim, type Model, type Step } from "../model";

// biome-ignore lint/suspicious/noExplicitAny: a yield's result is whatever its step gives (a number for read, a boolean for tryLock, …)
type Steps = Generator<Step, any, any>;

/**
 * Lost update: 2 threads each do `k` times "read the counter into a local (one
 * step), write local + 1 (one step)". With no reduction there are C(4k, 2k)
 * schedules; the outcome is the final counter, 2k expected, anything less lost
 * an update (forbidden). The smallest reachable value is 2.
 */
export function lostUpdate(opts: { k?: number } = {}): Model {
  const k = checkInt("k", opts.k ?? 2, 1, 20);
  return model({
    name: `lost update (k = ${k})`,
    shared: { counter: 0 },
    params: { k },
    threads: function* worker({ counter, k }): Steps {
      for (let i = 0; i < k; i++) {
        const v = yield counter.read();
        yield counter.write(v + 1);
      }
    },
    n: 2,
    outcome: ({ counter }) => String(counter),
    grade: (o) => (o === String(2 * k) ? "expected" : "forbidden"),
  });
}

/**
 * Stingy and spendy share a balance of 100: stingy adds 10, spendy takes 10,
 * `times` times each, as `balance = balance + delta` (a read and a write). With
 * `lock: true` each update is inside lock.lock() … lock.unlock(). Outcome: the
 * final balance; only 100 is right.
 */
export function stingySpendy(opts: { lock?: boolean; times?: number } = {}): Model {
  const times = checkInt("times", opts.times ?? 1, 1, 10);
  const locked = !!opts.lock;
  return model({
    name: `stingy and spendy, ${locked ? "with a lock" : "no lock"} (${times} each)`,
    shared: { balance: 100, lock: sim.mutex() },
    params: { times, locked },
    threads: function* bank({ id, balance, lock, times, locked }): Steps {
      const delta = id === 0 ? +10 : -10; // stingy earns, spendy spends
      for (let i = 0; i < times; i++) {
        if (locked) yield lock.lock();
        const b = yield balance.read();
        yield balance.write(b + delta);
        if (locked) yield lock.unlock();
      }
    },
    n: 2,
    threadNames: ["stingy", "spendy"],
    outcome: ({ balance }) => String(balance),
    grade: (o) => (o === "100" ? "expected" : "forbidden"),
  });
}

/**
 * Check-then-act: two customers each withdraw 60 from an account of 100, but
 * only "if there is enough": check the balance (a read), then take the money
 * (a read and a write). Without a lock both checks can pass before either
 * withdrawal: the account goes to −20 (or one withdrawal is lost). With
 * `lock: true` the check and the act are one critical section: exactly one
 * withdrawal happens, the balance is 40.
 */
export function checkThenAct(opts: { lock?: boolean } = {}): Model {
  const locked = !!opts.lock;
  return model({
    name: `check-then-act, ${locked ? "check and act under one lock" : "no lock"}`,
    shared: { balance: 100, lock: sim.mutex() },
    params: { amount: 60, locked },
    threads: function* withdraw({ balance, lock, amount, locked }): Steps {
      if (locked) yield lock.lock();
      let took = 0;
      if ((yield balance.read()) >= amount) {
        // check …
        const b = yield balance.read(); // … then act
        yield balance.write(b - amount);
        took = amount;
      }
      if (locked) yield lock.unlock();
      return took;
    },
    n: 2,
    outcome: ({ balance }, took) => `balance ${balance}, paid out ${(took as number[]).reduce((a, b) => a + b, 0)}`,
    grade: (o) => (o === "balance 40, paid out 60" ? "expected" : "forbidden"),
  });
}
