// The exercises in the notebooks: each chapter's notebook ends with an "Exercises" section
// made from src/exercises (task, starter, check), so that a notebook and the exercises
// command always agree. Cells carry nbgrader metadata (grade ids, points, solution and
// test cells) so that an instructor can grade them with nbgrader on the tslab kernel.
//
//   tsx tools/exercise-cells.ts --write [notebook.ipynb …]   rewrite the section (default: every chapter)
//   tsx tools/exercise-cells.ts --check [notebook.ipynb …]   exit 1 if one is out of date
//
// The shipped notebooks are the student edition: the starter, never the solution.
// instructorEdition() swaps in the reference solutions, between nbgrader's markers.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { marked } from "marked";
import { exercises, type Exercise } from "../src/exercises";
import { quizzes, type Quiz } from "../src/exercises/quizzes";
import { ToolError, runCli } from "./errors";
import { readNotebook, sourceText, writeNotebook, type Cell, type Notebook } from "./notebook";
import { notebooksDir } from "./paths";

/** What a generated cell is, in its metadata: `interleave.exercise` = "section" or the exercise id, `interleave.part`. */
type Part = "heading" | "imports" | "quiz-heading" | "task" | "starter" | "check" | "question" | "answer";

const NBGRADER_SCHEMA = 3;
export const BEGIN_SOLUTION = "// BEGIN SOLUTION";
export const END_SOLUTION = "// END SOLUTION";

/**
 * A block that opens on request. Its content is written as HTML: nbconvert's
 * markdown (mistune 0.8) leaves everything inside an HTML block as it is, so
 * markdown there would show as typed on the exported pages; Jupyter renders both.
 */
function foldable(summary: string, markdown: string): string {
  return `<details><summary>${summary}</summary>\n\n${(marked.parse(markdown, { async: false }) as string).trim()}\n\n</details>`;
}

function cell(type: "markdown" | "code", source: string, exercise: string, part: Part, extra: Record<string, unknown> = {}): Cell {
  return { cell_type: type, id: `${exercise}-${part}`.replace(/[^a-zA-Z0-9-]/g, "-"), metadata: { ...extra, interleave: { exercise, part } }, source };
}

function nbgrader(gradeId: string, kind: { solution?: boolean; grade?: boolean; locked?: boolean; points?: number }): Record<string, unknown> {
  return {
    nbgrader: {
      grade_id: gradeId,
      grade: kind.grade ?? false,
      solution: kind.solution ?? false,
      locked: kind.locked ?? !kind.solution,
      ...(kind.points !== undefined ? { points: kind.points } : {}),
      schema_version: NBGRADER_SCHEMA,
    },
  };
}

/** The cells of one exercise: its task (with hints that unfold), the starter to edit, the check. */
export function exerciseCells(e: Exercise): Cell[] {
  const hints = e.hints.map((h, i) => foldable(`Hint ${i + 1}`, h)).join("\n");
  const task = `### ${e.id} · ${e.title}\n\n${e.task}\n\nEdit the cell below, run it, then run the check after it. \`hint("${e.id}")\` shows the hints one at a time; or open them here:\n\n${hints}`;
  return [
    cell("markdown", task, e.id, "task", nbgrader(`${e.id}-task`, { locked: true })),
    cell("code", e.starter, e.id, "starter", nbgrader(`${e.id}-answer`, { solution: true })),
    cell("code", `await check("${e.id}", ${e.name});`, e.id, "check", {
      ...nbgrader(`${e.id}-check`, { grade: true, points: e.points }),
      tags: ["exercise-check"],
    }),
  ];
}

/** A quiz: the question with its options and the answer in a block that opens on request, then a cell to answer in. */
export function quizCells(x: Quiz): Cell[] {
  const options = Object.entries(x.options)
    .map(([letter, text]) => `- **${letter}**) ${text}`)
    .join("\n");
  const question = `**${x.id}.** ${x.question}\n\n${options}\n\n${foldable("Answer", `**${x.answer}**: ${x.why}`)}`;
  return [cell("markdown", question, x.id, "question"), cell("code", `quiz("${x.id}", "?");`, x.id, "answer")];
}

/** The whole section for a chapter: a heading, the import, the quiz, then each exercise's cells. */
export function sectionCells(chapter: number): Cell[] {
  const mine = exercises.filter((e) => e.chapter === chapter);
  const asked = quizzes.filter((x) => x.chapter === chapter);
  if (mine.length === 0 && asked.length === 0) return [];
  const heading =
    "## Quiz and exercises\n\n" +
    "Each exercise runs your code for real (threads, processes) and says what it saw. A check never hangs the notebook: a " +
    "deadlock or an endless loop is stopped and explained. Nothing here is graded unless your instructor says so.";
  const quizHeading =
    "### Predict, then run\n\nAnswer in the cell under each question: replace `?` with your letter. The answer is behind *Answer* — after you have guessed.";
  return [
    cell("markdown", heading, "section", "heading"),
    cell("code", 'import { check, hint, quiz } from "kernel-helpers";', "section", "imports"),
    cell("markdown", quizHeading, "section", "quiz-heading"),
    ...asked.flatMap(quizCells),
    ...mine.flatMap(exerciseCells),
  ];
}

const generated = (c: Cell) => typeof (c.metadata.interleave as { exercise?: unknown } | undefined)?.exercise === "string";

/** The notebook with its Exercises section made afresh from src/exercises (placed where the old one was, else at the end). */
export function withExercises(nb: Notebook, chapter: number): Notebook {
  const at = nb.cells.findIndex(generated);
  const kept = nb.cells.filter((c) => !generated(c));
  const cells = [...kept];
  cells.splice(at >= 0 ? at : kept.length, 0, ...sectionCells(chapter));
  return { ...nb, cells };
}

/**
 * The instructor edition of a notebook: every starter replaced by its reference
 * solution between nbgrader's solution markers, and the task showing the starter.
 * The task cell is locked, so nbgrader hands its text to students as it is: it says
 * what the answer cell starts as (nbgrader's release replaces the whole solution with
 * its code stub), nothing meant for the instructor alone.
 */
export function instructorEdition(nb: Notebook): Notebook {
  const byId = new Map(exercises.map((e) => [e.id, e]));
  const cells = nb.cells.map((c): Cell => {
    const tag = c.metadata.interleave as { exercise?: string; part?: Part } | undefined;
    const e = tag?.exercise ? byId.get(tag.exercise) : undefined;
    if (!e) return c;
    if (tag!.part === "starter") return { ...c, source: `${BEGIN_SOLUTION}\n${e.solution}\n${END_SOLUTION}` };
    if (tag!.part === "task") return { ...c, source: `${sourceText(c)}\n\nThe answer cell starts as:\n\n\`\`\`ts\n${e.starter}\n\`\`\`` };
    return c;
  });
  return { ...nb, cells };
}

export function chapterOf(file: string): number {
  return Number(file.slice(0, 2));
}

export function chapterNotebooks(dir = notebooksDir): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d{2}-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

const stable = (nb: Notebook) => JSON.stringify(nb.cells.map((c) => [c.cell_type, sourceText(c), c.metadata]));

async function main(argv: string[]): Promise<number> {
  let values: { write?: boolean; check?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { write: { type: "boolean" }, check: { type: "boolean" } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (e) {
    throw new ToolError(`${(e as Error).message}\nusage: tsx tools/exercise-cells.ts --write | --check [notebook.ipynb …]`, 2);
  }
  if (values.write === values.check) throw new ToolError("say --write (rewrite the notebooks' Exercises sections) or --check (say which are out of date)", 2);
  const stale: string[] = [];
  for (const path of positionals.length ? positionals : chapterNotebooks()) {
    const nb = readNotebook(path);
    const fresh = withExercises(nb, chapterOf(basename(path)));
    if (stable(fresh) === stable(nb)) continue;
    stale.push(path);
    if (values.write) writeNotebook(path, { ...fresh, cells: fresh.cells.map((c) => ({ ...c, id: c.id ?? randomBytes(6).toString("hex") })) });
  }
  if (values.check && stale.length) {
    console.error(`out of date with src/exercises: ${stale.join(", ")}. Run: npx tsx tools/exercise-cells.ts --write`);
    return 1;
  }
  console.log(values.write ? `exercise cells: ${stale.length} notebook(s) rewritten` : "exercise cells: every notebook is up to date");
  return 0;
}

if (require.main === module) runCli("exercise-cells", () => main(process.argv.slice(2)));
