// Chapters 2–6 as notebooks. Always: the structure the course promises (title, what
// you will learn, one section per syllabus lecture, summary, 2–4 exercises, no
// committed outputs, no LaTeX). When executed copies exist (RUN_NOTEBOOKS=1 runs them
// here through the project runner; `npm run notes` leaves them in .build/notebooks):
// every notebook has at least one chart and no error output.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers";

/** Lecture titles exactly as in the course syllabus (SYLLABUS.md), per notebook. */
const CHAPTERS: { file: string; number: number; lectures: string[] }[] = [
  { file: "02-threads-and-processes.ipynb", number: 2, lectures: ["Processes and Threads", "Threads in Python and the GIL", "Creating our first Thread", "Processes in Python", "Creating our first Processes"] },
  { file: "03-memory-sharing-threads.ipynb", number: 3, lectures: ["Memory Sharing", "Letter count Implementation", "Letter count using Memory Sharing"] },
  { file: "04-mutexes.ipynb", number: 4, lectures: ["Why do we need Synchronization?", "Adding Mutexes to Letter Count", "Adding Mutexes to Letter Count Implementation"] },
  { file: "05-joins.ipynb", number: 5, lectures: ["Understanding Joins", "File Search Example", "Concurrent File Search"] },
  { file: "06-condition-variables.ipynb", number: 6, lectures: ["Introduction to Condition Variables", "Condition Variables for Wait Groups", "Implementing Wait Groups with Condition Variables", "Using Wait Groups"] },
];

interface Output { output_type: string; name?: string; text?: string | string[]; data?: Record<string, unknown> }
interface Cell { cell_type: string; source: string | string[]; outputs?: Output[]; metadata?: { tags?: string[] } }
interface Notebook { nbformat: number; metadata: { kernelspec?: { name?: string } }; cells: Cell[] }

const text = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : s ?? "");
const load = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Notebook;

for (const ch of CHAPTERS) {
  const path = join(ROOT, "notebooks", ch.file);

  test(`${ch.file}: structure`, () => {
    assert.ok(existsSync(path), `${path} is missing`);
    const nb = load(path);
    assert.is(nb.nbformat, 4);
    assert.is(nb.metadata.kernelspec?.name, "tslab");
    const md = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => text(c.source)).join("\n\n");
    assert.ok(md.startsWith(`# Chapter ${ch.number} · `), "starts with the chapter title");
    assert.ok(md.includes("**You will learn**"), "says what the reader will learn");
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim());
    assert.equal(headings, [...ch.lectures, "Summary", "Exercises"], "one section per lecture, in order, then summary and exercises");
    const exercises = md.slice(md.indexOf("## Exercises"));
    const items = exercises.match(/^\d+\. /gm) ?? [];
    assert.ok(items.length >= 2 && items.length <= 4, `2–4 exercises, found ${items.length}`);
    assert.not.ok(/\$\$|\\\(|\\\[/.test(md), "no LaTeX (the notes load no MathJax)");
    for (const c of nb.cells.filter((c) => c.cell_type === "code")) assert.equal(c.outputs ?? [], [], "committed without outputs");
    const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => text(c.source)).join("\n");
    assert.ok(/from "kernel-helpers"/.test(code), "uses the course library");
  });

  test(`${ch.file}: executed copy has charts and no errors`, () => {
    const executed = join(ROOT, ".build", "notebooks", ch.file);
    if (!existsSync(executed) || statSync(executed).mtimeMs < statSync(path).mtimeMs) {
      console.log(`  (skipped: no up-to-date executed copy of ${ch.file}; run \`npm run notes\` or RUN_NOTEBOOKS=1)`);
      return;
    }
    const nb = load(executed);
    const outputs = nb.cells.flatMap((c) => (c.cell_type === "code" && !(c.metadata?.tags ?? []).includes("raises-exception") ? c.outputs ?? [] : []));
    const charts = outputs.filter((o) => o.output_type === "display_data" && o.data && "image/svg+xml" in o.data);
    assert.ok(charts.length >= 1, "at least one chart");
    const errors = outputs.filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"));
    assert.equal(errors.map((o) => text(o.text).slice(0, 300)), [], "no error output");
  });
}

if (process.env.RUN_NOTEBOOKS === "1") {
  test.before(async () => {
    const { runNotebooks } = await import("../../tools/runner");
    const results = await runNotebooks(CHAPTERS.map((c) => join(ROOT, "notebooks", c.file)), { timeout: 120 });
    for (const r of results) console.log(`  ${r.notebook}: ${r.status} in ${r.seconds.toFixed(1)} s${r.failure ? ` — cell ${r.failure.cell}: ${r.failure.error.slice(0, 200)}` : ""}`);
  });
}

test.run();
