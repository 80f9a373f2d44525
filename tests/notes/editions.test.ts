// The two editions of the notes, built for real from a notebook holding one quiz and one
// exercise: the student page shows the starter and the check's "not yet", never the
// solution; the instructor page (site/instructor/) shows the solution and "solved".
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exerciseById, solutionLine } from "../../src/exercises";
import { quizCells, exerciseCells } from "../../tools/exercise-cells";
import { writeNotebook } from "../../tools/notebook";
import { removeDir, runTool, tempDir, type ToolRun } from "../tools/helpers";

const dir = tempDir("editions");
const build = join(dir, "build");
const site = join(dir, "site");
const sources = join(__dirname, "..", "artifacts", "editions");
const exercise = exerciseById("03-e3");
let student: ToolRun, instructor: ToolRun;

test.before(async () => {
  mkdirSync(sources, { recursive: true });
  const { quizById } = await import("../../src/exercises/quizzes");
  const cells = [
    { cell_type: "code" as const, metadata: {}, source: 'import { check, quiz } from "kernel-helpers";' },
    ...quizCells(quizById("03-q1")),
    ...exerciseCells(exercise),
  ];
  writeNotebook(join(sources, "exercises.ipynb"), {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript (tslab)", language: "typescript" } },
    cells,
  });
  const args = [join(sources, "exercises.ipynb"), "--build-dir", build, "--site-dir", site];
  student = await runTool("notes", args);
  instructor = await runTool("notes", [...args, "--edition", "instructor"]);
});
test.after(() => {
  removeDir(dir);
  removeDir(sources);
});

test("both editions build", () => {
  assert.is(student.code, 0, student.stdout + student.stderr);
  assert.is(instructor.code, 0, instructor.stdout + instructor.stderr);
});

test("the student page has the starter and the check's verdict on it, and no solution", () => {
  const html = readFileSync(join(site, "exercises.html"), "utf8");
  assert.not.ok(html.includes(solutionLine(exercise)), "the student page holds the solution");
  assert.match(html, "03-e3 not yet");
  assert.match(html, "Answer 03-q1 with one of a, b, c");
});

test("the instructor page, under instructor/, has the solution run and passing", () => {
  const html = readFileSync(join(site, "instructor", "exercises.html"), "utf8");
  const line = solutionLine(exercise).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  assert.ok(
    html.includes(line) || html.includes(solutionLine(exercise)) || html.replace(/<[^>]+>/g, "").includes(solutionLine(exercise)),
    "no solution on the instructor page",
  );
  assert.match(html, "03-e3 solved");
  assert.match(readFileSync(join(site, "instructor", "index.html"), "utf8"), 'href="exercises.html"');
});

test.run();
