// Reading order and contents: prev/next follow the syllabus over the pages that
// exist, the first has no previous and the last no next; the table of contents
// lists the h2/h3 headings with anchors that exist, giving an id where one lacks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePage } from "../../tools/book/dom";
import { chapterPages, pager, tableOfContents } from "../../tools/book/nav";
import { chapterHtml, makeSite } from "./fixture-site";

const work = mkdtempSync(join(tmpdir(), "interleave-book-nav-"));
test.after(() => rmSync(work, { recursive: true, force: true }));

test("chapter pages: syllabus order, only those present", () => {
  const { site } = makeSite(work, ["04-mutexes", "01-introduction", "02-threads-and-processes"]);
  assert.equal(
    chapterPages(site).map((p) => p.href),
    ["01-introduction.html", "02-threads-and-processes.html", "04-mutexes.html"],
  );
});

test("prev/next: neighbours among present pages, none past the ends", () => {
  const pages = chapterPages(join(work, "site"));
  const links = (stem: string) => {
    const doc = parsePage("<!DOCTYPE html><html><body></body></html>");
    const nav = pager(doc, pages, stem, "top");
    return { prev: nav.querySelector("a[rel=prev]")?.getAttribute("href") ?? null, next: nav.querySelector("a[rel=next]")?.getAttribute("href") ?? null };
  };
  assert.equal(links("01-introduction"), { prev: null, next: "02-threads-and-processes.html" });
  assert.equal(links("02-threads-and-processes"), { prev: "01-introduction.html", next: "04-mutexes.html" }); // 03 is not built
  assert.equal(links("04-mutexes"), { prev: "02-threads-and-processes.html", next: null });
});

test("table of contents: h2 and nested h3, each anchor names a heading of the page", () => {
  const doc = parsePage(chapterHtml(4, "04-mutexes", "Mutexes"));
  const toc = tableOfContents(doc)!;
  const hrefs = [...toc.querySelectorAll("a")].map((a) => a.getAttribute("href")!);
  assert.equal(hrefs, ["#What-happens", "#A-closer-look", "#Deadlock-without-an-id", "#Summary", "#Exercises"]);
  for (const h of hrefs) assert.ok(doc.querySelector(`[id="${h.slice(1)}"]`), `${h} exists`);
  assert.ok(toc.querySelector("ol ol a[href='#A-closer-look']"), "h3 nested under its h2");
  assert.is(toc.querySelector("a")!.textContent, "What happens", "no ¶ in the entry");
});

test.run();
