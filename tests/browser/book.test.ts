// The finished notes (tools/book) in Chromium, offline from file://: every page
// loads with no console error and no request outside the site folder; every link
// the book added (bar, pager, contents, glossary, used-in) leads to a page and an
// id that exist; prev/next and a glossary link work when clicked; the search box
// finds a term of each chapter on every page; every quiz answer is closed until its
// summary is clicked, then shows. Built from the fixture site of
// tests/book (fast, no kernel); BOOK_SITE=<folder> checks a finished site instead
// (copy one first: the check only reads it).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { finishBook } from "../../tools/book";
import { chapterPages, type ChapterPage } from "../../tools/book/nav";
import { makeSite, plantedWord, quizAnswer } from "../book/fixture-site";
import { insideFolder, launch, shot, watch } from "./browser";

const work = mkdtempSync(join(tmpdir(), "interleave-browser-book-"));
let site = process.env.BOOK_SITE ? resolve(process.env.BOOK_SITE) : "";
let browser: Browser | undefined;
let chapters: ChapterPage[] = [];
const idsOf = new Map<string, Set<string>>();

test.before(async () => {
  if (!site) {
    const made = makeSite(work);
    site = made.site;
    finishBook(site, { timings: made.timings, readme: made.readme });
  }
  chapters = chapterPages(site);
  browser = await launch();
});

test.after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

async function open(name: string, run: (p: Page) => Promise<void>): Promise<void> {
  const p = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const w = await watch(p, insideFolder(site));
    await p.goto(pathToFileURL(join(site, name)).href, { waitUntil: "load" });
    await run(p);
    assert.equal(w.refused, [], `${name}: requests that left the site folder`);
    assert.equal(w.errors, [], `${name}: console errors`);
  } finally {
    await p.close();
  }
}

const pages = () => ["index.html", "glossary.html", "running.html", ...chapters.map((c) => c.href)];

const LINKS = ".book-bar a, .book-pager a, .book-toc a, a.book-term, .book-used a";
const linksOf = new Map<string, string[]>();

test("every page loads offline with no console error and the search script", async () => {
  assert.ok(chapters.length >= 2, "chapter pages to check");
  for (const name of pages()) {
    await open(name, async (p) => {
      assert.ok(await p.evaluate(() => typeof (globalThis as { MiniSearch?: unknown }).MiniSearch === "function"), `${name}: search.js loaded`);
      idsOf.set(name, new Set(await p.$$eval("[id]", (es) => es.map((e) => e.id))));
      linksOf.set(name, await p.$$eval(LINKS, (as) => as.map((a) => (a as unknown as { href: string }).href)));
    });
  }
});

test("every link the book added resolves to a page and an id that exist", () => {
  let checked = 0;
  for (const [name, hrefs] of linksOf) {
    for (const href of hrefs) {
      const url = new URL(href);
      assert.is(url.protocol, "file:", `${name}: ${href}`);
      const file = fileURLToPath(url);
      assert.ok(existsSync(file), `${name}: ${href} names a page that exists`);
      if (url.hash) {
        const target = file.slice(site.length + 1);
        const ids = idsOf.get(target);
        assert.ok(ids?.has(decodeURIComponent(url.hash.slice(1))) || ids?.has(url.hash.slice(1)), `${name}: ${href} names an id of ${target}`);
      }
      checked++;
    }
  }
  assert.ok(checked > chapters.length * 4, `links checked: ${checked}`);
});

test("prev, next and a glossary link work when clicked", async () => {
  const [a, b] = chapters;
  await open(a.href, async (p) => {
    await p.click(".book-pager-bottom a[rel=next]");
    await p.waitForURL((u) => u.pathname.endsWith(`/${b.href}`));
    await p.click(".book-pager-top a[rel=prev]");
    await p.waitForURL((u) => u.pathname.endsWith(`/${a.href}`));
    const term = p.locator("a.book-term").first();
    const href = (await term.getAttribute("href"))!;
    await term.click();
    await p.waitForURL((u) => u.pathname.endsWith("/glossary.html"));
    assert.ok(await p.locator(`[id="${href.split("#")[1]}"]`).isVisible(), `${href} shows its entry`);
  });
});

/** A query that should find the chapter: the fixture's planted word, else the chapter's title. */
async function queryFor(c: ChapterPage): Promise<string> {
  return process.env.BOOK_SITE ? c.title.replace(/[^\p{L}\p{N}' ]+/gu, " ") : plantedWord(c.stem);
}

test("the search box finds a term of each chapter, from every kind of page", async () => {
  const from = ["index.html", "glossary.html", "running.html", chapters[chapters.length - 1].href];
  for (const [i, c] of chapters.entries()) {
    const page = from[i % from.length];
    await open(page, async (p) => {
      const q = await queryFor(c);
      await p.fill(".book-bar input[type=search]", q);
      const results = p.locator(".book-bar .book-results a");
      await results.first().waitFor({ timeout: 5000 });
      const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      assert.ok(
        hrefs.some((h) => h.split("#")[0] === c.href),
        `"${q}" from ${page} finds ${c.href}: ${hrefs.join(" ")}`,
      );
      if (i === 0) await p.screenshot({ path: shot("book-search.png") });
      await results.nth(hrefs.findIndex((h) => h.split("#")[0] === c.href)).click();
      await p.waitForURL((u) => u.pathname.endsWith(`/${c.href}`));
    });
  }
});

/**
 * Wraps what follows the summary in each quiz's Answer block in a div.test-answer and says how many
 * blocks there are: nbconvert leaves the answer as bare text, and Playwright asks an element whether it shows.
 */
function probeAnswers(p: Page): Promise<number> {
  return p.$$eval("details", (blocks) => {
    let n = 0;
    for (const block of blocks) {
      const summary = block.querySelector(":scope > summary");
      if (summary?.textContent?.trim() !== "Answer") continue;
      const probe = block.ownerDocument.createElement("div");
      probe.className = "test-answer";
      probe.append(...[...block.childNodes].filter((node) => node !== summary));
      block.append(probe);
      n++;
    }
    return n;
  });
}

test("every quiz answer on every chapter page is closed at first and shows when its summary is clicked", async () => {
  for (const c of chapters) {
    await open(c.href, async (p) => {
      const count = await probeAnswers(p);
      assert.ok(count >= 3, `${c.href}: ${count} quiz answers (3 to 5 questions a chapter)`);
      for (let i = 0; i < count; i++) {
        const where = `${c.href}, answer ${i + 1}`;
        const block = p.locator("details:has(> div.test-answer)").nth(i);
        const answer = block.locator(":scope > div.test-answer");
        assert.not.ok(await block.evaluate((d) => (d as unknown as { open: boolean }).open), `${where}: closed at first`);
        assert.not.ok(await answer.isVisible(), `${where}: the answer is hidden at first`);
        await block.locator(":scope > summary").click();
        assert.ok(await answer.isVisible(), `${where}: the answer shows once its summary is clicked`);
        const text = ((await answer.textContent()) ?? "").trim();
        if (process.env.BOOK_SITE) assert.match(text, /^\**[a-e]\**\s*:\s*\S/, `${where}: the answer names an option and says why`);
        else assert.is(text, quizAnswer(c.stem, i + 1), where);
      }
      if (c === chapters[0])
        await p
          .locator("details:has(> div.test-answer)")
          .first()
          .screenshot({ path: shot("book-quiz-open.png") });
    });
  }
});

test("screenshots of the index and a chapter", async () => {
  for (const name of ["index.html", chapters[1].href, "glossary.html", "running.html"]) {
    await open(name, async (p) => {
      await p.screenshot({ path: shot(`book-${name.replace(/\.html$/, "")}.png`) });
    });
  }
  assert.ok(readdirSync(site).includes("search.js"));
});

test.run();
