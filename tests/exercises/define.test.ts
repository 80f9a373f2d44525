// How an exercise is written down: the edits that turn a starter into its solution, and
// defineExercises, which derives the chapter and the name and answers a check given no function.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { defineExercises, definedName } from "../../src/exercises/define";
import { edited, insertAfter, insertBefore, renamed, replace } from "../../src/exercises/edits";
import { pass } from "../../src/exercises/verdict";

const starter = `function take({ cond, permits }) {
  cond.lock.lock();
  permits[0]--;
  cond.lock.unlock();
}`;

test("edits: replace and insert find their place once; inserted lines take the anchor's indentation", () => {
  const fixed = edited(starter, [insertBefore("permits[0]--;", "while (permits[0] === 0) cond.wait();"), replace("take(", "acquire(")], "t");
  assert.is(fixed, starter.replace("take(", "acquire(").replace("  permits[0]--;", "  while (permits[0] === 0) cond.wait();\n  permits[0]--;"));
  assert.is(edited(starter, [insertAfter("permits[0]--;", "a();", "b();")], "t"), starter.replace("  permits[0]--;", "  permits[0]--;\n  a();\n  b();"));
});

test("edits: an anchor that is missing or occurs twice throws, naming the exercise", () => {
  assert.throws(() => edited(starter, [replace("permits[1]", "x")], "09-e9's solution"), /09-e9's solution: .*"permits\[1\]".* nowhere/);
  assert.throws(() => edited(starter, [insertAfter("cond.lock", "x")], "09-e9's solution"), /occurs more than once/);
});

test("renamed: the function the source begins by defining gets the new name, async or not", () => {
  assert.is(renamed(starter, "acquire").split("\n")[0], "function acquire({ cond, permits }) {");
  assert.is(renamed("async function a(x) {\n}", "b"), "async function b(x) {\n}");
  assert.throws(() => renamed("const a = 1;", "b"), /does not begin by defining a function/);
});

test("definedName: the starter's function, or an error that says what a cell must define", () => {
  assert.is(definedName("async function fetchAll(f, ids) {}", "s"), "fetchAll");
  assert.throws(() => definedName("(x) => x", "09-e9's starter"), /09-e9's starter must begin by defining a function/);
});

test("defineExercises: chapter from the id, name from the starter, a solution from edits, and a check that needs a function", async () => {
  let received: unknown;
  const [e] = defineExercises([
    {
      id: "06-e9",
      title: "t",
      task: "t",
      starter,
      solution: [insertBefore("permits[0]--;", "while (permits[0] === 0) cond.wait();")],
      hints: ["h"],
      points: 1,
      check: async (learner) => {
        received = learner;
        return pass("called");
      },
    },
  ]);
  assert.is(e.chapter, 6);
  assert.is(e.name, "take");
  assert.ok(e.solution.includes("  while (permits[0] === 0) cond.wait();\n  permits[0]--;"));
  const notFn = await e.check(42);
  assert.is(notFn.passed, false);
  assert.match(notFn.message, /needs the function `take`/);
  assert.is(received, undefined);
  const fn = () => 0;
  assert.is((await e.check(fn)).message, "called");
  assert.is(received, fn);
});

test("defineExercises: a solution that defines another function than the starter is a course bug, found at load", () => {
  const spec = { id: "06-e9", title: "t", task: "t", starter, solution: "function other() {}", hints: ["h"], points: 1, check: async () => pass("") };
  assert.throws(() => defineExercises([spec]), /06-e9: the solution must define take/);
});

test.run();
