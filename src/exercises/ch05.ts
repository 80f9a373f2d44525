// Chapter 5's exercises, on the notebook's own thread: join every worker you start,
// take a worker's error from its join, and stop waiting for a worker that is late.
import { threads, type Spawner, type WorkerHandle } from "../spawn/api";
import { liveCount } from "../spawn/lifecycle";
import { fail, failedRun, fmt, LATE, pass, withLimit } from "./verdict";
import { defineExercises, type Learner } from "./define";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;
/** joinWithin's limit is 200 ms: one still waiting after this has failed, whatever it does next. */
const GIVE_UP_MS = 1_000;

async function settle(): Promise<void> {
  for (let i = 0; i < 200 && liveCount() > 0; i++) await new Promise((r) => setTimeout(r, 25));
}

async function checkJoinAll(learner: Learner): Promise<Verdict> {
  await settle();
  const k = 5;
  let got: unknown;
  let stillRunning = 0;
  try {
    got = await (learner as (a: { threads: Spawner; k: number }) => unknown)({ threads, k });
    stillRunning = liveCount();
  } catch (e) {
    return failedRun(e, LIMIT_MS);
  } finally {
    await settle();
  }
  const want = Array.from({ length: k }, (_, i) => i * i).reduce((a, b) => a + b, 0);
  if (stillRunning > 0)
    return fail(
      `${stillRunning} worker${stillRunning === 1 ? " was" : "s were"} still running when sumOfSquares returned: join every worker you spawn before you use its result.`,
    );
  if (got !== want) return fail(`sumOfSquares returned ${JSON.stringify(got)}, not ${want}: add up what each worker's join() resolves to (await it).`);
  return pass(`all ${k} workers were joined before sumOfSquares returned ${want}.`);
}

async function checkSurvivors(learner: Learner): Promise<Verdict> {
  let got: unknown;
  try {
    got = await (learner as (a: { threads: Spawner }) => unknown)({ threads });
  } catch (e) {
    await settle();
    return fail(
      `survivors threw (${(e as Error).name}: ${(e as Error).message.split("\n")[0]}): one worker's error rejected the whole wait. Join each worker and catch its error, e.g. with Promise.allSettled.`,
    );
  }
  await settle();
  const want = { results: [0, 1, 9, 16], failed: [2] };
  const g = got as { results?: unknown; failed?: unknown } | null;
  if (JSON.stringify(g?.results) !== JSON.stringify(want.results) || JSON.stringify(g?.failed) !== JSON.stringify(want.failed))
    return fail(
      `survivors returned ${JSON.stringify(got)}; it should return ${JSON.stringify(want)}: the results of the workers that finished, in order, and the ids of those that threw.`,
    );
  return pass("worker 2's error came back through its join; the other four results were kept.");
}

async function checkJoinWithin(learner: Learner): Promise<Verdict> {
  const slow = threads.spawn(
    ({ ms }: { ms: number }) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return "finished";
    },
    { ms: 10_000 },
  );
  void slow.join().catch(() => {}); // stopped below: its join rejects, and nobody else may be listening
  const t0 = performance.now();
  const call = Promise.resolve().then(() => (learner as (a: { handle: WorkerHandle<string>; ms: number }) => unknown)({ handle: slow, ms: 200 }));
  let got: unknown;
  try {
    got = await withLimit(call, GIVE_UP_MS);
  } catch (e) {
    await slow.stop();
    return failedRun(e, LIMIT_MS);
  }
  const waited = performance.now() - t0;
  const stopped = slow.done;
  await slow.stop();
  await settle();
  if (got === LATE) {
    void call.catch(() => {}); // a join still awaited rejects now that the worker is stopped
    return fail(
      `joinWithin was still waiting after ${fmt(GIVE_UP_MS)} ms for a worker that needs 10 s, though the limit was 200 ms: race the join against a timer.`,
    );
  }
  if (got !== "late")
    return fail(`joinWithin returned ${JSON.stringify(got)} after ${fmt(waited)} ms; for a worker still running at the limit it should return "late".`);
  if (!stopped) return fail(`joinWithin returned "late" but left the worker running: stop it (handle.stop()) so that nothing outlives the cell.`);
  return pass(`joinWithin gave up after ${fmt(waited)} ms, said "late", and stopped the worker.`);
}

export const chapter05 = defineExercises([
  {
    id: "05-e1",
    title: "Join them all",
    task: "`sumOfSquares({ threads, k })` spawns `k` workers; worker `i` returns `i * i`. Return the sum, and make sure no worker is still running when you do.",
    starter: `async function sumOfSquares({ threads, k }) {
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const worker = threads.spawn(({ i }) => i * i, { i });
    worker.join().then((r) => (sum += r));
  }
  return sum;
}`,
    solution: `async function sumOfSquares({ threads, k }) {
  const workers = [];
  for (let i = 0; i < k; i++) workers.push(threads.spawn(({ i }) => i * i, { i }));
  let sum = 0;
  for (const worker of workers) sum += await worker.join();
  return sum;
}`,
    hints: [
      "When does the `.then` callback run, compared with `return sum`?",
      "Start them all first, then `await worker.join()` for each one before returning.",
    ],
    points: 1,
    check: checkJoinAll,
  },
  {
    id: "05-e2",
    title: "A join hands back the error",
    task: "`survivors({ threads })` spawns five workers; worker `i` returns `i * i`, except worker 2, which throws. Return `{ results, failed }`: the results of the workers that finished, in order, and the ids of those that threw.",
    starter: `async function survivors({ threads }) {
  const workers = [0, 1, 2, 3, 4].map((i) =>
    threads.spawn(({ i }) => { if (i === 2) throw new Error("worker 2 fell over"); return i * i; }, { i }));
  const results = await Promise.all(workers.map((w) => w.join()));
  return { results, failed: [] };
}`,
    solution: `async function survivors({ threads }) {
  const workers = [0, 1, 2, 3, 4].map((i) =>
    threads.spawn(({ i }) => { if (i === 2) throw new Error("worker 2 fell over"); return i * i; }, { i }));
  const settled = await Promise.allSettled(workers.map((w) => w.join()));
  const results = [], failed = [];
  settled.forEach((s, i) => (s.status === "fulfilled" ? results.push(s.value) : failed.push(i)));
  return { results, failed };
}`,
    hints: [
      "`Promise.all` rejects as soon as one promise does. Which join rejects?",
      "`Promise.allSettled` waits for every join and tells you, for each, `fulfilled` with a value or `rejected` with the error.",
    ],
    points: 2,
    check: checkSurvivors,
  },
  {
    id: "05-e3",
    title: "Don't wait forever",
    task: '`joinWithin({ handle, ms })` waits for the worker\'s result at most `ms` milliseconds. If the worker is done by then, return its result; if not, stop it and return `"late"`.',
    starter: `async function joinWithin({ handle, ms }) {
  return await handle.join();
}`,
    solution: `async function joinWithin({ handle, ms }) {
  let timer;
  const late = new Promise((done) => (timer = setTimeout(() => done("late"), ms)));
  const first = await Promise.race([handle.join(), late]);
  clearTimeout(timer);
  if (first === "late") await handle.stop();
  return first;
}`,
    hints: [
      "`Promise.race([a, b])` settles with whichever settles first.",
      'Race `handle.join()` against a timer that resolves "late"; if the timer wins, `await handle.stop()` (the join then rejects; nobody waits for it).',
    ],
    points: 2,
    check: checkJoinWithin,
  },
]);
