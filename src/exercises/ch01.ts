// Chapter 1's exercises: speedup and efficiency from a table of timings, Amdahl's
// prediction, and dealing blocks of work from a shared counter.
import { threads } from "../spawn/api";
import { sharedInts, withLearner } from "./compose";
import { fail, failedRun, fmt, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;
const shown = (v: unknown) => (typeof v === "number" ? String(Math.round(v * 1000) / 1000) : JSON.stringify(v));
const close = (a: unknown, b: number) => typeof a === "number" && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

async function checkSpeedups(learner: Learner): Promise<Verdict> {
  const times = [
    { workers: 1, ms: 840 },
    { workers: 2, ms: 450 },
    { workers: 4, ms: 260 },
  ];
  let got: unknown;
  try {
    got = (learner as (t: typeof times) => unknown)(times.map((t) => ({ ...t })));
  } catch (e) {
    return failedRun(e, 0);
  }
  if (!Array.isArray(got) || got.length !== times.length)
    return fail(`speedups() returned ${JSON.stringify(got)}; it should return one { workers, speedup, efficiency } per row.`);
  for (let i = 0; i < times.length; i++) {
    const row = got[i] as { workers?: unknown; speedup?: unknown; efficiency?: unknown };
    const speedup = times[0].ms / times[i].ms;
    const efficiency = speedup / times[i].workers;
    if (!close(row?.speedup, speedup))
      return fail(
        `for ${times[i].workers} workers (${times[i].ms} ms against ${times[0].ms} ms alone) the speedup came out ${shown(row?.speedup)}, not ${speedup.toFixed(3)}: speedup is the time alone divided by the time with n workers.`,
      );
    if (!close(row?.efficiency, efficiency))
      return fail(
        `for ${times[i].workers} workers the efficiency came out ${shown(row?.efficiency)}, not ${efficiency.toFixed(3)}: efficiency is the speedup divided by the number of workers.`,
      );
  }
  return pass("speedup and efficiency are right for every row (1, 2 and 4 workers).");
}

/** Amdahl's law worked out by hand: a serial share s, n workers, the speedup 1 / (s + (1 − s) / n). */
const AMDAHL = [
  { s: 0, n: 4, speedup: 4 },
  { s: 0.25, n: 2, speedup: 1.6 },
  { s: 0.1, n: 16, speedup: 6.4 },
  { s: 1, n: 8, speedup: 1 },
];

async function checkAmdahl(learner: Learner): Promise<Verdict> {
  for (const { s, n, speedup: want } of AMDAHL) {
    let got: unknown;
    try {
      got = (learner as (s: number, n: number) => unknown)(s, n);
    } catch (e) {
      return failedRun(e, 0);
    }
    if (!close(got, want))
      return fail(`amdahl(${s}, ${n}) gave ${shown(got)}, not ${want.toFixed(3)}: with a serial share s, n workers take s + (1 − s) / n of the time alone.`);
  }
  return pass("amdahl(s, n) matches Amdahl's law: no speedup from the serial share, a perfect one from the rest.");
}

interface DealArgs {
  id: number;
  n: number;
  gate: Int32Array;
  next: Int32Array;
  taken: Int32Array;
  blocks: number;
}

/** Each worker asks the learner's nextBlock() for blocks until it says -1, marking each block it got. */
function dealHarness(args: DealArgs, nextBlock: (a: { next: Int32Array; blocks: number }) => number): number {
  const { next, taken, blocks } = args;
  let mine = 0;
  for (let b = nextBlock({ next, blocks }); b !== -1; b = nextBlock({ next, blocks })) {
    if (b < 0 || b >= blocks || !Number.isInteger(b)) return -1 - mine;
    Atomics.add(taken, b, 1);
    mine++;
  }
  return mine;
}

async function checkNextBlock(learner: Learner): Promise<Verdict> {
  // A lost update needs both workers dealing at the same moment, which a busy machine does not promise:
  // long runs, played until one shows it, make a fair trial.
  const blocks = 1_000_000,
    trials = 8;
  for (let trial = 0; trial < trials; trial++) {
    const data = { gate: sharedInts(1), next: sharedInts(1), taken: sharedInts(blocks), blocks };
    let mine: number[];
    try {
      mine = (await threads.run(2, withLearner(dealHarness, learner, { gated: true }), data, { timeout: LIMIT_MS })).results as number[];
    } catch (e) {
      return failedRun(e, LIMIT_MS);
    }
    if (mine.some((m) => m < 0)) return fail(`nextBlock() returned a number that is not a block (blocks are 0 … ${blocks - 1}, and -1 means none is left).`);
    const twice = data.taken.reduce((a, t) => a + (t > 1 ? 1 : 0), 0);
    const never = data.taken.reduce((a, t) => a + (t === 0 ? 1 : 0), 0);
    if (twice > 0 || never > 0)
      return fail(
        `of ${fmt(blocks)} blocks, ${fmt(twice)} were handed out twice and ${fmt(never)} never: both workers read the same counter value before either wrote it back. ` +
          `Take a block and move the counter on in one step: Atomics.add returns the old value.`,
      );
  }
  return pass(`${trials} runs of 2 workers dealing ${fmt(blocks)} blocks: every block went to exactly one worker.`);
}

export const chapter01 = defineExercises([
  {
    id: "01-e1",
    title: "Speedup and efficiency",
    task: "Given times measured with 1, 2, 4 … workers (`[{ workers, ms }]`, the first row alone), return `[{ workers, speedup, efficiency }]` for every row.",
    starter: `function speedups(times) {
  const alone = times[0].ms;
  return times.map(({ workers, ms }) => ({ workers, speedup: ms / alone, efficiency: ms / alone }));
}`,
    solution: [replace("speedup: ms / alone, efficiency: ms / alone", "speedup: alone / ms, efficiency: alone / ms / workers")],
    hints: ["With 2 workers taking half the time, the speedup should be 2. Is it?", "speedup = time alone ÷ time with n workers; efficiency = speedup ÷ n."],
    points: 1,
    check: checkSpeedups,
  },
  {
    id: "01-e2",
    title: "Amdahl's prediction",
    task: "Write `amdahl(s, n)`: the speedup n workers can reach when a share `s` of the work (0 … 1) cannot be split.",
    starter: `function amdahl(s, n) {
  return n;
}`,
    solution: [replace("return n;", "return 1 / (s + (1 - s) / n);")],
    hints: [
      "Take the time alone as 1. How long does the serial share take with n workers? And the rest?",
      "The time with n workers is s + (1 − s) / n; the speedup is 1 divided by that.",
    ],
    points: 1,
    check: checkAmdahl,
  },
  {
    id: "01-e3",
    title: "Deal the work like cards",
    task: "Workers ask `nextBlock({ next, blocks })` for the next block of work until it returns -1. `next[0]` (shared) is the next block to hand out. As written, some blocks are dealt twice and others never. Fix it.",
    starter: `function nextBlock({ next, blocks }) {
  const block = next[0];
  next[0] = block + 1;
  return block < blocks ? block : -1;
}`,
    solution: `function nextBlock({ next, blocks }) {
  const block = Atomics.add(next, 0, 1);
  return block < blocks ? block : -1;
}`,
    hints: [
      "Two workers read `next[0]` at the same moment. Which block does each get?",
      "`Atomics.add(next, 0, 1)` adds one and returns the value before, in one indivisible step.",
    ],
    points: 2,
    check: checkNextBlock,
  },
]);
