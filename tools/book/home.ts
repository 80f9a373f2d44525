// The course index, finished: under each chapter's title its one-line summary and
// a small picture from its run (the page's first chart, as an inline data: image).
import { bookEl, type BookElement, type Doc } from "./dom";

/** Charts above this size are skipped for the thumbnail (an index page should stay light). */
const MAX_SVG_BYTES = 200_000;

/** The page's first output chart that is small enough, as SVG text; null when none. */
export function firstChart(doc: Doc): string | null {
  for (const svg of doc.querySelectorAll(".jp-OutputArea-output svg")) {
    if (svg.parentElement?.closest("svg")) continue;
    const text = svg.outerHTML;
    if (text.length > MAX_SVG_BYTES) continue;
    return text.includes("xmlns=") ? text : text.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  }
  return null;
}

export interface HomeEntry {
  href: string;
  title: string;
  summary?: string;
  svg?: string | null;
}

/** Adds summary and thumbnail to each index line that links to one of `entries`. */
export function finishIndex(doc: Doc, entries: HomeEntry[]): void {
  for (const e of entries) {
    const a = [...doc.querySelectorAll("a[href]")].find((x) => x.getAttribute("href") === e.href && !x.closest("[data-book]"));
    if (!a) continue;
    const add: BookElement[] = [];
    if (e.summary) add.push(bookEl(doc, "span", { class: "book-summary" }, e.summary));
    if (e.svg) {
      const src = `data:image/svg+xml;base64,${Buffer.from(e.svg).toString("base64")}`;
      add.push(bookEl(doc, "img", { class: "book-thumb", src, alt: `A chart from ${e.title}`, loading: "lazy" }));
    }
    a.after(...add);
  }
}
