// Chapter 12's exercises: two robots and two locks, then the dining philosophers fixed
// by a resource hierarchy and by a waiter that lets only n − 1 sit.
import { DeadlockError } from "../spawn/deadlock";
import { threads } from "../spawn/api";
import { Mutex } from "../sync/mutex";
import { Semaphore } from "../sync/semaphore";
import { asItIs, sharedInts, withLearner } from "./compose";
import { DEADLOCK_MS, fail, failedRun, pass, whoWaited } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { insertAfter, insertBefore, renamed, replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;

async function checkRobots(learner: Learner): Promise<Verdict> {
  const rounds = 200;
  const data = { red: new Mutex({ label: "red" }), blue: new Mutex({ label: "blue" }), rounds, nap: sharedInts(1), gate: sharedInts(1) };
  try {
    await threads.run(2, withLearner(asItIs, learner, { gated: true }), data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS });
  } catch (e) {
    if (e instanceof DeadlockError)
      return fail(`the robots deadlocked: ${whoWaited(e)}. Each holds the lock the other wants. Take the two locks in the same order in both robots.`);
    return failedRun(e, LIMIT_MS);
  }
  if (data.red.locked() || data.blue.locked()) return fail("the robots finished with a lock still held: every lock() needs its unlock().");
  return pass(`both robots did all ${rounds} rounds with both arms: taking the locks in one order leaves no cycle to wait in.`);
}

interface TableArgs {
  id: number;
  n: number;
  forks: Mutex[];
  waiter: Semaphore;
  meals: number;
  eaten: Int32Array;
  nap: Int32Array;
  gate: Int32Array;
}

async function checkPhilosophers(learner: Learner, fix: "hierarchy" | "waiter"): Promise<Verdict> {
  const n = 5,
    meals = 20;
  const data: Omit<TableArgs, "id" | "n"> = {
    forks: Array.from({ length: n }, (_, i) => new Mutex({ label: `fork ${i}` })),
    waiter: new Semaphore(n - 1, { label: "waiter" }),
    meals,
    eaten: sharedInts(n),
    nap: sharedInts(1),
    gate: sharedInts(1),
  };
  try {
    await threads.run(n, withLearner(asItIs, learner, { gated: true }), data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS });
  } catch (e) {
    if (e instanceof DeadlockError)
      return fail(
        `the philosophers deadlocked: ${whoWaited(e)}. Every one holds one fork and waits for the next, round the table. ` +
          (fix === "hierarchy"
            ? "Number the forks and let everyone take the lower-numbered one first."
            : "Let the waiter seat at most n − 1 philosophers while they take their forks."),
      );
    return failedRun(e, LIMIT_MS);
  }
  const hungry = [...data.eaten].findIndex((m) => m !== meals);
  if (hungry >= 0)
    return fail(`philosopher ${hungry} ate ${data.eaten[hungry]} meals instead of ${meals}: each must eat every meal (and count it in eaten[id]).`);
  if (data.forks.some((f) => f.locked())) return fail("the dinner ended with a fork still held: every fork taken must be put down.");
  if (fix === "waiter" && data.waiter.value !== n - 1)
    return fail(`the waiter ended with ${data.waiter.value} free seats instead of ${n - 1}: every acquire() needs its release().`);
  return pass(`${n} philosophers ate ${meals} meals each and nobody waited forever.`);
}

const diningStarter = `function dine({ id, n, forks, waiter, meals, eaten, nap }) {
  const left = forks[id], right = forks[(id + 1) % n];
  for (let m = 0; m < meals; m++) {
    left.lock();
    Atomics.wait(nap, 0, 0, 1); // reach for the other fork
    right.lock();
    eaten[id]++;
    right.unlock();
    left.unlock();
  }
}`;

export const chapter12 = defineExercises([
  {
    id: "12-e1",
    title: "Two robots, two arms",
    task: "Each robot needs both locks, `red` and `blue`, for every round. As written they lock up. Change the order in which they take the locks, not what they do with them.",
    starter: `function robot({ id, red, blue, rounds, nap }) {
  for (let r = 0; r < rounds; r++) {
    const first = id === 0 ? red : blue;
    const second = id === 0 ? blue : red;
    first.lock();
    Atomics.wait(nap, 0, 0, 0.1); // reach for the other arm
    second.lock();
    second.unlock();
    first.unlock();
  }
}`,
    solution: [replace("id === 0 ? red : blue", "red"), replace("id === 0 ? blue : red", "blue")],
    hints: ["Robot 0 holds red and wants blue. What does robot 1 hold, and want?", "If both take red first, can either hold blue while waiting for red?"],
    points: 1,
    check: checkRobots,
  },
  {
    id: "12-e2",
    title: "Philosophers: a resource hierarchy",
    task: "Five philosophers, five forks (`Mutex`es). Each takes the left fork, then the right. Break the deadlock by the order in which forks are taken: always the lower-numbered fork first. Don't use the waiter.",
    starter: diningStarter,
    solution: [
      replace(
        "const left = forks[id], right = forks[(id + 1) % n];",
        "const a = id, b = (id + 1) % n;\n  const first = forks[Math.min(a, b)], second = forks[Math.max(a, b)];",
      ),
      replace("left.lock()", "first.lock()"),
      replace("right.lock()", "second.lock()"),
      replace("right.unlock()", "second.unlock()"),
      replace("left.unlock()", "first.unlock()"),
    ],
    hints: [
      "Which philosopher's left fork has a higher number than their right fork?",
      "Take `forks[Math.min(a, b)]` first, then `forks[Math.max(a, b)]`: the last philosopher now reaches right first, and the circle is broken.",
    ],
    points: 3,
    check: (learner) => checkPhilosophers(learner, "hierarchy"),
  },
  {
    id: "12-e3",
    title: "Philosophers: a waiter",
    task: "The same table, fixed the other way: keep left-then-right, but ask the `waiter` (a `Semaphore` with n − 1 seats) for a seat before taking forks, and give it back after eating.",
    starter: renamed(diningStarter, "dineWithWaiter"),
    solution: [insertBefore("left.lock();", "waiter.acquire();"), insertAfter("left.unlock();", "waiter.release();")],
    hints: [
      "With at most n − 1 philosophers reaching for forks, can all of them hold exactly one?",
      "`waiter.acquire()` before the first fork, `waiter.release()` after both are down.",
    ],
    points: 3,
    check: (learner) => checkPhilosophers(learner, "waiter"),
  },
]);
