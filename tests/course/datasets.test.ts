import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, statSync } from "node:fs";
import { ensureMetarData, ensurePolygons } from "../../src/course/datasets";
import { windCountsDir } from "../../src/course/metar";
import { shoelaceFile } from "../../src/course/shoelace";
import { dataDir, projectRoot } from "../../src/course/paths";
import { ROOT, withTempDir } from "./helpers";

test("dataDir is .build/data of this checkout", () => {
  assert.is(projectRoot(), ROOT);
  assert.is(dataDir(), `${ROOT}/.build/data`);
});

test("ensureMetarData makes the set once, then reuses it; counts hold", async () => {
  await withTempDir((root) => {
    const a = ensureMetarData({ months: 2, seed: 3, root });
    assert.is(a.files, 2);
    assert.equal(windCountsDir(a.dir), a.expected);
    const made = statSync(a.dir).mtimeMs;
    const b = ensureMetarData({ months: 2, seed: 3, root });
    assert.equal(b, a);
    assert.is(statSync(a.dir).mtimeMs, made);
    assert.equal(readdirSync(root), ["metar-2m-s3"], "no temporary folder left behind");
  });
});

test("ensurePolygons makes the file once; its figures match shoelaceFile", async () => {
  await withTempDir(async (root) => {
    const [a, b] = await Promise.all([ensurePolygons({ count: 300, root }), ensurePolygons({ count: 300, root })]);
    assert.equal(a, b);
    assert.equal(shoelaceFile(a.file), { count: a.count, totalArea: a.totalArea });
    assert.equal(await ensurePolygons({ count: 300, root }), a);
    assert.equal(readdirSync(root).sort(), ["polygons-300-s1.txt", "polygons-300-s1.txt.json"]);
  });
});

test.run();
