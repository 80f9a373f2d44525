// Chapter 3's spin demo: an Atomics.load spin sees the write; either spin is stopped
// by its timeout when nothing is written (the worker is gone afterwards); bad options
// are refused. Whether a plain read sees the write is not promised, so not asserted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spinUntilWritten, spinWorker } from "../../src/course/ch03-memory-model";
import { CourseInputError } from "../../src/course/errors";
import { threads } from "../../src/spawn/api";
import { RunTimeoutError } from "../../src/spawn/errors";

test("an Atomics.load spin sees the write", async () => {
  const r = await spinUntilWritten("atomic", { writeAfterMs: 20, timeoutMs: 5000 });
  assert.is(r.read, "atomic");
  assert.ok(r.saw);
  assert.ok(r.afterMs !== null && r.afterMs >= 0);
});

test("a plain spin ends one way or the other within its timeout", async () => {
  const t0 = performance.now();
  const r = await spinUntilWritten("plain", { writeAfterMs: 20, timeoutMs: 1000 });
  assert.ok(performance.now() - t0 < 5000);
  assert.is(r.saw, r.afterMs !== null);
});

for (const read of ["plain", "atomic"] as const) {
  test(`a ${read} spin with nothing written is stopped by the timeout`, async () => {
    const flag = new Int32Array(new SharedArrayBuffer(8));
    try {
      await threads.run(1, spinWorker, { flag, read }, { timeout: 300, trace: false });
      assert.unreachable("the spin ended without a write");
    } catch (e) {
      assert.ok(e instanceof RunTimeoutError, String(e));
    }
    assert.is(Atomics.load(flag, 1), 1, "the worker did spin");
  });
}

test("bad options are refused", async () => {
  for (const [read, opts] of [
    ["relaxed", {}],
    ["plain", { writeAfterMs: -1 }],
    ["atomic", { writeAfterMs: 500, timeoutMs: 100 }],
  ] as const) {
    try {
      await spinUntilWritten(read as never, opts);
      assert.unreachable();
    } catch (e) {
      assert.ok(e instanceof CourseInputError, String(e));
    }
  }
});

test.run();
