// The search: a chapter's sections (one per h1/h2, markdown text and code source,
// never outputs), and search.js run as a browser would (in a vm context) finding
// each chapter's own word, a glossary term and a section title.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { finishBook } from "../../tools/book";
import { parsePage } from "../../tools/book/dom";
import { chapterSections } from "../../tools/book/search";
import { chapters } from "../../tools/syllabus";
import { chapterHtml, makeSite, plantedWord, stemOf } from "./fixture-site";

const work = mkdtempSync(join(tmpdir(), "interleave-book-search-"));
test.after(() => rmSync(work, { recursive: true, force: true }));

test("sections: one per h1/h2, with markdown and code, without outputs", () => {
  const docs = chapterSections(parsePage(chapterHtml(4, "04-mutexes", "Mutexes")), "04-mutexes.html", "4. Mutexes");
  assert.equal(
    docs.map((d) => d.title),
    ["Chapter 4 · Mutexes", "What happens", "Deadlock without an id", "Summary", "Exercises"],
  );
  const what = docs[1];
  assert.is(what.href, "04-mutexes.html#What-happens");
  assert.ok(what.text.includes("race condition") && what.text.includes("A closer look"), "markdown text, h3 included");
  assert.ok(what.text.includes("new Mutex()"), "code source");
  assert.not.ok(
    docs.some((d) => d.text.includes("chart of")),
    "no output text",
  );
});

test("search.js: the browser build with the index finds each chapter's word offline", () => {
  const { site, timings, readme } = makeSite(work);
  finishBook(site, { timings, readme });
  type Hit = { href: string; page: string; title: string };
  // A page with no search box: the script's box code finds nothing to bind.
  const page = { document: { readyState: "complete", querySelectorAll: () => [] } };
  const ctx = createContext(page) as { MiniSearch?: unknown; BOOK_SEARCH?: { options: object; index: string }; hits?: (q: string) => Hit[] };
  runInContext(readFileSync(join(site, "search.js"), "utf8"), ctx);
  runInContext(`hits = (q) => MiniSearch.loadJSON(BOOK_SEARCH.index, BOOK_SEARCH.options).search(q, { prefix: true })`, ctx);
  for (const c of chapters) {
    const stem = stemOf(c.file);
    const hits = ctx.hits!(plantedWord(stem));
    assert.ok(hits.length && hits[0].href.startsWith(`${stem}.html#`), `${plantedWord(stem)} → ${stem}: ${JSON.stringify(hits[0])}`);
  }
  assert.ok(
    ctx.hits!("semaphore").some((h) => h.href === "glossary.html#term-semaphore"),
    "a glossary term",
  );
  assert.ok(
    ctx.hits!("jupyterlab").some((h) => h.href === "running.html#jupyterlab"),
    "the running page",
  );
  assert.ok(
    ctx.hits!("threading.Thread").some((h) => h.href.endsWith("#book-python-to-node")),
    "the Python → Node tables",
  );
});

test.run();
