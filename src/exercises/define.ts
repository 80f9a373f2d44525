// How a chapter writes its exercises down: what the Exercise record says twice (the
// chapter in the id, the name in the starter's header) is derived here, a solution may
// be the edits that turn the starter into it, and every check receives a function (one
// that got something else answers here, with what to pass instead).
import { edited, type Edit } from "./edits";
import type { Exercise, Verdict } from "./types";
import { needFunction } from "./verdict";

/** The learner's function, as a check receives it: called with what the exercise promises. */
export type Learner = (...args: never[]) => unknown;

export interface ExerciseSpec extends Pick<Exercise, "id" | "title" | "task" | "starter" | "hints" | "points"> {
  /** The reference solution: its source, or the edits that turn the starter into it. */
  solution: string | readonly Edit[];
  /** Judges the learner's function (see Exercise.check). */
  check(learner: Learner): Promise<Verdict>;
}

/** The function a cell's source defines first: `function name(` or `async function name(`. */
export function definedName(source: string, where: string): string {
  const m = /^(?:async\s+)?function\s+([A-Za-z_$][\w$]*)/.exec(source);
  if (!m) throw new Error(`${where} must begin by defining a function (function name(…) {…})`);
  return m[1];
}

export function defineExercises(specs: readonly ExerciseSpec[]): Exercise[] {
  return specs.map(({ solution, check, ...spec }) => {
    const name = definedName(spec.starter, `${spec.id}'s starter`);
    const source = typeof solution === "string" ? solution : edited(spec.starter, solution, `${spec.id}'s solution`);
    if (definedName(source, `${spec.id}'s solution`) !== name) throw new Error(`${spec.id}: the solution must define ${name}, as the starter does`);
    return {
      ...spec,
      chapter: Number(spec.id.slice(0, 2)),
      name,
      solution: source,
      check: async (value: unknown) => needFunction(value, name) ?? check(value as Learner),
    };
  });
}
