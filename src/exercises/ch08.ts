// Chapter 8's exercises: memory two processes can share, increments that survive two
// processes, and results a child process hands back through shared memory.
import { processes } from "../spawn/api";
import { sharedArray, type SharedArray } from "../sync/shared";
import { withLearner } from "./compose";
import { attempt, fail, failedRun, fmt, isVerdict, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 20_000;

async function checkMakeCounter(learner: Learner): Promise<Verdict> {
  let counter: SharedArray<"int32">;
  try {
    counter = (learner as (a: { sharedArray: typeof sharedArray }) => SharedArray<"int32">)({ sharedArray });
    await processes.run(
      2,
      ({ counter }: { counter: SharedArray<"int32"> }) => {
        for (let i = 0; i < 1000; i++) Atomics.add(counter.values, 0, 1);
      },
      { counter },
      { timeout: LIMIT_MS },
    );
  } catch (e) {
    const verdict = failedRun(e, LIMIT_MS);
    return /thread/i.test(verdict.message) && /process/i.test(verdict.message)
      ? fail(
          `${verdict.message.replace(/^it threw: /, "the processes could not start: ")} Memory made for threads lives inside this process; a child process cannot see it.`,
        )
      : verdict;
  }
  if (counter.values[0] !== 2000)
    return fail(
      `the two processes added 1,000 each, but the counter reads ${fmt(counter.values[0])}: it must be one int32 that both processes share, starting at 0.`,
    );
  return pass("both processes added into the same counter, and the parent read 2,000.");
}

interface AddArgs {
  id: number;
  n: number;
  gate: SharedArray<"int32">;
  counter: SharedArray<"int32">;
  times: number;
}

/** A start gate in process memory (a process starts tens of ms after the one before), then the learner's loop. */
function addHarness(args: AddArgs, add: (a: { counter: SharedArray<"int32">; times: number }) => void): void {
  const gate = args.gate.values;
  Atomics.add(gate, 0, 1);
  while (Atomics.load(gate, 0) < args.n);
  add({ counter: args.counter, times: args.times });
}

async function checkAdd(learner: Learner): Promise<Verdict> {
  const times = 5_000_000;
  // Lost updates need the two loops to overlap, which a busy machine does not promise: a few runs make it a fair trial.
  for (let trial = 0; trial < 4; trial++) {
    const counter = sharedArray("int32", 1, { shared: "process" });
    const gate = sharedArray("int32", 1, { shared: "process" });
    const ran = await attempt(processes.run(2, withLearner(addHarness, learner), { gate, counter, times }, { timeout: LIMIT_MS }), LIMIT_MS);
    if (isVerdict(ran)) return ran;
    const got = counter.values[0];
    if (got !== 2 * times)
      return fail(
        `two processes added ${fmt(times)} each, but the counter reads ${fmt(got)} (${fmt(2 * times - got)} increments lost): shared memory races between processes just as between threads. Use Atomics.add.`,
      );
  }
  return pass(`4 runs of two processes adding ${fmt(times)} each: the counter read ${fmt(2 * times)} every time.`);
}

async function checkPartialSum(learner: Learner): Promise<Verdict> {
  const n = 3;
  const numbers = Array.from({ length: 3_000 }, (_, i) => i + 1);
  const sums = sharedArray("float64", n, { shared: "process" });
  const results: number[] = [];
  const ran = await attempt(processes.run(n, learner as (a: object) => void, { numbers, sums, results }, { timeout: LIMIT_MS }), LIMIT_MS);
  if (isVerdict(ran)) return ran;
  const total = [...sums.values].reduce((a, b) => a + b, 0);
  const want = numbers.reduce((a, b) => a + b, 0);
  if (total === 0)
    return fail(
      `the parent found sums all 0: each process wrote into its own copy of the plain array it was given. Plain data is copied into a process; only shared memory (sums.values) comes back.`,
    );
  if (total !== want)
    return fail(`the partial sums add up to ${fmt(total)}, not ${fmt(want)}: each process sums its own third of numbers into sums.values[id].`);
  return pass(`${n} processes each wrote their partial sum into shared memory; the parent added them up to ${fmt(want)}.`);
}

export const chapter08 = defineExercises([
  {
    id: "08-e1",
    title: "Memory a process can see",
    task: "`makeCounter({ sharedArray })` makes the counter that two child processes will add into. As written, the processes cannot even start. Fix it.",
    starter: `function makeCounter({ sharedArray }) {
  return sharedArray("int32", 1);
}`,
    solution: [replace('sharedArray("int32", 1)', 'sharedArray("int32", 1, { shared: "process" })')],
    hints: [
      "Read the error: where does memory made for threads live?",
      '`{ shared: "process" }` puts the array in a named shared-memory segment that child processes map too.',
    ],
    points: 1,
    check: checkMakeCounter,
  },
  {
    id: "08-e2",
    title: "Two processes, one counter",
    task: "Two processes each run `add({ counter, times })` on a counter in process-shared memory. As written, increments are lost. Fix `add`.",
    starter: `function add({ counter, times }) {
  for (let i = 0; i < times; i++) counter.values[0]++;
}`,
    solution: [replace("counter.values[0]++", "Atomics.add(counter.values, 0, 1)")],
    hints: [
      "Is `counter.values[0]++` one step, between processes?",
      "`Atomics.add(counter.values, 0, 1)` is one indivisible step on shared memory, across processes too.",
    ],
    points: 1,
    check: checkAdd,
  },
  {
    id: "08-e3",
    title: "Hand the result back",
    task: "Each of `n` processes sums its third of `numbers`; the parent then reads the partial sums from `sums` (process-shared memory). As written the parent finds nothing. Fix `partialSum`.",
    starter: `function partialSum({ id, n, numbers, sums, results }) {
  let s = 0;
  for (let i = id; i < numbers.length; i += n) s += numbers[i];
  results[id] = s;
}`,
    solution: [replace("results[id] = s;", "sums.values[id] = s;")],
    hints: [
      "`results` came to the process as a copy. Does the parent see writes to a copy?",
      "Write into `sums.values[id]`: that memory is the same in every process.",
    ],
    points: 1,
    check: checkPartialSum,
  },
]);
