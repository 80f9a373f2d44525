import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { listDir, searchSequential, searchStats } from "../../src/course/search";
import { withTempDir } from "./helpers";

function find(root: string, name: string): string[] {
  return execFileSync("find", [root, "-name", name], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l && l !== root)
    .sort();
}

/** A small tree with matches at several depths, a directory named like the target, and symlinks. */
function makeTree(root: string): void {
  const dirs = ["a", "a/b", "a/b/c", "a/d/target.txt", "e", "e/f", "e/f/g/h"];
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const f of ["target.txt", "a/target.txt", "a/b/c/target.txt", "a/d/other.txt", "e/f/g/h/target.txt", "e/target.txt.bak"]) {
    writeFileSync(join(root, f), "x");
  }
  symlinkSync(join(root, "a"), join(root, "e", "loop")); // a followed link would loop forever
  symlinkSync(join(root, "a", "target.txt"), join(root, "e", "f", "target.txt")); // matched by name, like find
}

test("searchSequential equals `find root -name name`", async () => {
  await withTempDir((root) => {
    makeTree(root);
    for (const name of ["target.txt", "other.txt", "h", "nothing-here"]) {
      assert.equal(searchSequential(root, name), find(root, name), name);
    }
    assert.is(searchSequential(root, "target.txt").length, 6);
  });
});

test("searchSequential over a real tree (node_modules/uvu) equals find", () => {
  const root = join(__dirname, "..", "..", "node_modules", "uvu");
  assert.equal(searchSequential(root, "index.js"), find(root, "index.js"));
});

test("listDir: one directory's subdirectories (no symlinks) and matches", async () => {
  await withTempDir((root) => {
    makeTree(root);
    const l = listDir(join(root, "e"), "loop");
    assert.equal(l.dirs.sort(), [join(root, "e", "f")]);
    assert.equal(l.matches, [join(root, "e", "loop")]);
    assert.equal(listDir(join(root, "missing"), "x"), { dirs: [], matches: [] });
    assert.is(searchStats(root, "target.txt").dirs, 10);
  });
});

test("bad arguments are named", async () => {
  assert.throws(() => searchSequential("/no/such/root", "x"), /root "\/no\/such\/root" does not exist/);
  await withTempDir((root) => {
    assert.throws(() => searchSequential(root, ""), /name must be/);
    assert.throws(() => searchSequential(root, "a/b"), /name must be/);
  });
});

test.run();
