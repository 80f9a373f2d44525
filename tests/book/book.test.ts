// finishBook over a fixture site: every page gets the bar, the pager, the contents,
// the extras and glossary links; the index its summaries and inline thumbnails; the
// glossary and running pages are written; a second run changes nothing; and no
// page the book touched names anything outside the site folder.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finishBook } from "../../tools/book";
import { chapterExtras, glossary, termId } from "../../tools/book/content";
import { parsePage } from "../../tools/book/dom";
import { setupCommands } from "../../tools/book/running";
import { chapterHtml, makeSite } from "./fixture-site";

const work = mkdtempSync(join(tmpdir(), "interleave-book-"));
test.after(() => rmSync(work, { recursive: true, force: true }));
const { site, timings, readme } = makeSite(work, ["01-introduction", "02-threads-and-processes", "04-mutexes"]);
// A notebook page outside the syllabus (as a test's notebook), and a page that is no notebook.
writeFileSync(join(site, "extra.html"), chapterHtml(99, "extra", "An extra notebook").replace("extraword", "outsideword"));
writeFileSync(join(site, "plain.html"), "<!DOCTYPE html><html><body><p>A thread.</p></body></html>");
const read = (name: string) => parsePage(readFileSync(join(site, name), "utf8"));
const snapshot = () => Object.fromEntries(readdirSync(site).map((f) => [f, readFileSync(join(site, f), "utf8")]));
let first: Record<string, string>;

test("writes the glossary, running page and search script", () => {
  const r = finishBook(site, { timings, readme });
  assert.equal(r.chapters.length, 3);
  for (const f of ["glossary.html", "running.html", "search.js"]) assert.ok(existsSync(join(site, f)), f);
  first = snapshot();
});

test("a second run changes nothing (pages finished twice are finished once)", () => {
  finishBook(site, { timings, readme });
  const again = snapshot();
  for (const f of Object.keys(first)) assert.ok(again[f] === first[f], `${f} unchanged`);
});

test("chapter page: bar, pager, contents, extras before the summary, glossary links", () => {
  const doc = read("02-threads-and-processes.html");
  assert.ok(doc.querySelector(".book-bar form.book-search input[type=search]"), "search box");
  assert.ok(doc.querySelector('script[src="search.js"]'), "search script, relative");
  assert.is(doc.querySelectorAll(".book-pager").length, 2, "pager at top and bottom");
  assert.is(doc.querySelector(".book-pager-top a[rel=prev]")!.getAttribute("href"), "01-introduction.html");
  assert.is(doc.querySelector(".book-pager-bottom a[rel=next]")!.getAttribute("href"), "04-mutexes.html");
  const toc = [...doc.querySelectorAll(".book-toc a")].map((a) => a.getAttribute("href"));
  assert.ok(toc.includes("#book-python-to-node") && toc.includes("#book-pitfalls") && toc.includes("#Summary"), toc.join(" "));
  const extras = doc.querySelector(".book-extras")!;
  assert.ok(extras.nextElementSibling?.querySelector("#Summary"), "extras right before the summary");
  assert.ok(extras.textContent!.includes("threading.Thread") && extras.textContent!.includes("threads.spawn"));
  assert.is(doc.querySelectorAll(".book-pitfalls li").length, chapterExtras["02-threads-and-processes"].pitfalls.length);
  const terms = [...doc.querySelectorAll("a.book-term")].map((a) => a.getAttribute("href")!);
  assert.ok(terms.includes("glossary.html#term-thread") && terms.includes("glossary.html#term-race-condition"), terms.join(" "));
  assert.is(doc.querySelectorAll(".interleave-nav").length, 1, "the template's own nav kept, once");
});

test("a notebook page outside the syllabus: bar, contents, glossary links, no pager; other pages untouched", () => {
  const doc = read("extra.html");
  assert.ok(doc.querySelector(".book-bar .book-search") && doc.querySelector(".book-toc") && doc.querySelector("a.book-term"));
  assert.not.ok(doc.querySelector(".book-pager, .book-extras"));
  assert.is(readFileSync(join(site, "plain.html"), "utf8"), "<!DOCTYPE html><html><body><p>A thread.</p></body></html>");
  assert.not.ok(read("02-threads-and-processes.html").querySelector('a[href="extra.html"]'), "not in the chapters' reading order");
});

test("index: each chapter's summary and an inline picture of its first chart", () => {
  const doc = read("index.html");
  for (const stem of ["01-introduction", "02-threads-and-processes", "04-mutexes"]) {
    const li = doc.querySelector(`a[href="${stem}.html"]`)!.closest("li")!;
    assert.ok(li.textContent!.includes(chapterExtras[stem].summary), `${stem} summary`);
    const src = li.querySelector("img.book-thumb")!.getAttribute("src")!;
    assert.ok(src.startsWith("data:image/svg+xml;base64,"), "inline");
    assert.ok(Buffer.from(src.split(",")[1], "base64").toString().includes(`chart of ${stem}`), "its own chart");
  }
});

test("glossary page: every term with its id, chapters linked to the first use", () => {
  const doc = read("glossary.html");
  for (const t of glossary) assert.ok(doc.querySelector(`dt[id="${termId(t)}"]`), t.term);
  const used = [...doc.querySelectorAll(`dt[id="term-mutex"] + dd .book-used a`)].map((a) => a.getAttribute("href"));
  assert.equal(used, [
    "01-introduction.html#use-term-mutex",
    "02-threads-and-processes.html#use-term-mutex",
    "04-mutexes.html#use-term-mutex",
    "extra.html#use-term-mutex",
  ]);
  assert.ok(read("04-mutexes.html").querySelector("a#use-term-mutex.book-term"), "the target exists");
});

test("running page: the README's commands, npm run lab, the latest build's timings", () => {
  const text = read("running.html").querySelector("main")!.textContent!;
  assert.ok(text.includes("bash scripts/setup.sh && npm run notes") && text.includes("npm test"));
  assert.ok(text.includes("npm run lab"));
  for (const s of ["19.8 s", "23.5 s", "3.25 / 4.50", "42 %", "12.3 s", "7.5 s"]) assert.ok(text.includes(s), `shows ${s}`);
  assert.not.ok(text.includes("55.0 s"), "not an older build's figures");
  assert.ok(text.includes("The latest build of the whole course (2026-12-04) took 111.5 s"), "and the latest whole build's total");
  assert.is(setupCommands(join(work, "no-readme.md")), "bash scripts/setup.sh && npm run notes\nnpm test", "fallback");
});

test("offline: every link and source the pages hold is relative, a fragment or data:", () => {
  for (const f of readdirSync(site).filter((n) => n.endsWith(".html"))) {
    const doc = read(f);
    for (const e of doc.querySelectorAll("[href], [src]")) {
      const url = e.getAttribute("href") ?? e.getAttribute("src")!;
      if (e.closest(".jp-RenderedHTMLCommon a[href^='https://example.org']")) continue; // the fixture's own outside link
      assert.ok(!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url) || url.startsWith("data:"), `${f}: ${url}`);
    }
  }
});

test.run();
