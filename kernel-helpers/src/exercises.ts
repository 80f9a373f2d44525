// Exercises from a cell: `await check("04-e1", update)` runs the learner's code for real
// and says what it saw; `hint("04-e1")` unfolds the next hint. src/exercises has the
// exercises and the contract of a check. Re-exported from index.ts.
import { checkExercise, exerciseById, type Verdict } from "../../src/exercises";
import { answerQuiz, quizById } from "../../src/exercises/quizzes";
import { displayBundle } from "./charts";

export { exercises, exerciseById, ExerciseInputError } from "../../src/exercises";
export { quizzes } from "../../src/exercises/quizzes";
export type { Quiz } from "../../src/exercises/quizzes";
export type { Exercise, Verdict } from "../../src/exercises";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function show(kind: string, html: string, text: string): void {
  if (!displayBundle({ "text/html": `<div class="interleave-exercise interleave-exercise-${kind}">${html}</div>`, "text/plain": text })) console.log(text);
}

export interface CheckOptions {
  /**
   * Throw ExerciseNotSolvedError when the check does not pass, after showing the verdict.
   * Default: only under nbgrader (its autograder sets NBGRADER_EXECUTION and scores a
   * test cell by whether it raises); in a notebook a wrong answer is a verdict, not an
   * error, so that Run All goes on to the next exercise.
   */
  throwIfNotSolved?: boolean;
}

/** Raised by check() for an unsolved exercise when asked to (see CheckOptions). */
export class ExerciseNotSolvedError extends Error {
  constructor(id: string, message: string) {
    super(`${id} is not solved yet: ${message}`);
    this.name = "ExerciseNotSolvedError";
  }
}

/**
 * Runs exercise `id`'s check on `value` (the function your cell defined) with real
 * workers, shows the verdict, and resolves to it. A wrong answer is a verdict, not an
 * error (unless options.throwIfNotSolved, or under nbgrader); an unknown id throws
 * ExerciseInputError. Nothing is left running.
 */
export async function check(id: string, value: unknown, options: CheckOptions = {}): Promise<Verdict> {
  const exercise = exerciseById(id);
  const verdict = await checkExercise(id, value);
  const head = verdict.passed ? `✔ ${exercise.id} solved` : `✘ ${exercise.id} not yet`;
  show(verdict.passed ? "passed" : "failed", `<strong>${esc(head)}:</strong> ${esc(verdict.message)}`, `${head}: ${verdict.message}`);
  const strict = options.throwIfNotSolved ?? Boolean(process.env.NBGRADER_EXECUTION);
  if (strict && !verdict.passed) throw new ExerciseNotSolvedError(id, verdict.message);
  return quiet(verdict, `[${id}: ${verdict.passed ? "solved" : "not yet"}]`);
}

const hintsShown = new Map<string, number>();

/** Shows the next hint of exercise `id` (each call one more), and how many are left. */
export function hint(id: string): void {
  const exercise = exerciseById(id);
  const shown = Math.min(hintsShown.get(id) ?? 0, exercise.hints.length);
  if (shown === exercise.hints.length) {
    show("hint", `No more hints for ${esc(id)}: all ${exercise.hints.length} are above. Run its check to see what your code does.`, `No more hints for ${id}.`);
    return;
  }
  hintsShown.set(id, shown + 1);
  const label = `Hint ${shown + 1} of ${exercise.hints.length} (${id})`;
  show("hint", `<strong>${esc(label)}:</strong> ${esc(exercise.hints[shown])}`, `${label}: ${exercise.hints[shown]}`);
}

/**
 * Answers quiz `id` with a letter: says right or wrong, and why. Anything but one of the
 * question's letters (e.g. the "?" a quiz cell starts with) gets a reminder of the letters.
 */
export function quiz(id: string, answer: string): void {
  const judged = answerQuiz(id, answer);
  if (!judged) {
    const letters = Object.keys(quizById(id).options).join(", ");
    show(
      "quiz",
      `Answer ${esc(id)} with one of ${esc(letters)}: put your letter in place of <code>${esc(String(answer))}</code> and run the cell.`,
      `Answer ${id} with one of ${letters}.`,
    );
    return;
  }
  show(judged.right ? "passed" : "failed", `<strong>${esc(id)}:</strong> ${esc(judged.message)}`, `${id}: ${judged.message}`);
}

// tslab prints a cell's last value: a check ending its cell prints this one line, not the verdict again.
function quiet<T extends object>(value: T, line: string): T {
  Object.defineProperty(value, Symbol.for("nodejs.util.inspect.custom"), { value: () => line, enumerable: false });
  return value;
}
