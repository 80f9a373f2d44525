// The book step of the notes build: over the exported pages in a site folder, adds
// reading order, tables of contents, the chapter extras, glossary links, the
// glossary and "Running the course" pages, the index's summaries and pictures, and
// the offline search. Idempotent: a page finished twice is the page finished once.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readTimings } from "../runner";
import { buildDir, repoRoot } from "../paths";
import { chapterExtras, type GlossaryTerm } from "./content";
import { clearBook, headingText, parsePage, serialize, type Doc } from "./dom";
import { addExtras } from "./extras";
import { glossaryBody, glossarySearchDocs, linkTerms, type TermUse } from "./glossary";
import { finishIndex, firstChart, type HomeEntry } from "./home";
import { bookPage, bookStyle, dressPage } from "./layout";
import { GLOSSARY_PAGE, RUNNING_PAGE, chapterPages, pager, tableOfContents, topBar, type ChapterPage } from "./nav";
import { runningPage } from "./running";
import { chapterSections, searchScript, writeSearch, type SearchDoc } from "./search";

export { GLOSSARY_PAGE, RUNNING_PAGE } from "./nav";

export interface BookOptions {
  /** The build's timings file (for "Running the course"); default .build/timings.json. */
  timings?: string;
  /** The README whose "Two commands" block is the set-up; default the project's. */
  readme?: string;
}

export interface BookResult {
  chapters: string[];
  glossary: string;
  running: string;
  search: string;
}

/** Finishes one exported notebook page; `pages` (the chapters) when it is a chapter, for its pager. */
function finishPage(doc: Doc, stem: string, pages: ChapterPage[] | null): Map<GlossaryTerm, string> {
  clearBook(doc);
  const extras = pages ? chapterExtras[stem] : undefined;
  if (extras) addExtras(doc, extras);
  const linked = linkTerms(doc);
  const toc = tableOfContents(doc);
  doc.head.append(bookStyle(doc), searchScript(doc));
  const top = [topBar(doc), ...(pages ? [pager(doc, pages, stem, "top")] : []), ...(toc ? [toc] : [])];
  const schoolNav = doc.querySelector("nav.interleave-nav");
  if (schoolNav) schoolNav.after(...top);
  else doc.body.prepend(...top);
  if (pages) doc.body.append(pager(doc, pages, stem, "bottom"));
  return linked;
}

/** Other notebook pages in the folder (not in the syllabus, e.g. a test's notebook): no pager, no extras. */
function otherPages(siteDir: string, chapters: ChapterPage[]): string[] {
  const taken = new Set(["index.html", GLOSSARY_PAGE, RUNNING_PAGE, ...chapters.map((c) => c.href)]);
  return readdirSync(siteDir)
    .filter((f) => f.endsWith(".html") && !taken.has(f))
    .sort();
}

/**
 * Finishes the notes in `siteDir`: the chapter pages there (whichever were built),
 * other exported notebook pages (bar, contents, glossary links, search; no pager),
 * the index, and the book's own pages and search script.
 */
export function finishBook(siteDir: string, opts: BookOptions = {}): BookResult {
  const pages = chapterPages(siteDir);
  const searchDocs: SearchDoc[] = [];
  const uses = new Map<GlossaryTerm, (TermUse & { id: string })[]>();
  const home: HomeEntry[] = [];
  const finish = (href: string, chapter: ChapterPage | null) => {
    const file = join(siteDir, href);
    const doc = parsePage(readFileSync(file, "utf8"));
    if (!doc.querySelector("body.jp-Notebook")) return; // not an exported notebook
    const stem = href.replace(/\.html$/, "");
    const linked = finishPage(doc, stem, chapter ? pages : null);
    const h1 = doc.querySelector("h1");
    const title = chapter ? `${chapter.number}. ${chapter.title}` : (h1 && headingText(h1)) || stem;
    for (const [term, id] of linked) uses.set(term, [...(uses.get(term) ?? []), { href, chapter: title, id }]);
    searchDocs.push(...chapterSections(doc, href, title));
    home.push({ href, title, summary: chapter ? chapterExtras[stem]?.summary : undefined, svg: firstChart(doc) });
    writeFileSync(file, serialize(doc));
  };
  for (const p of pages) finish(p.href, p);
  for (const href of otherPages(siteDir, pages)) finish(href, null);

  const glossary = (() => {
    const doc = bookPage("Glossary");
    doc.querySelector("main")!.append(glossaryBody(doc, uses));
    dressPage(doc);
    const path = join(siteDir, GLOSSARY_PAGE);
    writeFileSync(path, serialize(doc));
    return path;
  })();
  searchDocs.push(...glossarySearchDocs());

  const running = runningPage(readTimings(opts.timings ?? join(buildDir, "timings.json")), opts.readme ?? join(repoRoot, "README.md"), pages);
  dressPage(running.doc);
  const runningFile = join(siteDir, RUNNING_PAGE);
  writeFileSync(runningFile, serialize(running.doc));
  searchDocs.push(...running.search);

  const indexFile = join(siteDir, "index.html");
  if (existsSync(indexFile)) {
    const doc = parsePage(readFileSync(indexFile, "utf8"));
    clearBook(doc);
    finishIndex(doc, home);
    dressPage(doc);
    writeFileSync(indexFile, serialize(doc));
  }

  const search = writeSearch(siteDir, searchDocs);
  return { chapters: pages.map((p) => join(siteDir, p.href)), glossary, running: runningFile, search };
}
