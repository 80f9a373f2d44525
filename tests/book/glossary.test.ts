// Glossary links: the first use of each term in the prose only (never in code,
// headings, links, outputs or what the book added), the longest term at one place,
// and a glossary whose terms are distinct, defined and reachable by id.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { glossary, termId } from "../../tools/book/content";
import { parsePage } from "../../tools/book/dom";
import { linkTerms } from "../../tools/book/glossary";
import { chapterHtml } from "./fixture-site";

const page = (body: string) =>
  parsePage(
    `<!DOCTYPE html><html><body><div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedHTMLCommon">${body}</div></div><div class="jp-OutputArea-output"><p>a thread in an output</p></div></body></html>`,
  );
const links = (html: string) => {
  const doc = page(html);
  linkTerms(doc);
  return [...doc.querySelectorAll("a.book-term")].map((a) => a.textContent);
};

test("each term once per page, at its first use in prose", () => {
  const doc = parsePage(chapterHtml(4, "04-mutexes", "Mutexes"));
  const linked = linkTerms(doc);
  const terms = [...doc.querySelectorAll("a.book-term")];
  const hrefs = terms.map((a) => a.getAttribute("href"));
  assert.is(new Set(hrefs).size, hrefs.length, "no term linked twice");
  assert.is(linked.size, terms.length);
  const mutex = terms.find((a) => a.getAttribute("href") === "glossary.html#term-mutex")!;
  assert.is(mutex.closest("p")!.textContent!.includes("guards it"), true, "the first mutex, in the first paragraph");
  for (const a of terms) assert.not.ok(a.closest("h1, h2, h3, code, pre, .jp-OutputArea-output"), `${a.textContent} in a heading, code or output`);
});

test("not inside code, headings, links, the book's own parts or outputs", () => {
  assert.equal(links("<h2>Mutex</h2><p><code>mutex</code> <a href='x'>mutex</a> <span data-book>mutex</span></p>"), []);
  assert.equal(links("<p>the mutex</p>"), ["mutex"]);
  assert.equal(links("<p>nothing here</p>"), [], "the output's thread is not linked");
});

test("longest form wins at one place; whole words only; text around kept", () => {
  assert.equal(links("<p>A race condition.</p>"), ["race condition"]);
  assert.equal(links("<p>A process pool.</p>"), ["process pool"]);
  assert.equal(links("<p>deadlocked threads</p>"), ["deadlocked", "threads"]);
  assert.equal(links("<p>the mutexes' unlockable trace</p>"), ["mutexes"], "no 'lock' inside unlockable, no 'race' inside trace");
  const doc = page("<p>Use a barrier, then <em>a semaphore</em>.</p>");
  linkTerms(doc);
  assert.is(doc.querySelector("p")!.textContent, "Use a barrier, then a semaphore.");
  assert.is(doc.querySelectorAll("a.book-term").length, 2);
});

test("glossary: distinct terms and ids, each defined, no form in two terms", () => {
  const ids = glossary.map(termId);
  assert.is(new Set(ids).size, ids.length);
  const forms = glossary.flatMap((t) => t.forms.map((f) => f.toLowerCase()));
  assert.is(new Set(forms).size, forms.length, "a form belongs to one term");
  for (const t of glossary) {
    assert.ok(t.definition.length > 30 && t.definition.length < 400, `${t.term}: a short definition`);
    assert.ok(t.forms.length > 0, `${t.term} has forms`);
  }
  for (const required of [
    "Thread",
    "Process",
    "Race condition",
    "Mutex",
    "Condition variable",
    "Barrier",
    "Semaphore",
    "Wait group",
    "Deadlock",
    "Speedup",
    "Efficiency",
    "Amdahl's law",
    "Atomic operation",
    "Memory model",
    "Pipeline",
    "Pool",
  ]) {
    assert.ok(
      glossary.some((t) => t.term === required),
      `${required} is in the glossary`,
    );
  }
});

test.run();
