// Every exercise, checked twice on real threads: its reference solution passes and its
// untouched starter fails with a message that says what went wrong.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { exerciseById, exercises, selfCheck, solutionLine, ExerciseInputError } from "../../src/exercises";
import { compiledValue } from "../../src/exercises/compile";
import { stopAll } from "../../src/spawn/lifecycle";

const root = resolve(__dirname, "../..");

test("at least 3 exercises in each of the 12 chapters; ids unique, named NN-eK after their chapter; hints, and a line only the solution has", () => {
  assert.ok(exercises.length >= 36, `${exercises.length} exercises`);
  for (let chapter = 1; chapter <= 12; chapter++) assert.ok(exercises.filter((e) => e.chapter === chapter).length >= 3, `chapter ${chapter}`);
  const ids = exercises.map((e) => e.id);
  assert.is(new Set(ids).size, ids.length);
  for (const e of exercises) {
    assert.match(e.id, /^\d{2}-e\d+$/);
    assert.is(Number(e.id.slice(0, 2)), e.chapter, e.id);
    assert.ok(e.hints.length >= 1, e.id);
    assert.ok(solutionLine(e).length > 0, e.id);
    assert.ok(e.solution.includes(solutionLine(e)) && !e.starter.includes(solutionLine(e)), e.id);
  }
});

for (const exercise of exercises) {
  test(`${exercise.id}: the solution passes, the starter fails with a specific message`, async () => {
    const report = await selfCheck(exercise);
    assert.ok(report.solutionPasses, `${exercise.id} solution: ${report.solutionMessage}`);
    assert.ok(report.starterFails, `${exercise.id} starter passed: ${report.message}`);
    assert.ok(report.message.length > 40, report.message);
  });
}

test("a check given the wrong thing, or code that never ends, answers with a verdict and leaves nothing running", async () => {
  const e = exerciseById("04-e1");
  const notFn = await e.check(42);
  assert.is(notFn.passed, false);
  assert.match(notFn.message, /needs the function `update`/);
  const endless = compiledValue("function update() { for (;;) {} }", "update", "test");
  const stuck = await exerciseById("06-e1").check(compiledValue("function acquire({ cond }) { cond.lock.lock(); cond.wait(); }", "acquire", "test"));
  assert.is(stuck.passed, false);
  assert.match(stuck.message, /deadlocked|did not finish/);
  void endless;
});

test("an unknown exercise id names the ones that exist", () => {
  assert.throws(
    () => exerciseById("04-e99"),
    (e: unknown) => e instanceof ExerciseInputError && /04-e1/.test((e as Error).message),
  );
});

test("npm run exercises -- --json prints the report array; a bad flag exits 2", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "tools/exercises.ts", "--json", "--only", "06-e3"], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.is(r.status, 0, r.stderr);
  const [report] = JSON.parse(r.stdout);
  assert.equal(Object.keys(report).sort(), ["chapter", "id", "message", "solutionLine", "solutionPasses", "starterFails"]);
  assert.equal([report.id, report.chapter, report.solutionPasses, report.starterFails], ["06-e3", 6, true, true]);
  const bad = spawnSync(process.execPath, ["--import", "tsx", "tools/exercises.ts", "--frob"], { cwd: root, encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /Unknown option '--frob'/);
});

test.after(() => stopAll("tests done"));
test.run();
