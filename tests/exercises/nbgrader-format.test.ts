// The exercise cells against nbgrader's own rules, as its source states them (nbgrader is not
// installable here, so this is the check we have): the v3 cell metadata schema and validator
// (nbgraderformat/v3.json, v3.py), the markers its generate_assignment preprocessors act on
// (ClearSolutions, ClearHiddenTests, ClearMarkScheme, InstantiateTests), and how autograde scores
// a grade cell (utils.determine_grade: an error or any stderr output scores 0) under the
// NBGRADER_EXECUTION variable that autograde and validate set. Every chapter notebook is checked
// as shipped (the student edition) and as instructorEdition() makes it. docs/nbgrader.md uses this.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { inspect } from "node:util";
import { exerciseById, exercises } from "../../src/exercises";
import { compiledValue } from "../../src/exercises/compile";
import { stopAll } from "../../src/spawn/lifecycle";
import { check, ExerciseNotSolvedError } from "../../kernel-helpers/src/exercises";
import { BEGIN_SOLUTION, END_SOLUTION, chapterNotebooks, chapterOf, instructorEdition } from "../../tools/exercise-cells";
import { kernelSpec } from "../../tools/kernelspec";
import { readNotebook, sourceText, type Cell, type Notebook } from "../../tools/notebook";

type Meta = Record<string, unknown>;

/** v3.json: the only keys allowed (additionalProperties: false), with their JSON types. */
const SCHEMA: Record<string, "integer" | "number" | "boolean" | "string"> = {
  schema_version: "integer",
  grade: "boolean",
  locked: "boolean",
  solution: "boolean",
  task: "boolean",
  grade_id: "string",
  points: "number",
  checksum: "string",
  cell_type: "string",
};
const REQUIRED = ["schema_version", "grade", "locked", "solution"];
const GRADE_ID = /^[a-zA-Z0-9_-]*$/;
/** ClearSolutions' default delimiters; a line that contains one is a delimiter line. */
const SOLUTION_DELIMITERS = ["BEGIN SOLUTION", "END SOLUTION"] as const;

/** The code stub docs/nbgrader.md tells instructors to configure, read from there so the two agree. */
const STUB = (() => {
  const doc = readFileSync(join(__dirname, "..", "..", "docs", "nbgrader.md"), "utf8");
  const m = doc.match(/c\.ClearSolutions\.code_stub = \{"typescript": ("(?:[^"\\]|\\.)*")\}/);
  if (!m) throw new Error('docs/nbgrader.md has no line c.ClearSolutions.code_stub = {"typescript": "…"}');
  return JSON.parse(m[1]) as string;
})();

const nbgraderOf = (c: Cell) => c.metadata.nbgrader as Meta | undefined;
const flag = (m: Meta | undefined, key: string) => m?.[key] === true;
/** utils.is_locked: a solution cell never is, a grade cell always is, else its `locked`. */
const isLocked = (m: Meta | undefined) => !!m && !flag(m, "solution") && (flag(m, "grade") || flag(m, "locked"));

function hasType(value: unknown, type: string): boolean {
  if (type === "integer") return Number.isInteger(value);
  if (type === "number") return typeof value === "number" && Number.isFinite(value);
  return typeof value === type;
}

/** Where a cell is, for messages: notebook (edition), index, kind and grade id. */
function where(label: string, i: number, c: Cell): string {
  const id = nbgraderOf(c)?.grade_id;
  return `${label} cell ${i} (${c.cell_type}${typeof id === "string" ? ` "${id}"` : ""})`;
}

/**
 * ClearSolutions._replace_solution_region, re-stated: each line containing the begin delimiter
 * becomes the stub (with that line's indent), lines up to the one containing the end delimiter
 * go. Throws, as nbgrader does, on a nested begin or a missing end.
 */
function clearSolution(source: string, stub: string): { source: string; replaced: boolean } {
  const out: string[] = [];
  let inside = false;
  let replaced = false;
  for (const line of source.split("\n")) {
    if (line.includes(SOLUTION_DELIMITERS[0])) {
      if (inside) throw new Error("nested begin solution statements");
      inside = replaced = true;
      const indent = line.match(/^\s*/)![0];
      for (const s of stub.split("\n")) out.push(indent + s);
    } else if (line.includes(SOLUTION_DELIMITERS[1])) inside = false;
    else if (!inside) out.push(line);
  }
  if (inside) throw new Error("no end solution statement found");
  return { source: out.join("\n"), replaced };
}

/** Everything nbgrader would reject in `nb` (each message names the cell and the rule). */
function nbgraderProblems(nb: Notebook, label: string): string[] {
  const problems: string[] = [];
  const say = (i: number, c: Cell, rule: string) => problems.push(`${where(label, i, c)}: ${rule}`);
  const spec = nb.metadata.kernelspec as { name?: string; language?: string } | undefined;
  // ClearSolutions picks the code stub by the kernelspec's language ("python" when there is none).
  if (spec?.language !== kernelSpec("tslab").language || spec?.name !== "tslab")
    problems.push(`${label}: kernelspec ${JSON.stringify(spec)} should be the project's tslab one (language "typescript"), which code_stub is keyed by`);
  const seen = new Map<string, number>();
  for (const [i, c] of nb.cells.entries()) {
    const text = sourceText(c);
    const m = nbgraderOf(c);
    // Markers other preprocessors act on, in any cell (with or without metadata).
    try {
      if (clearSolution(text, STUB).replaced && !flag(m, "solution"))
        say(i, c, "a solution region outside a solution cell: ClearSolutions (enforce_metadata) stops generate_assignment");
    } catch (e) {
      say(i, c, `ClearSolutions would fail: ${(e as Error).message}`);
    }
    if (/BEGIN HIDDEN TESTS|END HIDDEN TESTS/.test(text) && !flag(m, "grade")) say(i, c, "hidden-test delimiters outside a grade cell: ClearHiddenTests stops");
    if (/BEGIN MARK SCHEME|END MARK SCHEME/.test(text) && !flag(m, "task")) say(i, c, "mark-scheme delimiters outside a task cell: ClearMarkScheme stops");
    if (c.cell_type === "code" && text.includes("AUTOTEST"))
      say(i, c, "AUTOTEST in a code cell: InstantiateTests would need comment_strs and sanitizers for the tslab kernel");
    if (m === undefined) continue;
    if (typeof m !== "object" || m === null || Array.isArray(m)) {
      say(i, c, "metadata.nbgrader is not an object");
      continue;
    }
    // v3.json
    for (const key of Object.keys(m)) if (!(key in SCHEMA)) say(i, c, `key "${key}" is not in the v3 schema (additionalProperties: false)`);
    for (const key of REQUIRED) if (!(key in m)) say(i, c, `required key "${key}" is missing`);
    for (const [key, type] of Object.entries(SCHEMA))
      if (key in m && !hasType(m[key], type)) say(i, c, `"${key}" must be a JSON ${type}, is ${JSON.stringify(m[key])}`);
    if (m.schema_version !== 3) say(i, c, `schema_version is ${JSON.stringify(m.schema_version)}; v3 takes 3 only (older: "too old", newer: "too new")`);
    if (typeof m.points === "number" && m.points < 0) say(i, c, `points ${m.points} < 0`);
    if (typeof m.grade_id === "string" && !GRADE_ID.test(m.grade_id)) say(i, c, "grade_id has characters outside [a-zA-Z0-9_-]");
    if (typeof m.checksum === "string" && m.checksum.length !== 32) say(i, c, "checksum is not 32 characters");
    if ("cell_type" in m && !["raw", "code", "markdown"].includes(m.cell_type as string)) say(i, c, "cell_type is not raw, code or markdown");
    // MetadataValidatorV3.validate_cell
    const [grade, solution, locked, task] = [flag(m, "grade"), flag(m, "solution"), flag(m, "locked"), flag(m, "task")];
    if ((grade || solution || locked) && !m.grade_id) say(i, c, "a grade, solution or locked cell needs a non-empty grade_id");
    if (grade && !("points" in m)) say(i, c, "a grade cell needs points");
    if (task && c.cell_type !== "markdown") say(i, c, "a task cell must be markdown");
    if (!task && c.cell_type === "markdown" && grade !== solution) say(i, c, "a markdown cell must be both grade and solution, or neither");
    // MetadataValidatorV3.validate_nb
    if ((grade || solution || locked) && typeof m.grade_id === "string") {
      if (seen.has(m.grade_id)) say(i, c, `grade_id also used by cell ${seen.get(m.grade_id)} (must be unique in the notebook)`);
      else seen.set(m.grade_id, i);
    }
  }
  return problems;
}

const editions = chapterNotebooks().map((path) => {
  const student = readNotebook(path);
  return { name: basename(path), chapter: chapterOf(basename(path)), student, instructor: instructorEdition(student) };
});

const cellById = (nb: Notebook, id: string) => nb.cells.findIndex((c) => nbgraderOf(c)?.grade_id === id);

test("each chapter notebook, both editions: nbgrader v3 metadata as its schema and validator require, no stray markers", () => {
  assert.is(editions.length, 12);
  for (const { name, student, instructor } of editions) {
    for (const [nb, label] of [
      [student, `${name} (student)`],
      [instructor, `${name} (instructor)`],
    ] as const) {
      assert.ok(
        nb.cells.some((c) => flag(nbgraderOf(c), "grade")),
        `${label}: no grade cell at all`,
      );
      const problems = nbgraderProblems(nb, label);
      assert.ok(problems.length === 0, `nbgrader would reject:\n${problems.join("\n")}`);
    }
  }
});

test("each notebook's first code cell imports kernel-helpers, whose adapter lets the cells behind a failed one run under nbgrader", () => {
  // tslab alone answers "abort", running nothing, to each cell that arrives within 200 ms of a failed one; nbgrader
  // sends the next cell as soon as one is answered, so a later check cell would have no output: full points.
  for (const { name, student } of editions) {
    const first = student.cells.find((c) => c.cell_type === "code");
    assert.ok(first && /from "kernel-helpers"/.test(sourceText(first)), `${name}: the first code cell should import kernel-helpers`);
  }
});

test("each exercise: a read-only task, an answer cell (solution), then its autograder test (grade cell with its points)", () => {
  for (const { name, chapter, student } of editions) {
    const mine = exercises.filter((e) => e.chapter === chapter);
    assert.ok(mine.length >= 3, `${name}: ${mine.length} exercises`);
    for (const e of mine) {
      const at = `${name} ${e.id}`;
      const [t, a, k] = ["task", "answer", "check"].map((part) => cellById(student, `${e.id}-${part}`));
      assert.ok(t >= 0 && a === t + 1 && k === a + 1, `${at}: task, answer and check cells should follow each other (found at ${t}, ${a}, ${k})`);
      const [task, answer, chk] = [student.cells[t], student.cells[a], student.cells[k]];
      const [tm, am, km] = [task, answer, chk].map(nbgraderOf);
      // nbgrader's "task" cells are hand-graded markdown with points; ours is text the student reads.
      assert.ok(
        task.cell_type === "markdown" && isLocked(tm) && !flag(tm, "grade") && !flag(tm, "solution") && !flag(tm, "task"),
        `${at}: task cell should be a read-only markdown cell`,
      );
      assert.ok(
        answer.cell_type === "code" && flag(am, "solution") && !flag(am, "grade") && !isLocked(am),
        `${at}: answer cell should be an editable code solution cell`,
      );
      assert.ok(chk.cell_type === "code" && flag(km, "grade") && !flag(km, "solution") && isLocked(km), `${at}: check cell should be a locked code grade cell`);
      assert.is(km!.points, e.points, `${at}: check cell points should be the exercise's (${e.points})`);
      assert.ok(e.points > 0, `${at}: an exercise worth 0 points adds nothing to a grade`);
      const named = new RegExp(`\\b${e.name}\\b`);
      assert.ok(named.test(sourceText(chk)) && named.test(sourceText(answer)), `${at}: the check passes \`${e.name}\`, which the answer cell should define`);
    }
  }
});

test("instructor edition: each answer is one region between delimiter lines as ClearSolutions finds them; clearing leaves the stub, no solution line", () => {
  assert.ok(
    BEGIN_SOLUTION.includes(SOLUTION_DELIMITERS[0]) && END_SOLUTION.includes(SOLUTION_DELIMITERS[1]),
    "markers should contain nbgrader's default delimiters",
  );
  assert.not.ok(END_SOLUTION.includes(SOLUTION_DELIMITERS[0]), "the end marker must not read as a begin");
  for (const { name, chapter, student, instructor } of editions) {
    for (const e of exercises.filter((x) => x.chapter === chapter)) {
      const at = `${name} (instructor) ${e.id}-answer`;
      const i = cellById(instructor, `${e.id}-answer`);
      const lines = sourceText(instructor.cells[i]).split("\n");
      assert.is(lines[0], BEGIN_SOLUTION, `${at}: first line should be the begin delimiter line`);
      assert.is(lines[lines.length - 1], END_SOLUTION, `${at}: last line should be the end delimiter line`);
      const cleared = clearSolution(sourceText(instructor.cells[i]), STUB);
      assert.ok(cleared.replaced, `${at}: ClearSolutions found no region`);
      assert.is(cleared.source, STUB, `${at}: after clearing, the cell should hold only the stub`);
      const stubLines = STUB.split("\n").map((l) => l.trim());
      const clearedLines = cleared.source.split("\n").map((l) => l.trim());
      const survivors = e.solution
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !stubLines.includes(l) && clearedLines.includes(l));
      assert.equal(survivors, [], `${at}: solution lines survive clearing`);
      // The student edition's answer has no region: generate_assignment would replace it whole with the stub.
      assert.not.ok(clearSolution(sourceText(student.cells[i]), STUB).replaced, `${name} (student) ${e.id}-answer: holds solution delimiters`);
      // Autograde puts back a locked cell's source from the gradebook (OverwriteCells): the editions must agree on the tests.
      const k = cellById(instructor, `${e.id}-check`);
      assert.is(sourceText(instructor.cells[k]), sourceText(student.cells[k]), `${name} ${e.id}-check differs between editions`);
    }
    const cleared: Notebook = {
      ...instructor,
      cells: instructor.cells.map((c) => ({ ...c, source: flag(nbgraderOf(c), "solution") ? clearSolution(sourceText(c), STUB).source : sourceText(c) })),
    };
    const problems = nbgraderProblems(cleared, `${name} (instructor, solutions cleared)`);
    assert.ok(problems.length === 0, problems.join("\n"));
  }
});

/** Runs `fn` with NBGRADER_EXECUTION set to `value` (unset for undefined); returns what it wrote to stderr. */
async function underNbgrader<T>(value: string | undefined, fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; stderr: string }> {
  const saved = { env: process.env.NBGRADER_EXECUTION, write: process.stderr.write, log: console.log, error: console.error, warn: console.warn };
  let stderr = "";
  const toStderr = (...args: unknown[]) => {
    stderr += `${args.map(String).join(" ")}\n`;
  };
  if (value === undefined) delete process.env.NBGRADER_EXECUTION;
  else process.env.NBGRADER_EXECUTION = value;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  console.error = console.warn = toStderr;
  console.log = () => {}; // the verdict, printed as text outside a kernel
  try {
    return { result: await fn(), stderr };
  } catch (error) {
    return { error, stderr };
  } finally {
    if (saved.env === undefined) delete process.env.NBGRADER_EXECUTION;
    else process.env.NBGRADER_EXECUTION = saved.env;
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
    process.stderr.write = saved.write;
  }
}

test("check() scores as autograde does: under NBGRADER_EXECUTION an unsolved exercise raises, a solved one neither raises nor writes to stderr", async () => {
  // autograde sets NBGRADER_EXECUTION=autograde, validate sets it to "validate" (converters/autograde.py, validator.py).
  // Wrong answers that fail every time: a starter with a race (04-e1's) can pass when the two threads never overlap.
  const wrongAnswers: Record<string, string> = {
    "01-e1": exerciseById("01-e1").starter,
    "04-e1": "function update({ balance }) { balance.values[0] += 1; }",
  };
  for (const [id, wrong] of Object.entries(wrongAnswers)) {
    const e = exerciseById(id);
    const unsolvedValue = compiledValue(wrong, e.name, `${id} wrong answer`);
    const solution = compiledValue(e.solution, e.name, `${id} solution`);
    for (const mode of ["autograde", "validate"]) {
      const unsolved = await underNbgrader(mode, () => check(id, unsolvedValue));
      assert.ok(
        unsolved.error instanceof ExerciseNotSolvedError,
        `${id} wrong answer, NBGRADER_EXECUTION=${mode}: check should raise (autograde scores a raising grade cell 0)`,
      );
      assert.match((unsolved.error as Error).message, id, `${id}: the error should name the exercise`);
      const solved = await underNbgrader(mode, () => check(id, solution));
      assert.is(solved.error, undefined, `${id} solution, NBGRADER_EXECUTION=${mode}: check raised ${String(solved.error)}`);
      assert.is(solved.result?.passed, true, `${id} solution should pass`);
      // determine_grade gives 0 to a grade cell with any stderr output, even one that raised nothing.
      assert.is(solved.stderr, "", `${id} solution, NBGRADER_EXECUTION=${mode}: a passing check wrote to stderr, which autograde scores 0`);
      // An execute_result that reads as a number would be taken as partial credit; the check's value never does.
      const shown = inspect(solved.result);
      assert.ok(Number.isNaN(Number(shown)) && !/^\s*[+-]?(nan|inf|infinity)\s*$/i.test(shown), `${id}: the check's value prints as a number (${shown})`);
    }
    const outside = await underNbgrader(undefined, () => check(id, unsolvedValue));
    assert.is(outside.error, undefined, `${id} wrong answer without NBGRADER_EXECUTION: a notebook run should get a verdict, not an error`);
    assert.is(outside.result?.passed, false, `${id} wrong answer should not pass`);
  }
});

test.after(() => stopAll("tests done"));
test.run();
