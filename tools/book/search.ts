// Search over every page of the notes, offline: the index is built here with
// MiniSearch and written, with MiniSearch's browser build and the box's script
// (search-ui.js), into one site/search.js that each page loads by a relative path.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import MiniSearch, { type Options } from "minisearch";
import { bookEl, headingText, type BookElement, type Doc } from "./dom";

export const SEARCH_SCRIPT = "search.js";

/** One searchable section of a page. */
export interface SearchDoc {
  id: string;
  /** The page's title (shown with each result). */
  page: string;
  /** Relative link: the page, with the section's fragment. */
  href: string;
  /** The section's heading. */
  title: string;
  text: string;
}

// The same options index here and load in the browser (MiniSearch.loadJSON needs them).
const INDEX_OPTIONS = { fields: ["title", "text"], storeFields: ["page", "href", "title"] } satisfies Options<SearchDoc>;

/** The search box of a page (search-ui.js brings it to life). */
export function searchBox(doc: Doc): BookElement {
  return bookEl(
    doc,
    "form",
    { class: "book-search", role: "search" },
    bookEl(doc, "input", { type: "search", placeholder: "Search the notes", "aria-label": "Search the notes", autocomplete: "off" }),
    bookEl(doc, "ol", { class: "book-results", hidden: "" }),
  );
}

/** The script tag that loads search.js (relative: works from file://). */
export function searchScript(doc: Doc): BookElement {
  return bookEl(doc, "script", { src: SEARCH_SCRIPT, defer: "" });
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * A chapter page's sections: one per h1/h2 heading, holding the text of the
 * markdown that follows it and the source of its code cells (not the outputs,
 * which change from run to run).
 */
export function chapterSections(doc: Doc, href: string, page: string): SearchDoc[] {
  const out: SearchDoc[] = [];
  let current: SearchDoc | null = null;
  const start = (h: BookElement) => {
    current = { id: `${href}#${h.id}`, page, href: h.id ? `${href}#${h.id}` : href, title: headingText(h), text: "" };
    out.push(current);
  };
  const add = (text: string) => {
    if (!current) {
      current = { id: href, page, href, title: page, text: "" };
      out.push(current);
    }
    current.text += ` ${squash(text)}`;
  };
  for (const cell of doc.querySelectorAll(".jp-Cell, .book-extras")) {
    if (cell.parentElement?.closest(".jp-Cell, .book-extras")) continue;
    if (cell.classList.contains("jp-CodeCell")) {
      const src = cell.querySelector(".jp-InputArea-editor, .jp-InputArea pre");
      if (src) add(src.textContent ?? "");
      continue;
    }
    const body = cell.querySelector(".jp-RenderedHTMLCommon") ?? cell;
    for (const child of body.children) {
      if (/^H[12]$/.test(child.tagName)) start(child);
      else add(child.textContent ?? "");
    }
  }
  return out.filter((d) => d.text.trim() || d.title).map((d) => ({ ...d, text: d.text.trim() }));
}

/** Builds the index over `docs` and writes `<siteDir>/search.js`; returns its path. */
export function writeSearch(siteDir: string, docs: SearchDoc[]): string {
  const index = new MiniSearch<SearchDoc>(INDEX_OPTIONS);
  const seen = new Set<string>();
  index.addAll(docs.filter((d) => !seen.has(d.id) && seen.add(d.id)));
  // The package exports only its module entries; the browser build sits beside them.
  const library = readFileSync(join(dirname(require.resolve("minisearch")), "..", "umd", "index.js"), "utf8");
  const ui = readFileSync(join(__dirname, "search-ui.js"), "utf8");
  const data = `var BOOK_SEARCH = { options: ${JSON.stringify(INDEX_OPTIONS)}, index: ${JSON.stringify(JSON.stringify(index))} };\n`;
  const path = join(siteDir, SEARCH_SCRIPT);
  writeFileSync(path, `// The notes' search: MiniSearch (MIT), its index of every page, and the search box.\n${library}\n;${data}${ui}`);
  return path;
}
