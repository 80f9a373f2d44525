// What an exercise is: a task, the starter the learner edits, a reference solution,
// hints, and a check that runs the learner's code for real and says what it saw.

/** What a check says about one attempt. */
export interface Verdict {
  passed: boolean;
  /** Specific, from what the check measured: what went wrong (or right) and where to look. */
  message: string;
}

export interface Exercise {
  /** "04-e1": the chapter's two digits, "e", a number. */
  id: string;
  chapter: number;
  title: string;
  /** The task, in Markdown, as the notebook shows it. */
  task: string;
  /** The name the starter defines and the check cell passes to check(). */
  name: string;
  /** TypeScript source of the starter cell (defines `name`). Contains no solution. */
  starter: string;
  /** TypeScript source of the reference solution (defines `name`). */
  solution: string;
  /** Hints, shown one at a time, gentlest first. */
  hints: string[];
  /** nbgrader points. */
  points: number;
  /**
   * Runs `value` (what the learner's cell defined under `name`) for real and judges it.
   * Must settle within a few seconds whatever `value` does: deadlocks and endless loops
   * are stopped (runs get a timeout) and explained, and nothing is left running.
   */
  check(value: unknown): Promise<Verdict>;
}

/** A bad call (unknown id, a value of the wrong kind): says what was wrong and what to do. */
export class ExerciseInputError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "ExerciseInputError";
  }
}
