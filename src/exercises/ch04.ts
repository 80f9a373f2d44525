// Chapter 4's exercises: the race on one balance, check-then-act, and a lock-free withdrawal.
import { threads } from "../spawn/api";
import { Mutex } from "../sync/mutex";
import { sharedArray, type SharedArray } from "../sync/shared";
import { sharedInts, withLearner } from "./compose";
import { attempt, fail, fmt, isVerdict, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { insertAfter, insertBefore } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;
/** Runs of a racy program a check plays before it believes there is no race. */
const BATCHES = 6;

interface UpdateArgs {
  id: number;
  n: number;
  balance: SharedArray<"int32">;
  lock: Mutex;
  gate: Int32Array;
  times: number;
}

/** Runs in each worker, after the start gate (starting a thread takes longer than the loop): the learner's loop. */
function updateHarness(args: UpdateArgs, learner: (a: { id: number; balance: SharedArray<"int32">; lock: Mutex; times: number }) => void): void {
  learner({ id: args.id, balance: args.balance, lock: args.lock, times: args.times });
}

async function checkUpdate(learner: Learner): Promise<Verdict> {
  const fn = withLearner(updateHarness, learner, { gated: true });
  const times = 300_000;
  const start = 1_000;
  const finals: number[] = [];
  for (let r = 0; r < BATCHES && !finals.some((f) => f !== start); r++) {
    const balance = sharedArray("int32", [start]);
    const ran = await attempt(threads.run(2, fn, { balance, lock: new Mutex(), gate: sharedInts(1), times }, { timeout: LIMIT_MS, prefix: true }), LIMIT_MS);
    if (isVerdict(ran)) return ran;
    finals.push(balance.values[0]);
  }
  const runs = finals.length;
  const wrong = finals.filter((f) => f !== start);
  if (wrong.length === 0) return pass(`the balance ended at ${fmt(start)} in all ${runs} runs of 2 × ${fmt(times)} updates: no update was lost.`);
  const worst = wrong.reduce((a, b) => (Math.abs(b - start) > Math.abs(a - start) ? b : a));
  return fail(
    `the balance ended wrong in ${wrong.length} of ${runs} runs (it should be ${fmt(start)}; one run ended at ${fmt(worst)}): ` +
      `both workers read the same old balance and one write overwrote the other. Hold the lock around the whole read-modify-write.`,
  );
}

interface WithdrawArgs {
  id: number;
  n: number;
  balance: SharedArray<"int32">;
  lock: Mutex | null;
  /** [0] arrivals, [1] generation: a spinning gate, so that both workers start each round within a few instructions of each other. */
  gate: Int32Array;
  /** [0] rounds that went below zero, [1] lowest balance seen, [2] rounds with the wrong number of withdrawals, [3] rounds audited. */
  stats: Int32Array;
  successes: Int32Array;
  amount: number;
  rounds: number;
  units: number;
}

/**
 * Runs in each worker: each round both workers drain a balance of `units` withdrawals;
 * worker 0 then audits and refills it. Steps alternate drain / audit, each after the
 * gate; both stop after the first round the audit finds wrong (the verdict is then
 * certain). (One loop and no inner functions: the harness travels as source.)
 */
function withdrawHarness(args: WithdrawArgs, learner: (a: { balance: SharedArray<"int32">; lock?: Mutex; amount: number }) => boolean): void {
  const { id, n, balance, lock, gate, stats, successes, amount, rounds, units } = args;
  const own = lock ? { balance, lock, amount } : { balance, amount };
  for (let step = 0; step < 2 * rounds; step++) {
    const generation = Atomics.load(gate, 1);
    if (Atomics.add(gate, 0, 1) + 1 === n) {
      Atomics.store(gate, 0, 0);
      Atomics.add(gate, 1, 1);
      Atomics.notify(gate, 1);
    } else {
      for (let spins = 0; Atomics.load(gate, 1) === generation; spins++) if (spins > 20_000) Atomics.wait(gate, 1, generation, 1);
    }
    if (step % 2 === 0) {
      // Read at a drain step only: the audit that may set it ran before both passed this gate.
      if (Atomics.load(stats, 0) + Atomics.load(stats, 2) > 0) break;
      let taken = 0;
      while (learner(own) === true) taken++;
      Atomics.add(successes, 0, taken);
    } else if (id === 0) {
      const left = balance.values[0];
      if (left < 0) Atomics.add(stats, 0, 1);
      if (left < stats[1]) stats[1] = left;
      if (Atomics.exchange(successes, 0, 0) !== units) Atomics.add(stats, 2, 1);
      Atomics.add(stats, 3, 1);
      balance.values[0] = units * amount;
    }
  }
}

/**
 * Each round both workers drain a balance of `units` withdrawals. With the lock, many
 * short rounds make the race at the end of each round likely (the lock's hand-over
 * widens the gap between check and act). Without it the gap is a few instructions:
 * long rounds keep both workers colliding for the whole drain, and a lost update shows
 * as a wrong count of withdrawals.
 */
async function checkWithdraw(learner: Learner, withLock: boolean): Promise<Verdict> {
  // Without a lock the window between read and write is a few instructions: each round drains for longer than a
  // time slice, so that the workers interleave even when a busy machine runs both on one core.
  const [units, rounds] = withLock ? [4, 1_000] : [1_000_000, 4];
  const amount = 10;
  const fn = withLearner(withdrawHarness, learner);
  let overdrawn = 0,
    lowest = 0,
    miscounted = 0,
    played = 0;
  // A race shows up by chance: play batches until one shows, or until a correct withdraw has had a fair trial.
  for (let batch = 0; batch < BATCHES && overdrawn + miscounted === 0; batch++) {
    const stats = sharedInts(4);
    const data: Omit<WithdrawArgs, "id" | "n"> = {
      balance: sharedArray("int32", [units * amount]),
      lock: withLock ? new Mutex() : null,
      gate: sharedInts(2),
      stats,
      successes: sharedInts(1),
      amount,
      rounds,
      units,
    };
    const ran = await attempt(threads.run(2, fn, data, { timeout: LIMIT_MS }), LIMIT_MS);
    if (isVerdict(ran)) return ran;
    overdrawn += stats[0];
    lowest = Math.min(lowest, stats[1]);
    miscounted += stats[2];
    played += stats[3];
  }
  if (overdrawn > 0)
    return fail(
      `the balance went below zero in ${fmt(overdrawn)} of ${fmt(played)} rounds (lowest ${fmt(lowest)}): both workers saw enough money, then both took it. ` +
        (withLock
          ? "The check and the withdrawal must happen in one hold of the lock."
          : "Take the money only if the balance is still what you checked: Atomics.compareExchange."),
    );
  if (miscounted > 0)
    return fail(
      `in ${fmt(miscounted)} of ${fmt(played)} rounds the workers reported more withdrawals than the ${fmt(units)} the balance allowed: ` +
        `an update was lost, so money was paid out twice. Make the read and the write one step.`,
    );
  return pass(
    `in ${fmt(played)} rounds of two workers draining a balance of ${fmt(units)} withdrawals, it never went below zero and exactly ${fmt(units)} withdrawals succeeded each time.`,
  );
}

export const chapter04 = defineExercises([
  {
    id: "04-e1",
    title: "Stop losing money",
    task:
      "Two workers share one balance. Worker 0 adds 10 and worker 1 takes 10, `times` times each, so the balance should end where it began. " +
      "As written, updates get lost. Use `lock` (a `Mutex`) so that none is.",
    starter: `function update({ id, balance, lock, times }) {
  const delta = id === 0 ? 10 : -10;
  for (let i = 0; i < times; i++) {
    balance.values[0] = balance.values[0] + delta;
  }
}`,
    solution: [
      insertBefore("balance.values[0] = balance.values[0] + delta;", "lock.lock();"),
      insertAfter("balance.values[0] = balance.values[0] + delta;", "lock.unlock();"),
    ],
    hints: [
      "Which line reads the balance, and which writes it? What if the other worker writes in between?",
      "`lock.lock()` before the read and `lock.unlock()` after the write make the pair one step for everyone else.",
    ],
    points: 2,
    check: checkUpdate,
  },
  {
    id: "04-e2",
    title: "Check, then act — atomically",
    task:
      "`withdraw` takes `amount` from the balance if there is enough money, and says whether it did. Two workers call it until it says no. " +
      "The lock guards the write, yet the balance sometimes goes below zero. Fix it.",
    starter: `function withdraw({ balance, lock, amount }) {
  if (balance.values[0] >= amount) {
    lock.lock();
    balance.values[0] -= amount;
    lock.unlock();
    return true;
  }
  return false;
}`,
    solution: `function withdraw({ balance, lock, amount }) {
  lock.lock();
  try {
    if (balance.values[0] < amount) return false;
    balance.values[0] -= amount;
    return true;
  } finally {
    lock.unlock();
  }
}`,
    hints: [
      "Between the check and the withdrawal, what can the other worker do?",
      "Take the lock before the check, and let it go only after the withdrawal (try/finally makes sure it is let go).",
    ],
    points: 2,
    check: (learner) => checkWithdraw(learner, true),
  },
  {
    id: "04-e3",
    title: "Withdraw without a lock",
    task:
      "The same withdrawal, with no lock at all: use `Atomics` on `balance.values` so that the balance never goes below zero and " +
      "no withdrawal is paid out twice.",
    starter: `function withdrawLockFree({ balance, amount }) {
  const seen = balance.values[0];
  if (seen < amount) return false;
  balance.values[0] = seen - amount;
  return true;
}`,
    solution: `function withdrawLockFree({ balance, amount }) {
  for (;;) {
    const seen = Atomics.load(balance.values, 0);
    if (seen < amount) return false;
    if (Atomics.compareExchange(balance.values, 0, seen, seen - amount) === seen) return true;
  }
}`,
    hints: [
      "`Atomics.compareExchange(array, index, expected, replacement)` writes only if the value is still `expected`, and returns what it found.",
      "Read the balance, decide, then compare-and-exchange; if someone changed it meanwhile, read again and retry.",
    ],
    points: 3,
    check: (learner) => checkWithdraw(learner, false),
  },
]);
