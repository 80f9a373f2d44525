// The book's own words live in content.json (data, not code): each chapter's one-line
// summary, its Python → Node table (names checked against kernel-helpers' exports by
// tests/book/content.test.ts) and its pitfalls, and the glossary. This module gives
// them their types; tools/book/*.ts turn them into HTML.
import content from "./content.json";

export interface Mapping {
  /** What the Python course writes. */
  python: string;
  /** What this course writes (a kernel-helpers export, or Node's own API where said). */
  node: string;
  note?: string;
}

export interface ChapterExtras {
  summary: string;
  pythonToNode: Mapping[];
  pitfalls: string[];
}

export interface GlossaryTerm {
  /** The term as the glossary shows it. */
  term: string;
  definition: string;
  /** Words that count as a use of the term in a chapter (case-insensitive, whole words); the term itself first. */
  forms: string[];
}

/**
 * content.json as written: a table row that several chapters share (threads.spawn and
 * join) is written once under `sharedRows`, and a chapter's table names it by key.
 */
interface ContentFile {
  sharedRows: Record<string, Mapping[]>;
  chapters: Record<string, Omit<ChapterExtras, "pythonToNode"> & { pythonToNode: (Mapping | string)[] }>;
  glossary: GlossaryTerm[];
}

const file: ContentFile = content;

function sharedRows(key: string, stem: string): Mapping[] {
  const rows = file.sharedRows[key];
  if (!rows) throw new Error(`tools/book/content.json: chapter ${stem} names shared rows "${key}", which sharedRows does not have`);
  return rows;
}

/** Keyed by notebook stem (tools/syllabus.ts). */
export const chapterExtras: Record<string, ChapterExtras> = Object.fromEntries(
  Object.entries(file.chapters).map(([stem, c]) => [
    stem,
    { ...c, pythonToNode: c.pythonToNode.flatMap((row) => (typeof row === "string" ? sharedRows(row, stem) : [row])) },
  ]),
);

export const glossary: GlossaryTerm[] = file.glossary;

/** The fragment id of a glossary term on glossary.html. */
export function termId(t: GlossaryTerm): string {
  return (
    "term-" +
    t.term
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
  );
}
