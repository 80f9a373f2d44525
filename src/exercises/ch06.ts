// Chapter 6's exercises: a semaphore's acquire from a condition variable, `while` around
// wait, and the done() of a wait group built from a condition variable.
import { threads } from "../spawn/api";
import { Condition } from "../sync/condition";
import { sharedArray, type SharedArray } from "../sync/shared";
import { sharedInts, STRANDED_POLL_MS, withLearner } from "./compose";
import { attempt, DEADLOCK_MS, fail, fmt, isVerdict, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { insertAfter, replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;

interface Permits {
  cond: Condition;
  permits: Int32Array;
}

interface SemaphoreArgs extends Permits {
  n: number;
  gate: Int32Array;
  /** [0] workers inside now, [1] most ever inside at once. */
  inside: Int32Array;
  nap: Int32Array;
  rounds: number;
}

/** Each worker: acquire (the learner's), stay inside for a millisecond, release (ours). */
function semaphoreHarness(args: SemaphoreArgs, acquire: (s: Permits) => void): void {
  const { cond, permits, inside, nap, rounds } = args;
  for (let r = 0; r < rounds; r++) {
    acquire({ cond, permits });
    const now = Atomics.add(inside, 0, 1) + 1;
    for (let most = Atomics.load(inside, 1); now > most; most = Atomics.load(inside, 1)) Atomics.compareExchange(inside, 1, most, now);
    Atomics.wait(nap, 0, 0, 1);
    Atomics.sub(inside, 0, 1);
    cond.lock.lock();
    permits[0]++;
    cond.notify();
    cond.lock.unlock();
  }
}

async function checkAcquire(learner: Learner): Promise<Verdict> {
  const k = 2,
    workers = 4,
    rounds = 25;
  const data = { gate: sharedInts(1), cond: new Condition(), permits: sharedInts(1), inside: sharedInts(2), nap: sharedInts(1), rounds };
  data.permits[0] = k;
  const ran = await attempt(
    threads.run(workers, withLearner(semaphoreHarness, learner, { gated: true }), data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS }),
    LIMIT_MS,
  );
  if (isVerdict(ran)) return ran;
  const most = data.inside[1];
  if (most > k)
    return fail(
      `${most} workers were inside at once, but there are only ${k} permits: acquire() let a worker in without a permit. While no permit is left, wait on the condition.`,
    );
  if (data.permits[0] !== k)
    return fail(`after every worker had released, ${data.permits[0]} permits were left instead of ${k}: acquire() must take exactly one permit.`);
  return pass(`${workers} workers × ${rounds} rounds: never more than ${most} inside at once with ${k} permits, and all ${k} permits came back.`);
}

interface BankArgs {
  id: number;
  cond: Condition;
  balance: SharedArray<"int32">;
  /** [0] lowest balance seen by anyone holding the lock. */
  lowest: Int32Array;
  nap: Int32Array;
  earns: number;
  spends: number;
}

/** Worker 0 earns 10 at a time, slowly, and wakes everyone; the others spend 20 at a time with the learner's spend(). (No inner named functions: a harness is shipped as source, and tsx would name them with a helper the worker lacks.) */
function bankHarness(args: BankArgs, spend: (s: { cond: Condition; balance: SharedArray<"int32">; amount: number }) => void): void {
  const { id, cond, balance, lowest, nap, earns, spends } = args;
  if (id === 0) {
    for (let i = 0; i < earns; i++) {
      cond.lock.lock();
      balance.values[0] += 10;
      cond.notifyAll();
      cond.lock.unlock();
      Atomics.wait(nap, 0, 0, 0.5); // earn slowly, so that spenders are often asleep together
    }
    return;
  }
  for (let i = 0; i < spends; i++) {
    spend({ cond, balance, amount: 20 });
    cond.lock.lock();
    if (balance.values[0] < lowest[0]) lowest[0] = balance.values[0];
    cond.lock.unlock();
  }
}

async function checkSpend(learner: Learner): Promise<Verdict> {
  const spenders = 2,
    spends = 100;
  let lowest = 0,
    final = 0,
    played = 0;
  // The bad wake-up needs both spenders asleep when money comes: play until it shows, or a fair trial.
  for (let batch = 0; batch < 4 && lowest >= 0 && final === 0; batch++) {
    const data = {
      cond: new Condition(),
      balance: sharedArray("int32", 1),
      lowest: sharedInts(1),
      nap: sharedInts(1),
      earns: (spenders * spends * 20) / 10,
      spends,
    };
    const ran = await attempt(threads.run(1 + spenders, withLearner(bankHarness, learner), data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS }), LIMIT_MS);
    if (isVerdict(ran)) return ran;
    lowest = data.lowest[0];
    final = data.balance.values[0];
    played++;
  }
  if (lowest < 0)
    return fail(
      `the balance went down to ${fmt(lowest)}: a spender woke up, did not look again, and spent money that another spender had already taken. Wait in a loop: while the balance is too low, wait.`,
    );
  if (final !== 0) return fail(`the balance ended at ${fmt(final)} instead of 0: spend() must take exactly \`amount\`, once.`);
  return pass(`${played} runs of ${spenders} spenders × ${spends} spends against one earner: the balance never went below zero and ended at 0.`);
}

interface GroupArgs {
  id: number;
  n: number;
  cond: Condition;
  count: Int32Array;
  results: Int32Array;
  nap: Int32Array;
  /** [0] 1 once worker 0 holds the lock, about to wait; [1] done() calls returned; [2] notifies made in them. */
  progress: Int32Array;
  pollMs: number;
}

/**
 * Worker 0 waits for the group (our wait); the others, once it is waiting, do some work,
 * record it and call the learner's done(), with a `cond` that counts its notifies.
 * Worker 0 returns whether it saw every result, or null when it was never woken: no
 * notify came while it waited, and every done() has returned, so none ever will.
 */
function groupHarness(args: GroupArgs, done: (g: { cond: Condition; count: Int32Array }) => void): boolean | null {
  const { id, n, cond, count, results, nap, progress, pollMs } = args;
  if (id === 0) {
    cond.lock.lock();
    Atomics.store(progress, 0, 1);
    Atomics.notify(progress, 0);
    while (count[0] > 0) {
      const notifies = Atomics.load(progress, 2);
      // cond.wait() with no limit, in slices: it returns once a notify has come since it began.
      while (!cond.wait(pollMs) && Atomics.load(progress, 2) === notifies) {
        // Every done() returned (read first), and still no notify since: none can come.
        const allReturned = Atomics.load(progress, 1) === n - 1;
        if (allReturned && Atomics.load(progress, 2) === notifies) {
          cond.lock.unlock();
          return null;
        }
      }
    }
    cond.lock.unlock();
    for (let i = 1; i < n; i++) if (results[i] !== i * i) return false;
    return true;
  }
  const counted = new Proxy(cond, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      if (key === "notify" || key === "notifyAll") Atomics.add(progress, 2, 1);
      return value.bind(target);
    },
  });
  Atomics.wait(progress, 0, 0);
  Atomics.wait(nap, 0, 0, 5 * id);
  results[id] = id * id;
  done({ cond: counted, count });
  Atomics.add(progress, 1, 1);
  return true;
}

async function checkDone(learner: Learner): Promise<Verdict> {
  const n = 4;
  const data = { cond: new Condition(), count: sharedInts(1), results: sharedInts(n), nap: sharedInts(1), progress: sharedInts(3), pollMs: STRANDED_POLL_MS };
  data.count[0] = n - 1;
  const ran = await attempt(threads.run(n, withLearner(groupHarness, learner), data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS }), LIMIT_MS);
  if (isVerdict(ran)) return ran;
  if (data.count[0] !== 0) return fail(`the count ended at ${data.count[0]} instead of 0: each done() must take exactly one off, under the lock.`);
  if (ran.results[0] === null)
    return fail(
      `the waiting worker was never woken: all ${n - 1} workers had returned from done(), and no notify came after the count reached 0. When the count reaches 0, done() must wake the waiters (notifyAll, with the lock held).`,
    );
  if (ran.results[0] !== true) return fail(`the waiting worker went on before every worker had finished: wake the waiters only when the count reaches 0.`);
  return pass(`the waiting worker woke once all ${n - 1} workers were done, and saw every result.`);
}

export const chapter06 = defineExercises([
  {
    id: "06-e1",
    title: "A semaphore's acquire, from a condition variable",
    task:
      "`permits[0]` counts free permits; `cond` is a `Condition` (its lock is `cond.lock`). Release is written for you: it adds a permit and " +
      "notifies. Write `acquire`: take one permit, waiting while there is none. Four workers share two permits.",
    starter: `function acquire({ cond, permits }) {
  cond.lock.lock();
  permits[0]--;
  cond.lock.unlock();
}`,
    solution: [insertAfter("cond.lock.lock();", "while (permits[0] === 0) cond.wait();")],
    hints: [
      "What should a worker do when `permits[0]` is 0?",
      "`cond.wait()` lets the lock go while it sleeps and takes it back before returning; wait in a `while` loop until a permit is free.",
    ],
    points: 3,
    check: checkAcquire,
  },
  {
    id: "06-e2",
    title: "Wait in a loop",
    task:
      "One worker earns 10 at a time and wakes everyone (`notifyAll`); two others spend 20 at a time. `spend` waits until there is enough money. " +
      "Yet the balance goes negative. Fix `spend`.",
    starter: `function spend({ cond, balance, amount }) {
  cond.lock.lock();
  if (balance.values[0] < amount) cond.wait();
  balance.values[0] -= amount;
  cond.lock.unlock();
}`,
    solution: [replace("if (balance.values[0] < amount)", "while (balance.values[0] < amount)")],
    hints: [
      "Two spenders were both woken by one notifyAll. Which of them finds the money?",
      "After waking, look at the balance again before spending: `while`, not `if`.",
    ],
    points: 2,
    check: checkSpend,
  },
  {
    id: "06-e3",
    title: "A wait group's done()",
    task:
      "A wait group from a condition variable: `count[0]` is how many workers are still busy; the waiting worker sleeps on `cond` while it is above 0 " +
      "(that part is written). Write `done`, which each worker calls when it has finished.",
    starter: `function done({ cond, count }) {
  cond.lock.lock();
  count[0]--;
  cond.lock.unlock();
}`,
    solution: [insertAfter("count[0]--;", "if (count[0] === 0) cond.notifyAll();")],
    hints: ["The waiting worker sleeps until someone wakes it. Who does?", "When the count reaches 0, `cond.notifyAll()` while holding the lock."],
    points: 2,
    check: checkDone,
  },
]);
