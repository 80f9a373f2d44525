// Chapter 11's exercises: hand the work to a pool, hand it in batches, and close the
// pool when done.
import { liveCount } from "../spawn/lifecycle";
import { ThreadPool } from "../spawn/pool";
import { fail, failedRun, fmt, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { edited, insertAfter, insertBefore, renamed, replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 20_000;

type Polygon = [number, number][];

function polygons(count: number): Polygon[] {
  return Array.from({ length: count }, (_, k) => {
    const r = 1 + (k % 7),
      m = 3 + (k % 5);
    return Array.from({ length: m }, (_, i): [number, number] => [
      Math.round(r * Math.cos((2 * Math.PI * i) / m) * 100),
      Math.round(r * Math.sin((2 * Math.PI * i) / m) * 100),
    ]);
  });
}

function area(p: Polygon): number {
  let twice = 0;
  for (let i = 0; i < p.length; i++) {
    const [x1, y1] = p[i],
      [x2, y2] = p[(i + 1) % p.length];
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

/** Thrown by a counting pool's map() that was handed more tasks than the check allows: the verdict is settled, the tasks need not run. */
const TOO_MANY = new Error("more tasks than the check allows");

/** A pool of 2 threads whose map() counts the tasks it is handed (and refuses to run more than `maxTasks`). */
function countingPool(maxTasks: number): { pool: Pick<ThreadPool, "map">; tasks: () => number; close: () => Promise<void> } {
  const real = new ThreadPool({ size: 2 });
  let tasks = 0;
  return {
    pool: {
      map: ((inputs: Iterable<unknown>, fn: never, options?: never) => {
        const list = [...inputs];
        tasks += list.length;
        return tasks > maxTasks ? Promise.reject(TOO_MANY) : real.map(list, fn, options);
      }) as ThreadPool["map"],
    },
    tasks: () => tasks,
    close: () => real.terminate("the check is done"),
  };
}

async function checkAreas(learner: Learner, name: string, count: number, maxTasks: number): Promise<Verdict> {
  const input = polygons(count);
  const { pool, tasks, close } = countingPool(maxTasks);
  const tooMany = () =>
    fail(
      `the pool was handed ${fmt(tasks())} tasks for ${fmt(count)} polygons: each task is a message to a worker and one back, which costs more than one small area. Hand it batches (say 100 polygons a task), at most ${maxTasks} tasks.`,
    );
  let got: unknown;
  try {
    got = await (learner as (a: { pool: typeof pool; polygons: Polygon[] }) => unknown)({ pool, polygons: input });
  } catch (e) {
    return e === TOO_MANY ? tooMany() : failedRun(e, LIMIT_MS);
  } finally {
    await close();
  }
  const want = input.map(area);
  if (!Array.isArray(got) || got.length !== want.length)
    return fail(
      `${name} returned ${Array.isArray(got) ? `${got.length} areas` : JSON.stringify(got)}; it should return ${fmt(want.length)} areas, one per polygon, in order.`,
    );
  const wrong = want.findIndex((a, i) => Math.abs((got as number[])[i] - a) > 1e-9);
  if (wrong >= 0) return fail(`the area of polygon ${wrong} came out ${String((got as number[])[wrong])}, not ${want[wrong]}.`);
  if (tasks() === 0)
    return fail(`the areas were right, but the pool ran no task: they were computed on the notebook's own thread. Hand the work to pool.map(…).`);
  if (tasks() > maxTasks) return tooMany();
  return pass(`all ${fmt(count)} areas were right, computed by the pool in ${fmt(tasks())} task${tasks() === 1 ? "" : "s"}.`);
}

async function checkUseOnce(learner: Learner): Promise<Verdict> {
  const made: ThreadPool[] = [];
  class WatchedPool extends ThreadPool {
    constructor(options?: ConstructorParameters<typeof ThreadPool>[0]) {
      super(options);
      made.push(this);
    }
  }
  const before = liveCount();
  let got: unknown;
  let after: number;
  try {
    got = await (learner as (a: { ThreadPool: typeof ThreadPool; inputs: number[] }) => unknown)({ ThreadPool: WatchedPool, inputs: [1, 2, 3, 4, 5] });
    after = liveCount();
  } catch (e) {
    return failedRun(e, LIMIT_MS);
  } finally {
    await Promise.all(made.map((p) => p.terminate("the check is done")));
  }
  if (JSON.stringify(got) !== "[1,4,9,16,25]") return fail(`squares returned ${JSON.stringify(got)}; it should return [1,4,9,16,25].`);
  if (made.length === 0) return fail("squares made no ThreadPool: use the one it is given.");
  if (after > before)
    return fail(
      `squares returned with its pool still open (${made[0].size} threads kept alive, waiting for work that never comes): await pool.close() when you are done with it.`,
    );
  return pass("squares used a pool and closed it: nothing was left running.");
}

/** 11-e1's starter: the areas computed on the notebook's own thread. */
const areasHere = `async function areas({ pool, polygons }) {
  return polygons.map((p) => {
    let twice = 0;
    for (let i = 0; i < p.length; i++) twice += p[i][0] * p[(i + 1) % p.length][1] - p[(i + 1) % p.length][0] * p[i][1];
    return Math.abs(twice) / 2;
  });
}`;

/** 11-e1's solution, and (renamed) 11-e2's starter: the same on the pool, one polygon a task. */
const areasOnPool = edited(
  areasHere,
  [replace("return polygons.map((p) => {", "const { results } = await pool.map(polygons, (p) => {"), insertAfter("});", "return results;")],
  "11-e1's solution",
);

export const chapter11 = defineExercises([
  {
    id: "11-e1",
    title: "Hand it to the pool",
    task: "`areas({ pool, polygons })` returns the area of every polygon (a list of `[x, y]` points), in order. As written it computes them on the notebook's thread. Let the pool's workers compute them (`pool.map(inputs, fn)`; `fn` is shipped to the workers, so it must not use names from outside itself).",
    starter: areasHere,
    solution: areasOnPool,
    hints: [
      "`pool.map(polygons, fn)` runs `fn` on each polygon in a worker and resolves to `{ results }`, in input order.",
      "Move the area function into `pool.map`, await it, and return its `results`.",
    ],
    points: 1,
    check: (learner) => checkAreas(learner, "areas", 200, Infinity),
  },
  {
    id: "11-e2",
    title: "Bigger tasks",
    task: "The same, for 4,000 polygons: handing the pool one polygon per task spends more on messages than on areas. Hand it batches instead (at most 80 tasks), and still return one area per polygon, in order.",
    starter: renamed(areasOnPool, "areasInBatches"),
    solution: [
      insertBefore("const { results }", "const batches = [];", "for (let i = 0; i < polygons.length; i += 100) batches.push(polygons.slice(i, i + 100));"),
      replace("pool.map(polygons, (p) => {", "pool.map(batches, (batch) => batch.map((p) => {"),
      replace("  });", "  }));"),
      replace("return results;", "return results.flat();"),
    ],
    hints: [
      "Cut `polygons` into slices of 100 and map over the slices.",
      "Each task then returns an array of areas; `results.flat()` puts them back in one list, in order.",
    ],
    points: 2,
    check: (learner) => checkAreas(learner, "areasInBatches", 4_000, 80),
  },
  {
    id: "11-e3",
    title: "Close the pool",
    task: "`squares({ ThreadPool, inputs })` makes a pool of 2, squares the inputs on it and returns the squares. As written its threads outlive it. Fix it.",
    starter: `async function squares({ ThreadPool, inputs }) {
  const pool = new ThreadPool({ size: 2 });
  const { results } = await pool.map(inputs, (x) => x * x);
  return results;
}`,
    solution: `async function squares({ ThreadPool, inputs }) {
  const pool = new ThreadPool({ size: 2 });
  try {
    const { results } = await pool.map(inputs, (x) => x * x);
    return results;
  } finally {
    await pool.close();
  }
}`,
    hints: [
      "A pool keeps its threads, waiting for more work, until you close it.",
      "`await pool.close()` in a `finally`, so that it is closed also when a task throws.",
    ],
    points: 1,
    check: checkUseOnce,
  },
]);
