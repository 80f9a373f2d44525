// The command-line entries of chapters 2–6 (CH02_06_EXAMPLES): each prints plain JSON
// with the right answer on small inputs, and bad flags are usage errors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CH02_06_EXAMPLES } from "../../src/course/ch02-cli";
import type { CliArgs } from "../../src/course/cli-flags";
import { CourseInputError } from "../../src/course/errors";
import { searchSequential } from "../../src/course/search";
import { withTempDir } from "./helpers";

const args = (positional: string[] = [], flags: Record<string, string> = {}): CliArgs => ({ positional, flags: new Map(Object.entries(flags)) });
const run = async (name: string, a: CliArgs) => JSON.parse(JSON.stringify(await CH02_06_EXAMPLES[name].run(a)));

async function rejects(fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  let err: Error | null = null;
  try {
    await fn();
  } catch (e) {
    err = e as Error;
  }
  assert.ok(err instanceof CourseInputError, `expected a CourseInputError, got ${err}`);
  assert.match(err!.message, re);
}

test("every entry declares its flags in its usage", () => {
  for (const [name, ex] of Object.entries(CH02_06_EXAMPLES)) {
    assert.ok(ex.usage.startsWith(name), name);
    for (const f of ex.flags) assert.ok(ex.usage.includes(`--${f}`), `${name}: --${f}`);
  }
});

test("tasks, race, condition-bank: right answers on small inputs", async () => {
  const t = await run("tasks", args([], { mode: "threads", kind: "count", tasks: "2", count: "1000" }));
  assert.is(t.taskMs.length, 2);
  const r = await run("race", args([], { guard: "mutex", times: "10000", rounds: "2" }));
  assert.equal(r.finals, [100, 100]);
  const c = await run("condition-bank", args([], { "earn-times": "10000" }));
  assert.equal(c.final, 100);
  assert.ok(c.lowest >= 0);
});

test("search-threads and search-waitgroup match the sequential walk", () =>
  withTempDir(async (root) => {
    mkdirSync(join(root, "x/y"), { recursive: true });
    for (const f of ["n.txt", "x/n.txt", "x/y/n.txt", "x/y/m.txt"]) writeFileSync(join(root, f), "");
    const want = searchSequential(root, "n.txt");
    assert.equal((await run("search-threads", args([root, "n.txt"]))).matches, want);
    assert.equal((await run("search-waitgroup", args([root, "n.txt"]))).matches, want);
  }));

test("waitgroup-processes wakes after the longest sleep", async () => {
  const w = await run("waitgroup-processes", args([], { sleeps: "30,60" }));
  assert.is(w.processes, 2);
  assert.ok(w.wokeAfterMs >= 55);
});

test("bad flags are usage errors naming the flag", async () => {
  await rejects(() => run("tasks", args([], { mode: "gpu" })), /--mode must be one of/);
  await rejects(() => run("race", args([], { times: "many" })), /--times must be a whole number/);
  await rejects(() => run("condition-bank", args([], { condition: "maybe" })), /--condition must be yes or no/);
  await rejects(() => run("waitgroup-processes", args([], { sleeps: "1,x" })), /--sleeps must be whole numbers/);
});

test.run();
