// The DOM the book step works on (linkedom: a light, standards-shaped DOM for Node),
// and how it marks what it adds so that finishing a page twice gives the same page.
import { parseHTML } from "linkedom";

// The project type-checks without the DOM library (lib: ES2023), and linkedom's own
// types lean on it; these are the few members the book uses, as linkedom has them.
export interface BookNode {
  readonly nodeType: number;
  readonly parentNode: BookElement | null;
  readonly parentElement: BookElement | null;
  readonly previousSibling: BookNode | null;
  readonly nextSibling: BookNode | null;
  readonly childNodes: ArrayLike<BookNode> & Iterable<BookNode>;
  textContent: string | null;
  remove(): void;
}
export interface BookText extends BookNode {
  data: string;
}
export interface BookElement extends BookNode {
  readonly tagName: string;
  id: string;
  readonly classList: { contains(c: string): boolean; add(...c: string[]): void };
  readonly children: ArrayLike<BookElement> & Iterable<BookElement>;
  readonly firstElementChild: BookElement | null;
  readonly lastElementChild: BookElement | null;
  readonly nextElementSibling: BookElement | null;
  readonly outerHTML: string;
  innerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  append(...nodes: (BookNode | string)[]): void;
  prepend(...nodes: (BookNode | string)[]): void;
  before(...nodes: (BookNode | string)[]): void;
  after(...nodes: (BookNode | string)[]): void;
  replaceChild(node: BookNode, old: BookNode): void;
  insertBefore(node: BookNode, ref: BookNode | null): void;
  closest(selector: string): BookElement | null;
  querySelector(selector: string): BookElement | null;
  querySelectorAll(selector: string): ArrayLike<BookElement> & Iterable<BookElement>;
}
export interface Doc {
  readonly head: BookElement;
  readonly body: BookElement;
  readonly documentElement: BookElement;
  title: string;
  createElement(tag: string): BookElement;
  createTextNode(text: string): BookText;
  querySelector(selector: string): BookElement | null;
  querySelectorAll(selector: string): ArrayLike<BookElement> & Iterable<BookElement>;
  toString(): string;
}

/** Every element the book adds carries this attribute; the next run removes them first. */
export const BOOK_ATTR = "data-book";
/** Glossary links inside the chapter's text (unwrapped, not removed, on the next run). */
export const TERM_CLASS = "book-term";

export function parsePage(html: string): Doc {
  return (parseHTML(html) as unknown as { document: Doc }).document;
}

export function serialize(doc: Doc): string {
  return doc.toString();
}

type Child = BookNode | string | null | undefined | false;

/** `<tag attrs…>children</tag>`; strings become text (never parsed as HTML). */
export function el(doc: Doc, tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): BookElement {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(typeof c === "string" ? doc.createTextNode(c) : c);
  return e;
}

/** Like el, marked as the book's own (removed by clearBook). */
export function bookEl(doc: Doc, tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): BookElement {
  return el(doc, tag, { ...attrs, [BOOK_ATTR]: "" }, ...children);
}

/** Removes what an earlier run added: the marked elements, and the glossary links (their text stays). */
export function clearBook(doc: Doc): void {
  for (const e of [...doc.querySelectorAll(`[${BOOK_ATTR}]`)]) e.remove();
  for (const a of [...doc.querySelectorAll(`a.${TERM_CLASS}`)]) {
    const parent = a.parentNode!;
    const text = doc.createTextNode(a.textContent ?? "");
    parent.replaceChild(text, a);
    // Merge with neighbouring text so that the next run sees the sentence whole.
    for (const sib of [text.previousSibling, text.nextSibling]) {
      if (sib && sib.nodeType === 3) {
        const before = sib === text.previousSibling;
        text.data = before ? (sib as BookText).data + text.data : text.data + (sib as BookText).data;
        sib.remove();
      }
    }
  }
}

/** A heading's own text, without nbconvert's ¶ anchor link. */
export function headingText(h: BookElement): string {
  let s = "";
  for (const n of h.childNodes) {
    if (n.nodeType === 1 && (n as BookElement).classList.contains("anchor-link")) continue;
    s += n.textContent ?? "";
  }
  return s.replace(/\s+/g, " ").trim();
}

/** A fragment id made of a text (for headings nbconvert left without one). */
export function slug(text: string): string {
  return (
    text
      .trim()
      .replace(/\s+/g, "-")
      .replace(/[^\p{L}\p{N}_-]/gu, "") || "section"
  );
}
