// Chapter 3's exercises: count letters into one shared table without losing counts, a
// start gate every worker waits at, and ranges that cover the work exactly.
import { threads } from "../spawn/api";
import { sharedInts, withLearner } from "./compose";
import { attempt, fail, failedRun, fmt, isVerdict, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;

interface CountArgs {
  id: number;
  n: number;
  gate: Int32Array;
  text: string;
  table: Int32Array;
  passes: number;
}

/**
 * Runs the learner's count `passes` times (after the start gate), so that the two
 * workers' counting lasts long enough to overlap even on a busy machine.
 */
function countHarness(args: CountArgs, count: (a: { id: number; n: number; text: string; table: Int32Array }) => void): void {
  const { id, n, text, table, passes } = args;
  for (let p = 0; p < passes; p++) count({ id, n, text, table });
}

function lettersOf(text: string): number[] {
  const counts = new Array<number>(26).fill(0);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) counts[c]++;
  }
  return counts;
}

async function checkCount(learner: Learner): Promise<Verdict> {
  const words = ["parallel", "threads", "share", "memory", "counting", "letters", "atomics", "quickly"];
  const text = Array.from({ length: 250_000 }, (_, i) => words[(i * 7) % words.length]).join(" ");
  const passes = 12;
  const want = lettersOf(text).map((c) => c * passes);
  const total = want.reduce((a, b) => a + b, 0);
  for (let trial = 0; trial < 4; trial++) {
    const data = { gate: sharedInts(1), text, table: sharedInts(26), passes };
    const ran = await attempt(threads.run(2, withLearner(countHarness, learner, { gated: true }), data, { timeout: LIMIT_MS }), LIMIT_MS);
    if (isVerdict(ran)) return ran;
    const got = [...data.table].reduce((a, b) => a + b, 0);
    if (got !== total) {
      const worst = want.map((w, i) => [i, data.table[i] - w]).sort((a, b) => a[1] - b[1])[0];
      return fail(
        `the table holds ${fmt(got)} letters, but ${passes} counts of the text make ${fmt(total)} (${String.fromCharCode(97 + worst[0])} is ${fmt(Math.abs(worst[1]))} ${worst[1] < 0 ? "short" : "over"}): ` +
          `two workers incremented the same letter at once and one increment was lost. Use Atomics.add on the shared table.`,
      );
    }
  }
  return pass(`4 runs of 2 workers, each counting ${fmt(text.length)} characters ${passes} times: every letter counted exactly.`);
}

interface GateArgs {
  id: number;
  n: number;
  gate: Int32Array;
  nap: Int32Array;
  /** [0] workers that left the gate before everyone had arrived. */
  early: Int32Array;
}

/** Workers arrive at different times (higher ids later); after the learner's arrive() every one must have arrived. */
function gateHarness(args: GateArgs, arrive: (a: { gate: Int32Array; n: number }) => void): void {
  const { id, n, gate, nap, early } = args;
  Atomics.wait(nap, 0, 0, 3 * id);
  arrive({ gate, n });
  if (Atomics.load(gate, 0) < n) Atomics.add(early, 0, 1);
}

async function checkArrive(learner: Learner): Promise<Verdict> {
  const n = 4;
  const data = { gate: sharedInts(1), nap: sharedInts(1), early: sharedInts(1) };
  const ran = await attempt(threads.run(n, withLearner(gateHarness, learner), data, { timeout: 5_000 }), 5_000);
  if (isVerdict(ran)) return ran;
  if (data.gate[0] !== n) return fail(`after everyone arrived, gate[0] was ${data.gate[0]}, not ${n}: each worker must count itself in exactly once.`);
  if (data.early[0] > 0)
    return fail(
      `${data.early[0]} of ${n} workers went through before everyone had arrived: a worker that is not the last must wait (Atomics.wait) until gate[0] reaches n, and the last must wake them (Atomics.notify).`,
    );
  return pass(`all ${n} workers, arriving 3 ms apart, left the gate only once the last had arrived.`);
}

async function checkRange(learner: Learner): Promise<Verdict> {
  for (const [length, n] of [
    [100, 4],
    [10, 3],
    [1_000_003, 8],
    [5, 8],
  ]) {
    const covered = new Int32Array(length);
    const sizes: number[] = [];
    for (let id = 0; id < n; id++) {
      let got: unknown;
      try {
        got = (learner as (a: { id: number; n: number; length: number }) => unknown)({ id, n, length });
      } catch (e) {
        return failedRun(e, 0);
      }
      if (!Array.isArray(got) || got.length !== 2 || !got.every(Number.isInteger))
        return fail(`range({ id: ${id}, n: ${n}, length: ${length} }) returned ${JSON.stringify(got)}; it should return [start, end).`);
      const [start, end] = got as [number, number];
      sizes.push(end - start);
      for (let i = Math.max(0, start); i < Math.min(length, end); i++) covered[i]++;
    }
    const missed = covered.reduce((a, c) => a + (c === 0 ? 1 : 0), 0);
    const twice = covered.reduce((a, c) => a + (c > 1 ? 1 : 0), 0);
    if (missed || twice)
      return fail(
        `with ${fmt(length)} items and ${n} workers, ${fmt(missed)} items belonged to no worker and ${fmt(twice)} to more than one: the ranges must cover 0 … length exactly once.`,
      );
    if (Math.max(...sizes) - Math.min(...sizes) > 1)
      return fail(`with ${fmt(length)} items and ${n} workers the shares were ${sizes.map(fmt).join(", ")}: make them differ by at most one.`);
  }
  return pass(
    "the ranges covered every item exactly once and differed by at most one, also for lengths that do not divide by n and for more workers than items.",
  );
}

export const chapter03 = defineExercises([
  {
    id: "03-e1",
    title: "One table, no lost counts",
    task: "Two workers count the letters a–z of their half of `text` into one shared `table` (an `Int32Array` of 26). As written, counts go missing. Fix `count`.",
    starter: `function count({ id, n, text, table }) {
  const from = Math.floor((text.length * id) / n), to = Math.floor((text.length * (id + 1)) / n);
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) table[c]++;
  }
}`,
    solution: [replace("table[c]++;", "Atomics.add(table, c, 1);")],
    hints: [
      "`table[c]++` is a read, an add and a write. What if the other worker writes in between?",
      "`Atomics.add(table, c, 1)` makes it one step. (Faster still: count into a local array, then add it to the table once.)",
    ],
    points: 2,
    check: checkCount,
  },
  {
    id: "03-e2",
    title: "A start gate",
    task: "Write `arrive({ gate, n })`: count this worker in (`gate[0]`, shared) and return only once all `n` workers have arrived. Use `Atomics`; don't spin without sleeping.",
    starter: `function arrive({ gate, n }) {
  Atomics.add(gate, 0, 1);
}`,
    solution: `function arrive({ gate, n }) {
  if (Atomics.add(gate, 0, 1) + 1 === n) {
    Atomics.notify(gate, 0);
    return;
  }
  for (let seen = Atomics.load(gate, 0); seen < n; seen = Atomics.load(gate, 0)) Atomics.wait(gate, 0, seen);
}`,
    hints: [
      "How does a worker know it is the last one? Atomics.add returns the count before its own.",
      "The others `Atomics.wait(gate, 0, seen)` while the count is below n; the last calls `Atomics.notify(gate, 0)`.",
    ],
    points: 2,
    check: checkArrive,
  },
  {
    id: "03-e3",
    title: "Ranges that cover the work",
    task: "Worker `id` of `n` works on items `[start, end)` of `length`. Write `range({ id, n, length })` so that every item belongs to exactly one worker, and the shares differ by at most one.",
    starter: `function range({ id, n, length }) {
  const size = Math.floor(length / n);
  return [id * size, (id + 1) * size];
}`,
    solution: `function range({ id, n, length }) {
  return [Math.floor((length * id) / n), Math.floor((length * (id + 1)) / n)];
}`,
    hints: [
      "With 10 items and 3 workers, which items does nobody take?",
      "Let the boundaries be `Math.floor(length × id / n)`: consecutive workers then share a boundary, and the last one ends at length.",
    ],
    points: 1,
    check: checkRange,
  },
]);
