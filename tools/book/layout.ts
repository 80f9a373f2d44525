// The look of what the book adds (one stylesheet for chapter pages and its own
// pages) and the shell of the book's own pages (glossary, running the course).
import { bookEl, parsePage, type Doc } from "./dom";
import { searchScript } from "./search";
import { topBar } from "./nav";

export const BOOK_CSS = `
  .book-bar, .book-pager, .book-toc { max-width: 1100px; margin: 0.6em auto; padding: 0 1em; font: 14px/1.45 system-ui, sans-serif; }  /* lined up with the template's .interleave-nav */
  .book-bar { display: flex; flex-wrap: wrap; gap: 0.4em 1.2em; align-items: center; }
  .book-bar a, .book-pager a, .book-toc a, a.book-term { color: #1a5fb4; text-decoration: none; }
  .book-bar a:hover, .book-pager a:hover, .book-toc a:hover { text-decoration: underline; }
  a.book-term { border-bottom: 1px dotted #1a5fb4; }
  .book-search { position: relative; margin-left: auto; }
  .book-search input { font: inherit; width: 16em; padding: 0.25em 0.5em; border: 1px solid #bbb; border-radius: 4px; }
  .book-results { position: absolute; right: 0; z-index: 10; width: 26em; max-height: 60vh; overflow: auto; margin: 0.2em 0 0; padding: 0.3em 0; list-style: none; background: #fff; border: 1px solid #ccc; border-radius: 4px; box-shadow: 0 4px 14px rgba(0,0,0,.15); }
  .book-results[hidden] { display: none; }
  .book-results li { display: block; margin: 0; padding: 0; border: 0; }  /* not the host page's list look (the index's rows are a grid) */
  .book-results li a, .book-results li.book-none { display: block; padding: 0.3em 0.8em; }
  .book-results small { display: block; color: #777; }
  .book-pager { display: flex; justify-content: space-between; gap: 1em; }
  .book-pager-bottom { margin: 2em auto; padding-top: 0.8em; border-top: 1px solid #ddd; }
  .book-toc summary { cursor: pointer; font-weight: 600; }
  .book-toc ol { margin: 0.3em 0; padding-left: 1.4em; }
  .book-pitfalls { border-left: 4px solid #e5a50a; background: #fff8e1; padding: 0.2em 1em; border-radius: 3px; }
  .book-map td, .book-map th { text-align: left; }
  .book-summary { color: #555; display: block; font-size: 0.9em; }
  img.book-thumb { float: right; width: 150px; height: 84px; object-fit: contain; margin: 0.2em 0 0.2em 0.8em; border: 1px solid #ddd; border-radius: 3px; background: #fff; }
`;

export function bookStyle(doc: Doc) {
  const style = bookEl(doc, "style", {});
  style.textContent = BOOK_CSS;
  return style;
}

/** A page of the book's own: the course index's look, the top bar, `title`, then the content. */
export function bookPage(title: string): Doc {
  const doc = parsePage(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title></title>
<style>
  body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fafafa; margin: 0; }
  main { max-width: 820px; margin: 1.5em auto 3em; padding: 0 1.2em; }
  h1 { font-weight: 600; }
  a { color: #1a5fb4; }
  dt { font-weight: 600; margin-top: 1em; }
  dd { margin-left: 1.2em; } dd p { margin: 0.2em 0; }
  .book-used { color: #666; font-size: 0.9em; }
  table { border-collapse: collapse; } td, th { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  pre { background: #f0f0f0; padding: 0.6em 0.8em; border-radius: 4px; overflow: auto; }
</style>
</head>
<body><main><h1></h1></main></body>
</html>
`);
  doc.title = `interleave: ${title}`;
  doc.querySelector("h1")!.textContent = title;
  return doc;
}

/** Adds the book's stylesheet, top bar and search script to `doc` (any page). */
export function dressPage(doc: Doc): void {
  doc.head.append(bookStyle(doc), searchScript(doc));
  doc.body.prepend(topBar(doc));
}
