// Chapters 3–4: letter frequencies over a corpus of real documents. The frequency
// table is an Int32Array of 26 slots (a…z) so that workers can share one table in a
// SharedArrayBuffer; countLetters only adds, so a caller chooses how it is guarded
// (not at all, per-document tables, Atomics, a mutex).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CourseInputError, checkInt } from "./errors";
import { projectRoot } from "./paths";

export const ALPHABET = "abcdefghijklmnopqrstuvwxyz";

/**
 * Adds the ASCII letters of text[start, end) to freq, case-folded (A and a both go
 * to slot 0); every other character is skipped. Plain `freq[i]++`: unsynchronised
 * on purpose, the lesson of chapter 4 is what that does when tables are shared.
 */
export function countLetters(text: string, freq: Int32Array, start = 0, end = text.length): Int32Array {
  if (freq.length < 26) throw new CourseInputError(`freq must have 26 slots (a…z), got ${freq.length}; pass new Int32Array(26)`);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 0x20; // ASCII upper → lower; other characters stay out of range
    if (c >= 97 && c <= 122) freq[c - 97]++;
  }
  return freq;
}

/** The same count done with Atomics.add, for a shared table without a lock (the fix that needs no mutex). */
export function countLettersAtomic(text: string, freq: Int32Array, start = 0, end = text.length): Int32Array {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c >= 97 && c <= 122) Atomics.add(freq, c - 97, 1);
  }
  return freq;
}

/** A frequency table as { a: n, b: n, … }. */
export function freqObject(freq: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < 26; i++) out[ALPHABET[i]] = freq[i];
  return out;
}

function readDocument(file: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new CourseInputError(`document ${JSON.stringify(file)} does not exist or is not a file; pass readable text files`);
  }
  return readFileSync(file, "utf8");
}

/**
 * Reads one document and adds its letters to freq (what one per-document worker
 * does), `passes` times over the text read once (chapter 3's PASSES).
 */
export function countLettersFile(file: string, freq: Int32Array, passes = 1): Int32Array {
  const text = readDocument(file);
  for (let p = 0; p < passes; p++) countLetters(text, freq);
  return freq;
}

/**
 * Single-threaded: the letter frequencies of all files, one after the other, each
 * read once and counted `passes` times (so the counts are `passes` × the letters).
 */
export function letterCountSingle(files: readonly string[], passes = 1): Int32Array {
  if (files.length === 0) throw new CourseInputError("files is empty; pass at least one document (corpusFiles() gives 20)");
  checkInt("passes", passes, 1, 1000);
  const freq = new Int32Array(26);
  for (const f of files) countLettersFile(f, freq, passes);
  return freq;
}

/**
 * The course's corpus: the `count` largest README files of the packages installed in
 * this project's node_modules (top level and @scope/pkg), largest first, ties by path.
 * The lock file pins those packages, so every install picks the same documents.
 * With fewer than `count` found: raises CourseInputError, unless allowFewer is set,
 * in which case it returns what it found and writes a notice to stderr.
 */
export function corpusFiles(opts: { count?: number; allowFewer?: boolean; nodeModules?: string } = {}): string[] {
  const count = checkInt("count", opts.count ?? 20, 1, 10_000);
  const nm = opts.nodeModules ?? join(projectRoot(), "node_modules");
  const found: { path: string; size: number }[] = [];
  const consider = (pkgDir: string) => {
    let names: string[];
    try {
      names = readdirSync(pkgDir);
    } catch {
      return;
    }
    const readme = names.find((n) => /^readme\.(md|markdown|txt)?$/i.test(n) || /^readme$/i.test(n));
    if (!readme) return;
    const path = join(pkgDir, readme);
    try {
      const st = statSync(path);
      if (st.isFile() && st.size > 0) found.push({ path, size: st.size });
    } catch {
      /* unreadable: skip */
    }
  };
  let entries: string[] = [];
  try {
    entries = readdirSync(nm);
  } catch {
    /* no node_modules: found stays empty */
  }
  for (const e of entries) {
    if (e.startsWith(".")) continue;
    if (e.startsWith("@")) {
      let scoped: string[] = [];
      try {
        scoped = readdirSync(join(nm, e));
      } catch {
        continue;
      }
      for (const s of scoped) consider(join(nm, e, s));
    } else consider(join(nm, e));
  }
  found.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (found.length < count) {
    const msg = `corpusFiles: found ${found.length} README files under ${nm}, need ${count}`;
    if (!opts.allowFewer || found.length === 0) {
      throw new CourseInputError(`${msg}; run npm install first, or pass { allowFewer: true } (or your own file list) to use fewer`);
    }
    process.stderr.write(`notice: ${msg}; using the ${found.length} found\n`);
  }
  return found.slice(0, count).map((f) => f.path);
}
