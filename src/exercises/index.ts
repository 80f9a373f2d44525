// The course's exercises: each one a task, a starter, a reference solution, hints and a
// check that runs the learner's code for real (see types.ts for the contract).
import { chapter01 } from "./ch01";
import { chapter02 } from "./ch02";
import { chapter03 } from "./ch03";
import { chapter04 } from "./ch04";
import { chapter05 } from "./ch05";
import { chapter06 } from "./ch06";
import { chapter07 } from "./ch07";
import { chapter08 } from "./ch08";
import { chapter09 } from "./ch09";
import { chapter10 } from "./ch10";
import { chapter11 } from "./ch11";
import { chapter12 } from "./ch12";
import { compiledValue } from "./compile";
import { ExerciseInputError, type Exercise, type Verdict } from "./types";

export { ExerciseInputError } from "./types";
export type { Exercise, Verdict } from "./types";

/** Every exercise, in course order. */
export const exercises: readonly Exercise[] = [
  ...chapter01,
  ...chapter02,
  ...chapter03,
  ...chapter04,
  ...chapter05,
  ...chapter06,
  ...chapter07,
  ...chapter08,
  ...chapter09,
  ...chapter10,
  ...chapter11,
  ...chapter12,
];

export function exerciseById(id: unknown): Exercise {
  const found = exercises.find((e) => e.id === id);
  if (found) return found;
  const near = typeof id === "string" ? exercises.filter((e) => e.id.slice(0, 2) === id.slice(0, 2)).map((e) => e.id) : [];
  throw new ExerciseInputError(
    `there is no exercise ${JSON.stringify(id)}. ${near.length ? `Chapter ${String(id).slice(0, 2)} has ${near.join(", ")}.` : `Exercises are named like "04-e1"; there are ${exercises.length}.`}`,
  );
}

/** Runs the check on the learner's value. A check that throws is a bug in the check: it is reported as such, not as the learner's fault. */
export async function checkExercise(id: string, value: unknown): Promise<Verdict> {
  const exercise = exerciseById(id);
  try {
    return await exercise.check(value);
  } catch (e) {
    throw new Error(`the check of ${id} itself failed (a bug in the course, not in your code): ${(e as Error).message}`, { cause: e });
  }
}

export interface ExerciseReport {
  id: string;
  chapter: number;
  solutionPasses: boolean;
  starterFails: boolean;
  /** What the check said about the untouched starter. */
  message: string;
  /** What it said about the reference solution. */
  solutionMessage: string;
  /** One line of code in the reference solution that is not in the starter. */
  solutionLine: string;
}

/** Checks the exercise twice: its reference solution must pass, its untouched starter must fail. */
export async function selfCheck(exercise: Exercise): Promise<ExerciseReport> {
  const solution = await exercise.check(compiledValue(exercise.solution, exercise.name, `${exercise.id}'s solution`));
  const starter = await exercise.check(compiledValue(exercise.starter, exercise.name, `${exercise.id}'s starter`));
  return {
    id: exercise.id,
    chapter: exercise.chapter,
    solutionPasses: solution.passed,
    starterFails: !starter.passed,
    message: starter.message,
    solutionMessage: solution.message,
    solutionLine: solutionLine(exercise),
  };
}

/** The first line of real code in the solution that the starter does not have. */
export function solutionLine(exercise: Pick<Exercise, "starter" | "solution">): string {
  const starter = new Set(exercise.starter.split("\n").map((l) => l.trim()));
  const line = exercise.solution
    .split("\n")
    .map((l) => l.trim())
    .find((l) => !starter.has(l) && !l.startsWith("//") && /[A-Za-z_$]/.test(l) && !/^(for|while|if|try|finally|else|do|switch)\b.*\{$/.test(l));
  return line ?? "";
}
