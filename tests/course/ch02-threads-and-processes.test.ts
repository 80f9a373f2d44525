// Chapter 2 examples: the same tasks on the main thread, async, threads and processes.
// Correctness only (what ran, what it returned, the shape of the timeline data); no speed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { countTo, pythonGil, runTasks, TASK_MODES } from "../../src/course/ch02-threads-and-processes";
import { CourseInputError } from "../../src/course/errors";
import { rejects } from "./helpers";

test("countTo counts", () => {
  assert.is(countTo(0), 0);
  assert.is(countTo(12345), 12345);
});

for (const mode of TASK_MODES) {
  test(`${mode}: counting tasks return their count, one lane each`, async () => {
    const r = await runTasks(mode, "count", { tasks: 3, count: 10_000 });
    assert.is(r.mode, mode);
    assert.is(r.run.workers.length, 3);
    assert.equal(
      r.run.workers.map((w) => w.result).map((x) => (typeof x === "object" && x ? (x as { value: number }).value : x)),
      [10_000, 10_000, 10_000],
    );
    const running = r.run.trace.filter((e) => e.type === "span" && e.state === "running");
    assert.ok(running.length >= 3, "a running span per task");
    assert.ok(r.wallMs > 0);
  });
  test(`${mode}: sleeping tasks are drawn as blocked on a sleep of at least the asked time`, async () => {
    const r = await runTasks(mode, "sleep", { tasks: 2, sleepMs: 30 });
    const sleeps = r.run.trace.filter((e) => e.type === "span" && e.state === "blocked" && e.prim?.kind === "sleep");
    assert.is(sleeps.length, 2);
    for (const s of sleeps) if (s.type === "span") assert.ok(s.end - s.start >= 25, `slept ${s.end - s.start} ms`);
  });
}

test("async counting does not overlap: each task starts after the previous ended", async () => {
  const r = await runTasks("async", "count", { tasks: 3, count: 200_000 });
  const spans = r.run.trace.filter((e) => e.type === "span").sort((a, b) => (a.type === "span" && b.type === "span" ? a.start - b.start : 0));
  for (let i = 1; i < spans.length; i++) {
    const a = spans[i - 1],
      b = spans[i];
    if (a.type === "span" && b.type === "span") assert.ok(b.start >= a.end, "one JS thread runs one loop at a time");
  }
});

test("bad input names the argument", async () => {
  await rejects(
    () => runTasks("gpu" as never, "count"),
    (e: Error) => e instanceof CourseInputError && /mode must be one of/.test(e.message),
  );
  await rejects(
    () => runTasks("main", "dance" as never),
    (e: Error) => /kind must be "sleep" or "count"/.test(e.message),
  );
  await rejects(
    () => runTasks("main", "count", { tasks: 0 }),
    (e: Error) => /tasks must be an integer from 1 to 64/.test(e.message),
  );
  await rejects(
    () => runTasks("main", "sleep", { sleepMs: -1 }),
    (e: Error) => /sleepMs/.test(e.message),
  );
  assert.throws(() => pythonGil(0), /tasks/);
});

test("pythonGil: null without Python, else three positive timings", () => {
  const r = pythonGil(2, 10_000);
  if (r === null) return;
  assert.match(r.version, /^3\./);
  for (const k of ["sequentialMs", "threadsMs", "processesMs"] as const) assert.ok(r[k] > 0, k);
});

test.run();
