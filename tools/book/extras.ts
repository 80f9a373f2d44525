// Per chapter: the Python → Node table and the pitfalls box, placed before the
// chapter's Summary (or Exercises) section, styled as one more markdown cell.
import type { ChapterExtras } from "./content";
import { bookEl, el, headingText, type BookElement, type Doc } from "./dom";

function section(doc: Doc, extras: ChapterExtras): BookElement {
  const rows = extras.pythonToNode.map((m) =>
    el(doc, "tr", {}, el(doc, "td", {}, el(doc, "code", {}, m.python)), el(doc, "td", {}, el(doc, "code", {}, m.node)), el(doc, "td", {}, m.note ?? "")),
  );
  const table = el(
    doc,
    "table",
    { class: "book-map" },
    el(doc, "thead", {}, el(doc, "tr", {}, el(doc, "th", {}, "Python"), el(doc, "th", {}, "Here (kernel-helpers)"), el(doc, "th", {}, ""))),
    el(doc, "tbody", {}, ...rows),
  );
  const pitfalls = el(
    doc,
    "aside",
    { class: "book-pitfalls" },
    el(doc, "h2", { id: "book-pitfalls" }, "Pitfalls"),
    el(doc, "ul", {}, ...extras.pitfalls.map((p) => el(doc, "li", {}, p))),
  );
  return bookEl(
    doc,
    "div",
    { class: "jp-Cell jp-MarkdownCell jp-Notebook-cell book-extras" },
    // nbconvert's markdown cell layout, so the section lines up with the chapter's own cells.
    el(
      doc,
      "div",
      { class: "jp-Cell-inputWrapper" },
      el(
        doc,
        "div",
        { class: "jp-InputArea jp-Cell-inputArea" },
        el(doc, "div", { class: "jp-InputPrompt jp-InputArea-prompt" }),
        el(
          doc,
          "div",
          { class: "jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput", "data-mime-type": "text/markdown" },
          el(doc, "h2", { id: "book-python-to-node" }, "From Python to Node"),
          table,
          pitfalls,
        ),
      ),
    ),
  );
}

/** Inserts the chapter's extras before its Summary section, else before Exercises, else at the end. */
export function addExtras(doc: Doc, extras: ChapterExtras): void {
  const node = section(doc, extras);
  const h2s = [...doc.querySelectorAll(".jp-MarkdownCell h2")];
  const at = ["summary", "exercises"].map((name) => h2s.find((h) => headingText(h).toLowerCase().startsWith(name))).find(Boolean);
  const cell = at?.closest(".jp-Cell");
  if (cell) cell.before(node);
  else (doc.querySelector("main") ?? doc.body).append(node);
}
