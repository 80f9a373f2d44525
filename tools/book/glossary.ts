// The glossary: its page, and each term linked from its first use in a chapter
// (in the prose only: never inside code, headings, links or outputs).
import { glossary, termId, type GlossaryTerm } from "./content";
import { TERM_CLASS, bookEl, el, type BookElement, type BookNode, type BookText, type Doc } from "./dom";
import { GLOSSARY_PAGE } from "./nav";
import type { SearchDoc } from "./search";

/** Where a chapter uses a term first: the page and the id of the link there. */
export interface TermUse {
  href: string;
  chapter: string;
}

const SKIP = "a, code, pre, kbd, samp, script, style, svg, h1, h2, h3, h4, h5, h6, button, summary, [data-book]";
const PROSE = ".jp-MarkdownCell .jp-RenderedHTMLCommon";

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/'/g, "['’]");

/** One pattern per term: any of its forms as a whole word, longest first. */
function patterns(terms: GlossaryTerm[]): { term: GlossaryTerm; re: RegExp }[] {
  return terms.map((term) => {
    const forms = [...term.forms].sort((a, b) => b.length - a.length).map(escapeRe);
    return { term, re: new RegExp(`(?<![\\p{L}\\p{N}_-])(?:${forms.join("|")})(?![\\p{L}\\p{N}_-])`, "iu") };
  });
}
const ALL = patterns(glossary);

function proseTextNodes(doc: Doc): BookText[] {
  const out: BookText[] = [];
  const walk = (n: BookNode) => {
    for (const c of [...n.childNodes]) {
      if (c.nodeType === 3) out.push(c as BookText);
      else if (c.nodeType === 1 && !(c as BookElement).closest(SKIP)) walk(c);
    }
  };
  for (const root of doc.querySelectorAll(PROSE)) if (!root.closest(SKIP)) walk(root);
  return out;
}

/**
 * Links the first use of each glossary term in the page's prose to its entry on
 * glossary.html; returns the terms linked, with the id each link got.
 */
export function linkTerms(doc: Doc, terms = ALL): Map<GlossaryTerm, string> {
  const linked = new Map<GlossaryTerm, string>();
  for (const node of proseTextNodes(doc)) {
    let text = node.data;
    const parts: (string | BookElement)[] = [];
    for (;;) {
      // The earliest use of a term not linked yet; at one place, the longest.
      let best: { term: GlossaryTerm; index: number; match: string } | null = null;
      for (const { term, re } of terms) {
        if (linked.has(term)) continue;
        const m = re.exec(text);
        if (m && (!best || m.index < best.index || (m.index === best.index && m[0].length > best.match.length))) best = { term, index: m.index, match: m[0] };
      }
      if (!best) break;
      const id = `use-${termId(best.term)}`;
      const a = el(doc, "a", { class: TERM_CLASS, href: `${GLOSSARY_PAGE}#${termId(best.term)}`, id, title: best.term.definition }, best.match);
      parts.push(text.slice(0, best.index), a);
      text = text.slice(best.index + best.match.length);
      linked.set(best.term, id);
    }
    if (!parts.length) continue;
    parts.push(text);
    const parent = node.parentNode!;
    for (const p of parts) if (p !== "") parent.insertBefore(typeof p === "string" ? doc.createTextNode(p) : p, node);
    node.remove();
  }
  return linked;
}

/** The glossary's entries, each with the chapters that use it (links to the first use). */
export function glossaryBody(doc: Doc, uses: Map<GlossaryTerm, (TermUse & { id: string })[]>): BookElement {
  const dl = bookEl(doc, "dl", { class: "book-glossary" });
  for (const t of [...glossary].sort((a, b) => a.term.localeCompare(b.term))) {
    const used = uses.get(t) ?? [];
    const usedIn = used.length
      ? el(doc, "p", { class: "book-used" }, "Used in: ", ...used.flatMap((u, i) => [i ? ", " : "", el(doc, "a", { href: `${u.href}#${u.id}` }, u.chapter)]))
      : null;
    dl.append(el(doc, "dt", { id: termId(t) }, t.term), el(doc, "dd", {}, el(doc, "p", {}, t.definition), usedIn));
  }
  return dl;
}

export function glossarySearchDocs(): SearchDoc[] {
  return glossary.map((t) => ({
    id: `${GLOSSARY_PAGE}#${termId(t)}`,
    page: "Glossary",
    href: `${GLOSSARY_PAGE}#${termId(t)}`,
    title: t.term,
    text: t.definition,
  }));
}
