// Reading order: previous / next links in syllabus order (tools/syllabus.ts), the
// book's own pages, and each chapter's table of contents from its h2/h3 headings.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chapters } from "../syllabus";
import { bookEl, headingText, slug, type BookElement, type Doc } from "./dom";
import { searchBox } from "./search";

export interface ChapterPage {
  number: number;
  stem: string;
  title: string;
  /** The page's file name in the site folder. */
  href: string;
}

export const GLOSSARY_PAGE = "glossary.html";
export const RUNNING_PAGE = "running.html";

/** The syllabus chapters whose page is in `siteDir`, in order. */
export function chapterPages(siteDir: string): ChapterPage[] {
  return chapters
    .map((c) => ({ number: c.number, stem: c.file.replace(/\.ipynb$/, ""), title: c.title }))
    .map((c) => ({ ...c, href: `${c.stem}.html` }))
    .filter((c) => existsSync(join(siteDir, c.href)));
}

function link(doc: Doc, href: string, text: string, rel?: string, cls?: string): BookElement {
  const a = doc.createElement("a");
  a.setAttribute("href", href);
  if (rel) a.setAttribute("rel", rel);
  if (cls) a.setAttribute("class", cls);
  a.textContent = text;
  return a;
}

/** The bar at the top of every page: index, glossary, running the course, search. */
export function topBar(doc: Doc): BookElement {
  return bookEl(
    doc,
    "nav",
    { class: "book-bar", "aria-label": "Course" },
    link(doc, "index.html", "Course index"),
    link(doc, GLOSSARY_PAGE, "Glossary"),
    link(doc, RUNNING_PAGE, "Running the course"),
    searchBox(doc),
  );
}

/** Previous / next chapter links (only to pages that exist). */
export function pager(doc: Doc, pages: ChapterPage[], stem: string, where: "top" | "bottom"): BookElement {
  const i = pages.findIndex((p) => p.stem === stem);
  const prev = i > 0 ? pages[i - 1] : undefined;
  const next = i >= 0 && i < pages.length - 1 ? pages[i + 1] : undefined;
  return bookEl(
    doc,
    "nav",
    { class: `book-pager book-pager-${where}`, "aria-label": "Chapters" },
    prev ? link(doc, prev.href, `← ${prev.number}. ${prev.title}`, "prev", "book-prev") : bookEl(doc, "span"),
    next ? link(doc, next.href, `${next.number}. ${next.title} →`, "next", "book-next") : bookEl(doc, "span"),
  );
}

/** The table of contents of the page's h2/h3 headings; gives an id to a heading that has none. */
export function tableOfContents(doc: Doc): BookElement | null {
  const headings = [...doc.querySelectorAll("h2, h3")].filter((h) => !h.closest("svg, .jp-OutputArea"));
  if (!headings.length) return null;
  const top = bookEl(doc, "ol");
  let sub: BookElement | null = null;
  const taken = new Set([...doc.querySelectorAll("[id]")].map((e) => e.id));
  for (const h of headings) {
    if (!h.id) {
      let id = slug(headingText(h));
      for (let k = 2; taken.has(id); k++) id = `${slug(headingText(h))}-${k}`;
      h.id = id;
      taken.add(id);
    }
    const item = bookEl(doc, "li", {}, link(doc, `#${h.id}`, headingText(h)));
    if (h.tagName === "H3" && top.lastElementChild) {
      if (!sub || sub.parentNode !== top.lastElementChild) {
        sub = bookEl(doc, "ol");
        top.lastElementChild.append(sub);
      }
      sub.append(item);
    } else {
      top.append(item);
    }
  }
  return bookEl(doc, "details", { class: "book-toc", open: "" }, bookEl(doc, "summary", {}, "Contents"), top);
}
