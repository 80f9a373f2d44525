// Chapter 8: a copy vs shared memory between processes; a child watching a shared array.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyVsShare, wakeDelay, watchSharedArray } from "../../src/course/ch08-memory-sharing-processes";
import { rejects } from "./helpers";
import { openSegments } from "../../src/shm/index";

test("a plain array reaches a child as a copy; a shared one is the same memory", async () => {
  const before = openSegments().length;
  const r = await copyVsShare([1, 2, 3]);
  assert.equal(r.plainAfter, [1, 2, 3]);
  assert.equal(r.childPlain, [2, 4, 6]);
  assert.equal(r.sharedAfter, [2, 4, 6]);
  assert.equal(r.childShared, [2, 4, 6]);
  assert.is(openSegments().length, before);
});

test("the child sees the parent's rewrites, never a half-written row", async () => {
  const before = openSegments().length;
  const r = await watchSharedArray({ length: 4, samples: 8, sampleMs: 40, writeMs: 30 });
  assert.is(r.seen.length, 8);
  const rows = new Set(r.written.map((w) => w.join(",")));
  for (const s of r.seen) assert.ok(rows.has(s.join(",")), `a row the parent wrote: ${s}`);
  assert.ok(new Set(r.seen.map((s) => s.join(","))).size > 1, "the child saw the array change");
  assert.is(openSegments().length, before);
});

test("bad arguments are named", async () => {
  const e = await watchSharedArray({ samples: 0 }).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e!.message, /samples must be an integer/);
});

test("wakeDelay gives one delay per trial for threads and for processes", async () => {
  for (const kind of ["threads", "processes"] as const) {
    const w = await wakeDelay(kind, 3, 2);
    assert.is(w.kind, kind);
    assert.is(w.delaysMs.length, 3);
    assert.ok(w.delaysMs.every((d) => d >= 0 && d < 10_000));
    assert.ok(w.delaysMs.includes(w.medianMs));
  }
  await rejects(() => wakeDelay("fibers" as never), /kind must be "threads" or "processes"/);
});

test.run();
