// Every chapter notebook has the shape the course promises: a title, what the reader
// will learn, one section per syllabus lecture (titles as in SYLLABUS.md, in order; a
// chapter may add sections of its own between them), then a summary, 2–5 things to try,
// and the quiz and checked exercises (tools/exercise-cells.ts); committed without outputs; no LaTeX (the notes load
// no MathJax); and it uses the course library. Running them is course-notes.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { notebooksDir } from "../../tools/paths";
import { CHAPTERS, joined, type Notebook } from "./chapters";

for (const ch of CHAPTERS) {
  test(`${ch.file}: structure`, () => {
    const path = join(notebooksDir, ch.file);
    assert.ok(existsSync(path), `${path} is missing`);
    const nb = JSON.parse(readFileSync(path, "utf8")) as Notebook;
    assert.is(nb.nbformat, 4);
    assert.is(nb.metadata.kernelspec?.name, "tslab");
    const md = nb.cells
      .filter((c) => c.cell_type === "markdown")
      .map((c) => joined(c.source))
      .join("\n\n");
    assert.ok(md.startsWith(`# Chapter ${ch.number} · `), "starts with the chapter title");
    assert.ok(md.includes("**You will learn**"), "says what the reader will learn");
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim());
    const lectures = headings.filter((h) => ch.lectures.includes(h));
    assert.equal(lectures, ch.lectures, "one section per lecture, in order");
    assert.is(headings.indexOf(ch.lectures[0]), 0, "the first lecture's section comes first");
    assert.equal(headings.slice(-3), ["Summary", "Try it yourself", "Quiz and exercises"], "then a summary, things to try, the quiz and exercises");
    const tryIt = md.slice(md.indexOf("## Try it yourself"), md.indexOf("## Quiz and exercises"));
    const items = tryIt.match(/^\d+\. /gm) ?? [];
    assert.ok(items.length >= 2 && items.length <= 5, `2–5 things to try, found ${items.length}`);
    assert.not.ok(/\$\$|\\\(|\\\[|\$[^${}`\s][^$`]*\$/.test(md), "no LaTeX");
    for (const c of nb.cells) if (c.cell_type === "code") assert.equal(c.outputs ?? [], [], "committed without outputs");
    const code = nb.cells
      .filter((c) => c.cell_type === "code")
      .map((c) => joined(c.source))
      .join("\n");
    assert.ok(code.includes('from "kernel-helpers"'), "uses the course library");
  });
}

test.run();
