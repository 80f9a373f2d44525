// Chapters 6, 7 and 9 as models: the condition-variable bank and its broken
// variants, a wait group built from a condition, a barrier used wrongly, and a
// producer and a consumer on a bounded queue.
import { checkInt, CourseInputError } from "../../course/errors";
import { model, sim, type Model, type Step } from "../model";

// biome-ignore lint/suspicious/noExplicitAny: a yield's result is whatever its step gives (a number for read, a boolean for tryLock, …)
type Steps = Generator<Step, any, any>;

function variantOf<T extends string>(fn: string, v: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(v)) throw new CourseInputError(`${fn}: variant must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

export const BANK_VARIANTS = ["while", "if", "no-predicate"] as const;
export type BankVariant = (typeof BANK_VARIANTS)[number];

/**
 * Chapter 6's bank on a condition variable. The balance starts at 0; stingy
 * deposits 10 `deposits` times, each under the lock and followed by notify();
 * spendy spends 20 once, under the lock, but only when the balance allows:
 * - "while": `while (balance < 20) wait()` — the right way: never negative;
 * - "if": `if (balance < 20) wait()` — woken after one deposit of 10, spendy
 *   does not look again and takes 20 from 10;
 * - "no-predicate": a bare `wait()` — a notify that comes before the wait is
 *   lost, and spendy sleeps forever (a deadlock), or it spends too early.
 * Outcome: whether the balance went negative, and where it ended.
 */
export function conditionBank(opts: { variant?: BankVariant; deposits?: number } = {}): Model {
  const variant = variantOf("conditionBank", opts.variant ?? "while", BANK_VARIANTS);
  const deposits = checkInt("deposits", opts.deposits ?? 2, 2, 6);
  return model({
    name: `condition bank, spendy waits with ${variant === "no-predicate" ? "no predicate" : `\`${variant}\``}`,
    shared: { balance: 0, cond: sim.condition() },
    params: { variant, deposits },
    threads: function* bank({ id, balance, cond, variant, deposits }): Steps {
      if (id === 0) {
        // stingy
        for (let i = 0; i < deposits; i++) {
          yield cond.acquire();
          const b = yield balance.read();
          yield balance.write(b + 10);
          yield cond.notify(); // "the balance changed"
          yield cond.release();
        }
        return null;
      }
      yield cond.acquire(); // spendy
      if (variant === "while") while ((yield balance.read()) < 20) yield cond.wait();
      else if (variant === "if") {
        if ((yield balance.read()) < 20) yield cond.wait();
      } else yield cond.wait();
      const b = yield balance.read();
      yield balance.write(b - 20);
      yield cond.release();
      return b - 20; // the balance spendy left
    },
    n: 2,
    threadNames: ["stingy", "spendy"],
    outcome: ({ balance }, r) => ((r[1] as number) < 0 ? `went negative (${r[1]}), ends at ${balance}` : `never negative, ends at ${balance}`),
    grade: (o) => (o.startsWith("never negative") ? "expected" : "forbidden"),
  });
}

export const WAITGROUP_VARIANTS = ["condition", "notify-one", "early-wake", "library"] as const;
export type WaitGroupVariant = (typeof WAITGROUP_VARIANTS)[number];

/**
 * Chapter 6's wait group built from a Condition and a counter: `workers` threads
 * each do their work (write work[i] = 1) then done() (under the lock: count −= 1,
 * notifyAll at zero); the waiters wait() (under the lock: while count > 0,
 * wait), then count the finished work. Variants:
 * - "condition": as above, one waiter — every schedule sees all work done;
 * - "notify-one": two waiters, and done() calls notify() instead of notifyAll():
 *   one waiter is woken, the other sleeps forever (deadlock);
 * - "early-wake": done() notifies on every call and the waiter uses `if`: it
 *   wakes after the first done() and sees work unfinished;
 * - "library": the same with the library's WaitGroup (sim.waitGroup).
 */
export function waitGroupFromCondition(opts: { variant?: WaitGroupVariant; workers?: number } = {}): Model {
  const variant = variantOf("waitGroupFromCondition", opts.variant ?? "condition", WAITGROUP_VARIANTS);
  const workers = checkInt("workers", opts.workers ?? 2, 1, 4);
  const waiters = variant === "notify-one" ? 2 : 1;
  return model({
    name: `wait group (${variant === "library" ? "the library's WaitGroup" : `from a condition, ${variant}`}), ${workers} workers, ${waiters} waiter${waiters > 1 ? "s" : ""}`,
    shared:
      variant === "library"
        ? { work: new Array(workers).fill(0), wg: sim.waitGroup(workers) }
        : { count: workers, work: new Array(workers).fill(0), cond: sim.condition() },
    params: { variant, workers },
    threads: function* waitGroup({ id, count, work, cond, wg, variant, workers }): Steps {
      if (id < workers) {
        // a worker: its work, then done()
        yield work[id].write(1);
        if (variant === "library") return yield wg.done();
        yield cond.acquire();
        const c = (yield count.read()) - 1;
        yield count.write(c);
        if (variant === "early-wake") yield cond.notifyAll();
        else if (c === 0) yield variant === "notify-one" ? cond.notify() : cond.notifyAll();
        yield cond.release();
        return null;
      }
      if (variant === "library")
        yield wg.wait(); // a waiter: wait(), then look at the work
      else {
        yield cond.acquire();
        if (variant === "early-wake") {
          if ((yield count.read()) > 0) yield cond.wait();
        } else while ((yield count.read()) > 0) yield cond.wait();
        yield cond.release();
      }
      let finished = 0;
      for (let i = 0; i < workers; i++) finished += yield work[i].read();
      return finished;
    },
    n: workers + waiters,
    outcome: (_, r) =>
      r
        .slice(workers)
        .map((f) => `a waiter saw ${f} of ${workers} done`)
        .join("; "),
    grade: (o) => (o.split("; ").every((x) => x === `a waiter saw ${workers} of ${workers} done`) ? "expected" : "forbidden"),
  });
}

export const BARRIER_VARIANTS = ["correct", "one-barrier", "too-many-parties"] as const;
export type BarrierVariant = (typeof BARRIER_VARIANTS)[number];

/**
 * Chapter 7's barrier: two threads work in rounds; in round r each writes its
 * cell (10·(r+1) + id), waits at the barrier, then reads the other's cell.
 * - "correct": a second wait ends each round, so nobody overwrites a cell the
 *   other has not read yet: t0 sees [11, 21], t1 sees [10, 20];
 * - "one-barrier": no second wait: a fast thread writes next round's value
 *   before the other has read this round's;
 * - "too-many-parties": sim.barrier(3) for two threads: nobody ever passes.
 */
export function barrierMisuse(opts: { variant?: BarrierVariant; rounds?: number } = {}): Model {
  const variant = variantOf("barrierMisuse", opts.variant ?? "one-barrier", BARRIER_VARIANTS);
  const rounds = checkInt("rounds", opts.rounds ?? 2, 1, 4);
  return model({
    name: `barrier rounds, ${variant}`,
    shared: { cells: [0, 0], b: sim.barrier(variant === "too-many-parties" ? 3 : 2) },
    params: { variant, rounds },
    threads: function* rounds_({ id, cells, b, variant, rounds }): Steps {
      const seen: number[] = [];
      for (let r = 0; r < rounds; r++) {
        yield cells[id].write(10 * (r + 1) + id);
        yield b.wait();
        seen.push(yield cells[1 - id].read());
        if (variant !== "one-barrier") yield b.wait(); // everyone has read before anyone writes again
      }
      return seen;
    },
    n: 2,
    outcome: (_, r) => `t0 saw [${(r[0] as number[]).join(", ")}], t1 saw [${(r[1] as number[]).join(", ")}]`,
    grade: (o) => {
      const want = (id: number) => Array.from({ length: rounds }, (_, r) => 10 * (r + 1) + 1 - id).join(", ");
      return o === `t0 saw [${want(0)}], t1 saw [${want(1)}]` ? "expected" : "forbidden";
    },
  });
}

export const QUEUE_VARIANTS = ["correct", "quits-early"] as const;
export type QueueVariant = (typeof QUEUE_VARIANTS)[number];

/**
 * Chapter 9's producer and consumer on a bounded queue. The producer puts
 * 0 … items−1 (blocking while the queue is full), then closes it.
 * - "correct": the consumer takes items until get() gives undefined (closed and
 *   drained);
 * - "quits-early": the consumer stops as soon as it finds the queue empty ("the
 *   producer must be done") — if it looks too early, the producer blocks forever
 *   on a full queue: a deadlock.
 */
export function producerConsumer(opts: { variant?: QueueVariant; items?: number; capacity?: number } = {}): Model {
  const variant = variantOf("producerConsumer", opts.variant ?? "quits-early", QUEUE_VARIANTS);
  const items = checkInt("items", opts.items ?? 3, 1, 8);
  const capacity = checkInt("capacity", opts.capacity ?? 1, 1, 8);
  return model({
    name: `producer/consumer, queue of ${capacity}, ${items} items, consumer ${variant === "correct" ? "waits for close" : "quits when it finds the queue empty"}`,
    shared: { q: sim.queue(capacity) },
    params: { variant, items },
    threads: function* pc({ id, q, variant, items }): Steps {
      if (id === 0) {
        // producer
        for (let i = 0; i < items; i++) yield q.put(i);
        yield q.close();
        return null;
      }
      const got: number[] = []; // consumer
      for (;;) {
        if (variant === "quits-early" && (yield q.size()) === 0) break;
        const v = yield q.get();
        if (v === undefined) break;
        got.push(v);
      }
      return got;
    },
    n: 2,
    threadNames: ["producer", "consumer"],
    outcome: (_, r) => `consumer got [${(r[1] as number[]).join(", ")}]`,
    grade: (o) => (o === `consumer got [${Array.from({ length: items }, (_, i) => i).join(", ")}]` ? "expected" : "forbidden"),
  });
}
