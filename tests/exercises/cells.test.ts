// The notebooks' Exercises sections: made from src/exercises, with nbgrader metadata; the
// student edition never holds a solution, the instructor edition holds every one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exercises, solutionLine } from "../../src/exercises";
import { answerQuiz, quizById, quizzes } from "../../src/exercises/quizzes";
import { BEGIN_SOLUTION, chapterNotebooks, chapterOf, instructorEdition, sectionCells, withExercises } from "../../tools/exercise-cells";
import { readNotebook, sourceText } from "../../tools/notebook";

test("every chapter has 3–5 quiz questions whose answer is one of their options", () => {
  for (let chapter = 1; chapter <= 12; chapter++) {
    const mine = quizzes.filter((x) => x.chapter === chapter);
    assert.ok(mine.length >= 3 && mine.length <= 5, `chapter ${chapter}: ${mine.length}`);
    for (const x of mine) assert.ok(x.answer in x.options, x.id);
  }
  assert.is(new Set(quizzes.map((x) => x.id)).size, quizzes.length);
});

test("quiz answers: right, wrong with why, and no letter at all", () => {
  const x = quizById("04-q2");
  assert.is(answerQuiz("04-q2", x.answer.toUpperCase())!.right, true);
  const wrong = Object.keys(x.options).find((l) => l !== x.answer)!;
  const said = answerQuiz("04-q2", wrong)!;
  assert.is(said.right, false);
  assert.ok(said.message.includes(x.why));
  assert.is(answerQuiz("04-q2", "?"), null);
  assert.throws(() => quizById("04-q9"), /04-q1/);
});

test("a chapter's section: heading, import, quiz, then task / starter / check per exercise with nbgrader metadata", () => {
  const cells = sectionCells(4);
  assert.match(sourceText(cells[0]), /^## Quiz and exercises/);
  const mine = exercises.filter((e) => e.chapter === 4);
  for (const e of mine) {
    const starter = cells.find(
      (c) => (c.metadata.interleave as { exercise: string; part: string }).exercise === e.id && (c.metadata.interleave as { part: string }).part === "starter",
    )!;
    const check = cells[cells.indexOf(starter) + 1];
    assert.is(sourceText(starter), e.starter);
    assert.equal((starter.metadata.nbgrader as { solution: boolean; grade_id: string }).solution, true);
    assert.is(sourceText(check), `await check("${e.id}", ${e.name});`);
    assert.equal((check.metadata.nbgrader as { grade: boolean; points: number }).points, e.points);
  }
});

test("the section replaces itself: applying it twice changes nothing; other cells stay in order", () => {
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown" as const, metadata: {}, source: "# Chapter" }] };
  const once = withExercises(nb, 6);
  const twice = withExercises(once, 6);
  assert.equal(twice.cells.map(sourceText), once.cells.map(sourceText));
  assert.is(sourceText(once.cells[0]), "# Chapter");
});

test("the shipped notebooks are the student edition and up to date; the instructor edition holds every solution", () => {
  for (const path of chapterNotebooks()) {
    const nb = readNotebook(path);
    const chapter = chapterOf(path.split("/").pop()!);
    const text = nb.cells.map(sourceText).join("\n");
    const fresh = withExercises(nb, chapter);
    assert.equal(fresh.cells.map(sourceText), nb.cells.map(sourceText), `${path} is out of date: npx tsx tools/exercise-cells.ts --write`);
    const teacher = instructorEdition(nb).cells.map(sourceText).join("\n");
    for (const e of exercises.filter((x) => x.chapter === chapter)) {
      // A solution's lines may appear in the lesson (lock.lock() does, in chapter 4); the solution as a whole may not.
      assert.not.ok(text.includes(e.solution), `${path} holds ${e.id}'s solution`);
      assert.ok(teacher.includes(solutionLine(e)) && teacher.includes(BEGIN_SOLUTION), `instructor ${path} lacks ${e.id}'s solution`);
    }
  }
});

test.run();
