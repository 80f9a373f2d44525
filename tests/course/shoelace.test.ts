import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  formatPolygon,
  generatePolygons,
  lineArea,
  parsePolygon,
  polygonLines,
  randomPolygon,
  shoelaceArea,
  shoelaceFile,
  shoelaceText,
} from "../../src/course/shoelace";
import { CourseInputError } from "../../src/course/errors";
import { Rng } from "../../src/course/prng";
import { PYTHON, runPython, withTempDir } from "./helpers";

test("known areas: unit square, right triangle, rectangle, L shape, either orientation", () => {
  assert.is(shoelaceArea(parsePolygon("(0,0),(1,0),(1,1),(0,1)", 1)), 1);
  assert.is(shoelaceArea(parsePolygon("(0,0),(0,1),(1,1),(1,0)", 1)), 1);
  assert.is(lineArea("(0,0),(4,0),(0,3)", 1), 6);
  assert.is(lineArea("(0,0),(3,0),(0,1)", 1), 1.5);
  assert.is(lineArea("(2,1),(7,1),(7,4),(2,4)", 1), 15);
  assert.is(lineArea("(0,0),(2,0),(2,1),(1,1),(1,2),(0,2)", 1), 3);
  assert.is(lineArea(" ( -1 , -1 ), (1,-1) ,(1,1),(-1,1) ", 1), 4);
});

test("a malformed line names its line number and what is wrong", () => {
  assert.throws(() => parsePolygon("(0,0),(1,0),(1,x)", 17), /line 17, column 13: expected a point/);
  assert.throws(() => parsePolygon("(0,0);(1,0),(1,1)", 3), /line 3, column 6: expected ","/);
  assert.throws(() => parsePolygon("(0,0),(1,0)", 4), /line 4: a polygon needs at least 3 points, found 2/);
  assert.throws(() => parsePolygon("   ", 5), /line 5: empty line/);
  assert.throws(() => parsePolygon("(0,0),(1,0),(1,1),", 6), /line 6: trailing ","/);
  assert.throws(() => parsePolygon("(0.5,0),(1,0),(1,1)", 7), /line 7, column 1/);
});

test("a bad line in a file is reported with its line number in the file", async () => {
  await withTempDir((dir) => {
    const f = join(dir, "p.txt");
    writeFileSync(f, "(0,0),(1,0),(1,1)\n\n(0,0),(1,0)\n");
    assert.throws(() => shoelaceFile(f), /polygon line 3:/);
    assert.throws(() => shoelaceFile(join(dir, "missing.txt")), /does not exist/);
  });
});

test("polygonLines skips blank lines and keeps 1-based numbers", () => {
  assert.equal(polygonLines("a\n\n  \nb\r\nc"), [
    { line: "a", lineNumber: 1 },
    { line: "b", lineNumber: 4 },
    { line: "c", lineNumber: 5 },
  ]);
});

test("shoelaceText counts the non-blank lines of a piece and names file lines in errors", () => {
  const square = "(0,0),(2,0),(2,2),(0,2)";
  assert.equal(shoelaceText(`${square}\n\n${square}\r\n`), { count: 2, twice: 16 });
  assert.throws(
    () => shoelaceText(`${square}\n(0,0),(1,1)`, 41),
    (e: Error) => e instanceof CourseInputError && /line 42\b/.test(e.message),
  );
});

test("random polygons are simple (star-shaped, no self-crossing) with positive area", () => {
  const rng = new Rng(3);
  for (let i = 0; i < 300; i++) {
    const p = randomPolygon(rng);
    assert.ok(p.length >= 3 && p.length <= 12);
    assert.ok(shoelaceArea(p) > 0);
    assert.ok(p.every(([x, y]) => Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x <= 1000 && y <= 1000));
    assert.equal(parsePolygon(formatPolygon(p), 1), p);
  }
});

test("generatePolygons writes what shoelaceFile reads back, deterministically", async () => {
  await withTempDir(async (dir) => {
    const f = join(dir, "polygons.txt"),
      g = join(dir, "again.txt");
    const made = await generatePolygons(f, 2000, 11);
    assert.equal(shoelaceFile(f), made);
    assert.equal(await generatePolygons(g, 2000, 11), made);
    let err: unknown;
    await generatePolygons(f, 0).catch((e) => (err = e));
    assert.match(String(err), /count must be an integer from 1/);
  });
});

test("the Python original gives the same count and total area", async () => {
  if (!PYTHON) return console.log("skipped: no python3");
  await withTempDir(async (dir) => {
    const f = join(dir, "polygons.txt");
    await generatePolygons(f, 3000, 2);
    assert.equal(runPython("shoelace.py", [f]), shoelaceFile(f));
  });
});

test.run();
