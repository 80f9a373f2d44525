// Chapter 11: shoelace areas with a hand-built queue pool and with the library's pools,
// checked against known areas and the single-threaded sum.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  fileRanges,
  medianMs,
  pieceArea,
  rangeArea,
  polygonBatches,
  polygonPieces,
  shoelacePoolMap,
  shoelaceQueuePool,
  timePoolJob,
  timeSingle,
} from "../../src/course/ch11-pools";
import { generatePolygons, shoelaceFile } from "../../src/course/shoelace";
import { withTempDir } from "./helpers";

// A 2×2 square (4), a right triangle with legs 4 and 3 (6), a clockwise 3×5 rectangle (15), an L shape (3).
const KNOWN = "(0,0),(2,0),(2,2),(0,2)\n(0,0),(4,0),(0,3)\n\n(0,0),(0,5),(3,5),(3,0)\n(0,0),(2,0),(2,1),(1,1),(1,2),(0,2)\n";

test("known areas: queue pool and pool map on threads", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "known.txt");
    writeFileSync(file, KNOWN);
    assert.equal(
      polygonBatches(file, 3).map((b) => b.map(([n]) => n)),
      [[1, 2, 4], [5]],
    );
    const q = await shoelaceQueuePool(file, { workers: 3, batch: 1 });
    assert.is(q.count, 4);
    assert.is(q.totalArea, 28);
    const m = await shoelacePoolMap(file, { size: 2, batch: 2 });
    assert.is(m.count, 4);
    assert.is(m.totalArea, 28);
    assert.is(m.tasks.length, 3, "pieces of 2 lines: 1–2, 3–4 (3 blank), 5");
  });
});

test("a generated file: both pools on threads and processes equal the single-threaded sum", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "polygons.txt");
    const written = await generatePolygons(file, 3000, 5);
    const single = shoelaceFile(file);
    assert.equal(single, written);
    for (const kind of ["threads", "processes"] as const) {
      const q = await shoelaceQueuePool(file, { workers: 3, kind, batch: 200 });
      assert.equal([q.count, q.totalArea], [single.count, single.totalArea], `queue pool on ${kind}`);
      const m = await shoelacePoolMap(file, { size: 2, kind, batch: 200 });
      assert.equal([m.count, m.totalArea], [single.count, single.totalArea], `pool map on ${kind}`);
      assert.ok(m.tasks.every((t) => t.startedAt >= t.submittedAt && t.endedAt >= t.startedAt));
    }
  });
});

test("a malformed line rejects naming the line; a missing file is named", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "bad.txt");
    writeFileSync(file, "(0,0),(1,0),(1,1)\n(0,0),(1,0)x\n");
    const e = await shoelaceQueuePool(file, { workers: 2, batch: 1 }).then(
      () => null,
      (x: Error) => x,
    );
    assert.ok(e);
    assert.match(e!.message, /line 2/);
    const e2 = await shoelacePoolMap(join(dir, "nope.txt")).then(
      () => null,
      (x: Error) => x,
    );
    assert.match(e2!.message, /does not exist/);
  });
});

test("pieces: every line once, in order, with its file line number", () => {
  const pieces = polygonPieces(KNOWN, 2);
  assert.equal(
    pieces.map((p) => p.firstLine),
    [1, 3, 5],
  );
  assert.is(pieces.map((p) => p.text).join("\n"), KNOWN.slice(0, -1));
  const sums = pieces.map(pieceArea);
  assert.equal([sums.reduce((s, [c]) => s + c, 0), sums.reduce((s, [, t]) => s + t, 0) / 2], [4, 28]);
  assert.throws(() => pieceArea({ firstLine: 7, text: "(0,0),(1,0),(1,1)\n(0,0),(1,0)x" }), /line 8/);
  assert.throws(() => polygonPieces(KNOWN, 0), /lines must be an integer/);
});

test("byte ranges: every line counted once, whatever the cut; a bad line is named by its file line number", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "polygons.txt");
    const written = await generatePolygons(file, 500, 3);
    for (const count of [1, 2, 3, 7, 64, 5000]) {
      const parts = fileRanges(file, count).map(rangeArea);
      assert.equal([parts.reduce((s, [c]) => s + c, 0), parts.reduce((s, [, t]) => s + t, 0) / 2], [written.count, written.totalArea], `${count} ranges`);
    }
    const known = join(dir, "known.txt");
    writeFileSync(known, KNOWN.slice(0, -1)); // no final newline
    for (const count of [1, 2, 5, 40]) {
      const parts = fileRanges(known, count).map(rangeArea);
      assert.equal([parts.reduce((s, [c]) => s + c, 0), parts.reduce((s, [, t]) => s + t, 0) / 2], [4, 28], `known, ${count} ranges`);
    }
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, "(0,0),(1,0),(1,1)\n(0,0),(2,0),(2,2)\n(0,0),(1,0)x\n(0,0),(1,0),(1,1)\n");
    const e = (() => {
      try {
        fileRanges(bad, 3).map(rangeArea);
      } catch (x) {
        return x as Error;
      }
      return null;
    })();
    assert.match(e!.message, /line 3/);
    assert.throws(() => rangeArea({ file: bad, from: 5, to: 2 }), /0 <= from <= to/);
    assert.throws(() => fileRanges(join(dir, "nope.txt"), 2), /does not exist/);
  });
});

test("timeSingle and timePoolJob time warm work, and the pool gives the single's answer", async () => {
  const pieces = polygonPieces(KNOWN, 1);
  const single = timeSingle(() => pieces.map(pieceArea).reduce((s, [, t]) => s + t, 0), { repeats: 3 });
  assert.is(single.samples.length, 3);
  assert.is(single.result, 56);
  assert.is(medianMs([3, 1, 2]), 2);
  for (const kind of ["threads", "processes"] as const) {
    const job = await timePoolJob(kind, 2, pieces, (p: { firstLine: number; text: string }) => require("kernel-helpers").pieceArea(p), { repeats: 2 });
    assert.is(job.samples.length, 2);
    assert.is(
      job.results.reduce((s, [, t]) => s + t, 0),
      56,
      kind,
    );
    assert.is(job.tasks.length, pieces.length);
    assert.ok(job.ms > 0 && job.startMs > 0);
  }
  const e = await timePoolJob("threads", 2, [], (x: number) => x).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e!.message, /inputs must be a non-empty array/);
});

test.run();
