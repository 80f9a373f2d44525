// Chapter 5: the thread-per-directory search (joins) gives exactly what `find` gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { countRecords, joinRunData, newSharedLog, readSharedLog, searchCosts, searchRunData, searchThreads } from "../../src/course/ch05-joins";
import { threads } from "../../src/spawn/api";
import { searchSequential } from "../../src/course/search";
import { CourseInputError } from "../../src/course/errors";
import { withTempDir, rejects } from "./helpers";

/** A small tree: 7 directories, "target.txt" in four places (one is a directory), a symlink loop. */
function makeTree(root: string): void {
  for (const d of ["a", "a/b", "a/b/c", "d", "d/target.txt", "e"]) mkdirSync(join(root, d), { recursive: true });
  for (const f of ["target.txt", "a/target.txt", "a/b/c/target.txt", "a/other.txt", "e/TARGET.txt"]) writeFileSync(join(root, f), "x");
  symlinkSync(root, join(root, "a", "loop")); // must not be followed
}

function findNames(root: string, name: string): string[] | null {
  const r = spawnSync("find", [root, "-mindepth", "1", "-name", name], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n").filter(Boolean).sort() : null;
}

test("matches find and the sequential walk", () =>
  withTempDir(async (root) => {
    makeTree(root);
    const r = await searchThreads(root, "target.txt");
    const expected = [join(root, "a/b/c/target.txt"), join(root, "a/target.txt"), join(root, "d/target.txt"), join(root, "target.txt")];
    assert.equal(r.matches, expected);
    assert.equal(r.matches, searchSequential(root, "target.txt"));
    const found = findNames(root, "target.txt");
    if (found) assert.equal(r.matches, found);
    assert.is(r.threads, 7); // root, a, a/b, a/b/c, d, d/target.txt, e
    assert.is(countRecords(r.root), 7);
  }));

test("the timeline data has a lane per directory and joins only where there are children", () =>
  withTempDir(async (root) => {
    makeTree(root);
    const r = await searchThreads(root, "target.txt");
    const data = searchRunData(r.root);
    assert.is(data.workers.length, 7);
    assert.ok(data.workers.some((w) => w.label === "(root)"));
    const joins = data.trace
      .filter((e) => e.type === "span" && e.state === "blocked" && e.prim?.kind === "join")
      .map((e) => e.worker)
      .sort();
    assert.equal(joins, ["(root)", "a", "a/b", "d"].sort()); // d holds the directory d/target.txt
    const c = searchCosts(r.root);
    assert.is(c.threads, 7);
    assert.ok(c.spawningMs > 0 && c.listingMs >= 0);
  }));

test("the shared log keeps lines appended under its lock", () => {
  const log = newSharedLog(64);
  assert.equal(readSharedLog(log), []);
});

test("bad input names the argument, before any thread starts", () =>
  withTempDir(async (root) => {
    makeTree(root);
    await rejects(
      () => searchThreads(join(root, "nope"), "x"),
      (e: Error) => e instanceof CourseInputError && /root .* does not exist/.test(e.message),
    );
    await rejects(() => searchThreads(root, "a/b"), /name must be a file name without/);
    await rejects(() => searchThreads(root, "x", 3), /has 7 directories, more than maxThreads \(3\)/);
  }));

test("joinRunData adds the joiner's lane, blocked on the join from spawn to join", async () => {
  const t0 = performance.timeOrigin + performance.now();
  const h = threads.spawn(() => 42);
  assert.is(await h.join(), 42);
  const joined = performance.timeOrigin + performance.now();
  const childRun = (await h.run).toJSON();
  const data = joinRunData(childRun, t0, joined);
  assert.is(data.workers[0].label, "main");
  assert.is(data.workers.length, 2);
  const span = data.trace.find((e) => e.type === "span" && e.worker === "main");
  assert.ok(span && span.type === "span" && span.state === "blocked" && span.prim?.kind === "join" && span.start === t0 && span.end === joined);
  assert.ok(data.startedAt <= t0 && data.endedAt >= joined);
  assert.throws(
    () => joinRunData(childRun, joined, t0),
    (e: Error) => e instanceof CourseInputError && /before spawnedAt/.test(e.message),
  );
});

test("a join hands back the worker's error", async () => {
  const h = threads.spawn(() => {
    throw new RangeError("no such directory");
  });
  await rejects(
    () => h.join(),
    (e: Error) => e.name === "RangeError" && /no such directory/.test(e.message),
  );
});

test.run();
