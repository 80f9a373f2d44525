// Chapter 2's exercises: overlap waiting with async, move CPU work off the event loop
// onto a worker thread, and split a count across workers so nothing is lost.
import { threads, type Spawner } from "../spawn/api";
import { fail, failedRun, fmt, LATE, pass, tooLate, withLimit } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;

async function checkFetchAll(learner: Learner): Promise<Verdict> {
  let inFlight = 0,
    most = 0,
    finished = 0;
  const fetchOne = async (id: number): Promise<string> => {
    // A fetch that starts after another has finished never overlapped it, so not all were waiting at once:
    // the verdict is settled, and the rest need not take their 50 ms.
    const settled = finished > 0;
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, settled ? 0 : 50));
    inFlight--;
    finished++;
    return `doc-${id}`;
  };
  const ids = [3, 1, 4, 1, 5, 9, 2, 6];
  let got: unknown;
  try {
    got = await withLimit(Promise.resolve((learner as (f: typeof fetchOne, ids: number[]) => unknown)(fetchOne, ids)), LIMIT_MS);
  } catch (e) {
    return failedRun(e, LIMIT_MS);
  }
  if (got === LATE) return tooLate(LIMIT_MS);
  const want = ids.map((id) => `doc-${id}`);
  if (!Array.isArray(got) || got.length !== want.length || got.some((d, i) => d !== want[i]))
    return fail(`fetchAll returned ${JSON.stringify(got)}; it should return every document, in the order of the ids: ${JSON.stringify(want)}.`);
  if (most < ids.length)
    return fail(
      `at most ${most} fetch${most === 1 ? " was" : "es were"} waiting at the same time, so the ${ids.length} waits added up one after another. Start them all, then wait for all: Promise.all.`,
    );
  return pass(`all ${ids.length} fetches were waiting at once, so they took about as long as one; the documents came back in order.`);
}

async function checkCountOff(learner: Learner): Promise<Verdict> {
  const n = 300_000_000;
  // The first run of a session loads the compiler that checks shipped code (on this thread): not the learner's doing.
  await threads.run(1, () => 0);
  let last = performance.now(),
    longest = 0;
  const ticker = setInterval(() => {
    const t = performance.now();
    longest = Math.max(longest, t - last);
    last = t;
  }, 5);
  let got: unknown;
  const t0 = performance.now();
  try {
    got = await withLimit(Promise.resolve((learner as (a: { threads: Spawner; limit: number }) => unknown)({ threads, limit: n })), LIMIT_MS);
  } catch (e) {
    clearInterval(ticker);
    return failedRun(e, LIMIT_MS);
  }
  clearInterval(ticker);
  if (got === LATE) return tooLate(LIMIT_MS);
  const took = performance.now() - t0;
  longest = Math.max(longest, performance.now() - last);
  const want = Math.ceil(n / 3);
  if (got !== want) return fail(`countOff returned ${String(got)}; the count of multiples of 3 below ${fmt(n)} is ${fmt(want)}.`);
  // Judged against the call's own length, not only a fixed bound: a fast machine counts on this thread in less than 250 ms.
  if (longest > 250 || (longest > 50 && longest > 0.8 * took))
    return fail(
      `the event loop was stuck for ${fmt(longest)} ms of the ${fmt(took)} ms countOff took (a 5 ms timer could not run): the loop ran on the notebook's own thread. Run it in a worker: threads.run(1, …).`,
    );
  return pass(`the count was right, and the event loop never stalled longer than ${fmt(longest)} ms while a worker counted.`);
}

async function checkShare(learner: Learner): Promise<Verdict> {
  const total = 10_000_007,
    n = 3;
  let shares: number[];
  try {
    shares = (await threads.run(n, learner as (a: { id: number; n: number; total: number }) => number, { total }, { timeout: LIMIT_MS })).results as number[];
  } catch (e) {
    return failedRun(e, LIMIT_MS);
  }
  const sum = shares.reduce((a, b) => a + b, 0);
  if (sum !== total)
    return fail(
      `the ${n} workers counted ${shares.map(fmt).join(" + ")} = ${fmt(sum)}, not ${fmt(total)}: ${fmt(total)} does not divide by ${n}, and the ${fmt(total - sum)} left over were dropped. Give the remainder to some of the workers.`,
    );
  if (Math.max(...shares) - Math.min(...shares) > 1)
    return fail(`the shares were ${shares.map(fmt).join(", ")}: they add up, but differ by more than 1. Spread the remainder one each.`);
  return pass(`the ${n} workers counted ${shares.map(fmt).join(" + ")} = ${fmt(total)}: nothing lost, and no worker with more than one extra.`);
}

export const chapter02 = defineExercises([
  {
    id: "02-e1",
    title: "Overlap the waiting",
    task: "`fetchOne(id)` waits 50 ms (like a download) and resolves with a document. Write `fetchAll(fetchOne, ids)` returning every document in the order of `ids`, in about the time of one fetch.",
    starter: `async function fetchAll(fetchOne, ids) {
  const docs = [];
  for (const id of ids) docs.push(await fetchOne(id));
  return docs;
}`,
    solution: `async function fetchAll(fetchOne, ids) {
  return Promise.all(ids.map((id) => fetchOne(id)));
}`,
    hints: [
      "Each `await` inside the loop waits for one fetch before starting the next.",
      "Start every fetch first (`ids.map(fetchOne)`), then `await Promise.all(…)`: it keeps the order.",
    ],
    points: 1,
    check: checkFetchAll,
  },
  {
    id: "02-e2",
    title: "Keep the event loop free",
    task: "`countOff({ threads, limit })` counts the multiples of 3 below `limit` (300 million). As written it freezes the notebook's event loop while it counts. Make a worker thread do the counting.",
    starter: `async function countOff({ threads, limit }) {
  let count = 0;
  for (let i = 0; i < limit; i++) if (i % 3 === 0) count++;
  return count;
}`,
    solution: `async function countOff({ threads, limit }) {
  const run = await threads.run(1, ({ limit }) => {
    let count = 0;
    for (let i = 0; i < limit; i++) if (i % 3 === 0) count++;
    return count;
  }, { limit });
  return run.results[0];
}`,
    hints: [
      "`async` does not move work anywhere: a loop in an async function still runs on this thread.",
      "`await threads.run(1, ({ limit }) => { … }, { limit })` runs the loop in a worker (its data may not use the names `id` and `n`: every worker gets its own there); its return value is in `run.results[0]`.",
    ],
    points: 2,
    check: checkCountOff,
  },
  {
    id: "02-e3",
    title: "Split a count fairly",
    task: "Each of `n` workers runs `share({ id, n, total })` and returns how many of the `total` counts it did. Together they must do exactly `total`, each within one of the others.",
    starter: `function share({ id, n, total }) {
  const mine = Math.floor(total / n);
  let count = 0;
  for (let i = 0; i < mine; i++) count++;
  return count;
}`,
    solution: [replace("Math.floor(total / n);", "Math.floor(total / n) + (id < total % n ? 1 : 0);")],
    hints: ["What happens to `total % n`?", "Give one extra count to the first `total % n` workers: `id < total % n`."],
    points: 1,
    check: checkShare,
  },
]);
