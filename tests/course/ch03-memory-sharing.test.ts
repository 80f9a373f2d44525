// Chapter 3–4 letter count: one thread per document into one shared table. Every
// guarded version must equal a straightforward count; the unguarded one may only lose.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { letterCountSequential, letterCountThreads, LETTER_GUARDS } from "../../src/course/ch03-memory-sharing";
import { CourseInputError } from "../../src/course/errors";
import { withTempDir, rejects } from "./helpers";

const DOCS = [
  "The quick brown fox jumps over the lazy dog.",
  "ÄÖÜ ß are not ASCII letters; Zz Yy are. 12345 !?",
  "Mutexes make critical sections run one thread at a time.\n".repeat(200),
  "",
];

/** The obvious count, written independently of the course code. */
function plainCount(texts: string[], passes = 1): number[] {
  const out = new Array(26).fill(0);
  for (const t of texts) for (const ch of t.toLowerCase()) if (ch >= "a" && ch <= "z") out[ch.charCodeAt(0) - 97] += passes;
  return out;
}

async function withDocs<T>(fn: (files: string[]) => Promise<T>): Promise<T> {
  return withTempDir((dir) => {
    const files = DOCS.map((text, i) => {
      const f = join(dir, `doc${i}.txt`);
      writeFileSync(f, text);
      return f;
    });
    return fn(files);
  });
}

test("sequential count equals the obvious count", () =>
  withDocs(async (files) => {
    assert.equal(Array.from(letterCountSequential(files).freq), plainCount(DOCS));
    assert.equal(Array.from(letterCountSequential(files, 3).freq), plainCount(DOCS, 3));
  }));

for (const guard of LETTER_GUARDS.filter((g) => g !== "none")) {
  test(`threads with guard "${guard}" count exactly`, () =>
    withDocs(async (files) => {
      const r = await letterCountThreads(files, { guard, passes: 5, trace: false });
      assert.equal(Array.from(r.freq), plainCount(DOCS, 5));
      assert.is(
        r.letters,
        plainCount(DOCS, 5).reduce((a, b) => a + b, 0),
      );
      assert.is(r.run.workers.length, files.length);
    }));
}

test('guard "none" never counts more than there is, and reports every letter it saw', () =>
  withDocs(async (files) => {
    const r = await letterCountThreads(files, { guard: "none", passes: 5 });
    const want = plainCount(DOCS, 5);
    Array.from(r.freq).forEach((v, i) => {
      assert.ok(v <= want[i], `slot ${i}`);
    });
    assert.is(
      r.letters,
      want.reduce((a, b) => a + b, 0),
    );
  }));

test("bad input names the argument", async () => {
  await rejects(
    () => letterCountThreads([]),
    (e: Error) => e instanceof CourseInputError && /files must be a non-empty array/.test(e.message),
  );
  await rejects(() => letterCountThreads(["x"], { guard: "spinlock" as never }), /guard must be one of/);
  await rejects(() => letterCountThreads(["x"], { passes: 0 }), /passes must be an integer/);
  await rejects(() => letterCountThreads(["/no/such/file.txt"]), /no such file|ENOENT/);
});

test.run();
