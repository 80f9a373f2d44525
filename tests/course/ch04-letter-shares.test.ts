// Chapter 4: the letter count shared out among a few threads equals the single count.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { letterCountShares } from "../../src/course/ch04-letter-shares";
import { letterCountSingle } from "../../src/course/letters";
import { CourseInputError } from "../../src/course/errors";
import { rejects, withTempDir } from "./helpers";

test("every number of threads gives the single-threaded counts; every document is taken once", () =>
  withTempDir(async (dir) => {
    const files = ["Hello World", "Zebra zoo ZZ", "abc".repeat(500), "", "The quick brown fox"].map((text, i) => {
      const f = join(dir, `doc${i}.txt`);
      writeFileSync(f, text);
      return f;
    });
    const expected = Array.from(letterCountSingle(files, 3));
    for (const workers of [1, 2, 3, 5, 8]) {
      const r = await letterCountShares(files, { workers, passes: 3 });
      assert.equal(Array.from(r.freq), expected, `${workers} workers`);
      assert.is(r.taken.length, workers);
      assert.is(
        r.taken.reduce((a, b) => a + b, 0),
        files.length,
      );
    }
  }));

test("one critical section per thread when traced", () =>
  withTempDir(async (dir) => {
    const files = [0, 1, 2, 3].map((i) => {
      writeFileSync(join(dir, `${i}`), "abc");
      return join(dir, `${i}`);
    });
    const r = await letterCountShares(files, { workers: 2, trace: true });
    const holds = r.run.trace.filter((e) => e.type === "span" && e.state === "holding");
    assert.is(holds.length, 2);
  }));

test("bad input names the argument", async () => {
  await rejects(
    () => letterCountShares([]),
    (e: Error) => e instanceof CourseInputError && /files must be a non-empty array/.test(e.message),
  );
  await rejects(() => letterCountShares(["x"], { workers: 0 }), /workers must be an integer/);
  await rejects(() => letterCountShares(["x"], { passes: 0 }), /passes must be an integer/);
});

test.run();
