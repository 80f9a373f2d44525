// Chapter 7's exercises: a reusable barrier from a condition variable, the second barrier
// of a two-phase step, and the "work complete" barrier of the matrix rounds.
import { threads } from "../spawn/api";
import { Barrier } from "../sync/barrier";
import { Condition } from "../sync/condition";
import { sharedInts, withLearner } from "./compose";
import { attempt, DEADLOCK_MS, fail, fmt, isVerdict, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { insertAfter } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;

interface PhaseArgs {
  id: number;
  n: number;
  cond: Condition;
  state: Int32Array;
  slots: Int32Array;
  /** [0] times a worker found another still in an earlier phase after the barrier. */
  early: Int32Array;
  nap: Int32Array;
  phases: number;
}

/** Each phase: nap (longer for higher ids), write the phase, wait (the learner's), check everyone wrote it, wait again. */
function phaseHarness(args: PhaseArgs, wait: (b: { cond: Condition; state: Int32Array; parties: number }) => void): void {
  const { id, n, cond, state, slots, early, nap, phases } = args;
  const barrier = { cond, state, parties: n };
  for (let p = 1; p <= phases; p++) {
    Atomics.wait(nap, 0, 0, 0.2 * id);
    Atomics.store(slots, id, p);
    wait(barrier);
    for (let j = 0; j < n; j++) if (Atomics.load(slots, j) < p) Atomics.add(early, 0, 1);
    wait(barrier);
  }
}

async function checkBarrierWait(learner: Learner): Promise<Verdict> {
  const n = 3,
    phases = 30;
  const data = { cond: new Condition(), state: sharedInts(2), slots: sharedInts(n), early: sharedInts(1), nap: sharedInts(1), phases };
  const ran = await attempt(threads.run(n, withLearner(phaseHarness, learner), data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS }), LIMIT_MS);
  if (isVerdict(ran)) return ran;
  if (data.early[0] > 0)
    return fail(
      `${fmt(data.early[0])} times a worker went past the barrier while another had not arrived yet. A barrier is used again and again: ` +
        `count arrivals per round (reset the count when the last one arrives) and let waiters go when the round changes, not when the count is high.`,
    );
  return pass(`${n} workers × ${phases} phases, twice a phase: nobody ever passed the barrier before everyone had arrived.`);
}

interface ScanArgs {
  id: number;
  n: number;
  barrier: Barrier;
  a: Int32Array;
  b: Int32Array;
  nap: Int32Array;
}

async function checkScan(learner: Learner): Promise<Verdict> {
  const n = 3,
    length = 48;
  for (let trial = 0; trial < 3; trial++) {
    const input = Array.from({ length }, (_, i) => ((i * 7) % 5) + 1);
    const data: Omit<ScanArgs, "id" | "n"> = { barrier: new Barrier(n), a: sharedInts(length), b: sharedInts(length), nap: sharedInts(1) };
    data.a.set(input);
    const ran = await attempt(threads.run(n, learner as (a: ScanArgs) => void, data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS }), LIMIT_MS);
    if (isVerdict(ran)) return ran;
    let sum = 0;
    const wrong = input.map((x) => (sum += x)).findIndex((want, i) => data.a[i] !== want);
    if (wrong >= 0) {
      let want = 0;
      for (let i = 0; i <= wrong; i++) want += input[i];
      return fail(
        `a[${wrong}] ended as ${data.a[wrong]} instead of ${want}: in some step a worker read a[] while another was still copying the previous step's sums into it. ` +
          `Each step has two phases, and each needs its barrier.`,
      );
    }
  }
  return pass(`3 runs of ${n} workers over ${length} numbers: every prefix sum was right.`);
}

interface RoundArgs {
  id: number;
  n: number;
  start: Barrier;
  complete: Barrier;
  input: Int32Array;
  out: Int32Array;
  nap: Int32Array;
  /** [0] rounds in which worker 0 saw an unfinished row. */
  torn: Int32Array;
  rounds: number;
}

/** Worker 0 sets each round's input before the learner's step and checks every row after it. */
function roundsHarness(args: RoundArgs, step: (a: Omit<RoundArgs, "n" | "torn" | "rounds">) => void): void {
  const { id, n, start, complete, input, out, nap, torn, rounds } = args;
  for (let r = 1; r <= rounds; r++) {
    if (id === 0) input[0] = r;
    step({ id, start, complete, input, out, nap });
    if (id === 0)
      for (let j = 0; j < n; j++)
        if (out[j] !== r * (j + 1)) {
          torn[0]++;
          break;
        }
  }
}

async function checkStep(learner: Learner): Promise<Verdict> {
  const n = 3,
    rounds = 20;
  const data = { start: new Barrier(n), complete: new Barrier(n), input: sharedInts(1), out: sharedInts(n), nap: sharedInts(1), torn: sharedInts(1), rounds };
  const ran = await attempt(threads.run(n, withLearner(roundsHarness, learner), data, { timeout: LIMIT_MS, deadlockAfter: DEADLOCK_MS }), LIMIT_MS);
  if (isVerdict(ran)) return ran;
  if (data.torn[0] > 0)
    return fail(
      `in ${data.torn[0]} of ${rounds} rounds worker 0 read the results before every row was written: wait at the "work complete" barrier after computing your row.`,
    );
  return pass(`${rounds} rounds: worker 0 always read all ${n} rows finished, and no row was computed from the wrong round's input.`);
}

export const chapter07 = defineExercises([
  {
    id: "07-e1",
    title: "A barrier you can use twice",
    task:
      "Write the `wait` of a barrier made from a condition variable: `state[0]` counts arrivals, `state[1]` is free for you to use, `parties` is how many must arrive. " +
      "Workers call it twice in every phase. The starter works once, but not again.",
    starter: `function wait({ cond, state, parties }) {
  cond.lock.lock();
  state[0]++;
  if (state[0] === parties) cond.notifyAll();
  while (state[0] < parties) cond.wait();
  cond.lock.unlock();
}`,
    solution: `function wait({ cond, state, parties }) {
  cond.lock.lock();
  const round = state[1];
  state[0]++;
  if (state[0] === parties) {
    state[0] = 0;
    state[1]++;
    cond.notifyAll();
  } else {
    while (state[1] === round) cond.wait();
  }
  cond.lock.unlock();
}`,
    hints: [
      "After the first round, `state[0]` is already `parties`. What does the next arriver do?",
      "Keep a round number in `state[1]`: the last arriver resets the count and starts a new round; the others wait until the round changes.",
    ],
    points: 3,
    check: checkBarrierWait,
  },
  {
    id: "07-e2",
    title: "Prefix sums in steps",
    task:
      "Workers compute prefix sums of `a` in place, in rounds: with `d` = 1, 2, 4, … each writes `a[i] + a[i − d]` into `b` for its indices, then copies `b` back into `a`. " +
      "Sometimes the sums come out wrong. Add what is missing.",
    starter: `function scan({ id, n, barrier, a, b, nap }) {
  for (let d = 1; d < a.length; d *= 2) {
    for (let i = id; i < a.length; i += n) b[i] = i >= d ? a[i] + a[i - d] : a[i];
    barrier.wait(); // everyone has read a[] and written b[]
    Atomics.wait(nap, 0, 0, 0.2 * id); // some workers copy later than others
    for (let i = id; i < a.length; i += n) a[i] = b[i];
  }
}`,
    solution: [insertAfter("a[i] = b[i];", "barrier.wait(); // everyone has copied b[] back into a[]")],
    hints: [
      "A fast worker starts the next step and reads `a[i − d]`. Has the slow worker copied it back yet?",
      "One more `barrier.wait()` at the end of each step.",
    ],
    points: 2,
    check: checkScan,
  },
  {
    id: "07-e3",
    title: "Work start, work complete",
    task:
      "The matrix rounds in miniature: each round worker 0 sets `input[0]`, then every worker computes its row, `out[id] = input[0] * (id + 1)`, and worker 0 reads all rows. " +
      "Write `step` with the `start` and `complete` barriers so that worker 0 never reads an unfinished row.",
    starter: `function step({ id, start, complete, input, out, nap }) {
  start.wait();
  Atomics.wait(nap, 0, 0, 0.3 * id); // a row takes a while
  out[id] = input[0] * (id + 1);
}`,
    solution: [insertAfter("out[id] = input[0] * (id + 1);", "complete.wait();")],
    hints: ["When does worker 0 start reading `out`?", "`complete.wait()` after writing your row: worker 0 reads only once everyone has passed it."],
    points: 2,
    check: checkStep,
  },
]);
