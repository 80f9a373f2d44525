import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { corpusFiles, countLetters, countLettersAtomic, freqObject, letterCountSingle } from "../../src/course/letters";
import { withTempDir } from "./helpers";

/** The straightforward count: lower-case, then count each of a..z with a regex. */
function plain(text: string): number[] {
  const lower = text.toLowerCase();
  return [..."abcdefghijklmnopqrstuvwxyz"].map((ch) => (lower.match(new RegExp(ch, "g")) ?? []).length);
}

test("countLetters matches a straightforward count, case-folded, ASCII only", () => {
  const text = "Hello, World! ÀÉ ß ZzZ [`{@] 123 – The quick brown fox.";
  assert.equal(Array.from(countLetters(text, new Int32Array(26))), plain(text.replace(/[^\p{ASCII}]/gu, "")));
  assert.is(countLetters("AaBb", new Int32Array(26))[0], 2);
  // Ranges: a worker counts its chunk; chunks add up to the whole.
  const f = new Int32Array(new SharedArrayBuffer(26 * 4));
  countLetters(text, f, 0, 20);
  countLetters(text, f, 20);
  assert.equal(Array.from(f), Array.from(countLetters(text, new Int32Array(26))));
  assert.equal(Array.from(countLettersAtomic(text, new Int32Array(new SharedArrayBuffer(104)))), Array.from(f));
  assert.throws(() => countLetters("a", new Int32Array(5)), /26 slots/);
});

test("corpusFiles: 20 real README files, largest first, deterministic", () => {
  const files = corpusFiles();
  assert.is(files.length, 20);
  assert.equal(corpusFiles(), files);
  const sizes = files.map((f) => statSync(f).size);
  assert.ok(sizes.every((s, i) => i === 0 || s <= sizes[i - 1]));
  assert.ok(files.every((f) => /node_modules/.test(f) && /readme/i.test(f)));
  assert.is(new Set(files).size, 20);
});

test("corpusFiles: too few found is an error unless fewer are allowed", async () => {
  await withTempDir((dir) => {
    assert.throws(() => corpusFiles({ nodeModules: dir }), /found 0 README files/);
  });
  assert.throws(() => corpusFiles({ count: 100_000 }), /count must be/);
  const many = corpusFiles({ count: 10_000, allowFewer: true });
  assert.ok(many.length >= 20 && many.length < 10_000);
});

test("letterCountSingle over the corpus equals the sum of straightforward counts", () => {
  const files = corpusFiles();
  const want = new Array(26).fill(0);
  for (const f of files)
    plain(readFileSync(f, "utf8").replace(/[^\p{ASCII}]/gu, "")).forEach((n, i) => {
      want[i] += n;
    });
  assert.equal(Array.from(letterCountSingle(files)), want);
  assert.is(freqObject(want).e, want[4]);
});

test("bad inputs to letterCountSingle are named", async () => {
  assert.throws(() => letterCountSingle([]), /files is empty/);
  await withTempDir((dir) => {
    const f = join(dir, "a.txt");
    writeFileSync(f, "abc");
    assert.throws(() => letterCountSingle([f, join(dir, "nope.txt")]), /nope\.txt.*does not exist/);
  });
});

test.run();
