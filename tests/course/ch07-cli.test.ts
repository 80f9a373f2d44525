// The chapter 7–12 CLI entries, called as cli.ts would (parsed args), on small inputs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PARALLEL_EXAMPLES } from "../../src/course/ch07-cli";
import type { CliArgs } from "../../src/course/cli-flags";
import { matmulRounds } from "../../src/course/matmul";
import { withTempDir } from "./helpers";

const args = (positional: string[], flags: Record<string, string> = {}): CliArgs => ({ positional, flags: new Map(Object.entries(flags)) });

test("matmul-barrier equals matmul", async () => {
  const r = (await PARALLEL_EXAMPLES["matmul-barrier"].run(args([], { n: "20", rounds: "2", workers: "2" }))) as { checksum: number };
  assert.is(r.checksum, matmulRounds({ n: 20, rounds: 2 }).checksum);
  JSON.stringify(r);
});

test("shoelace-pool prints count and total area", async () => {
  await withTempDir(async (dir) => {
    const f = join(dir, "p.txt");
    writeFileSync(f, "(0,0),(2,0),(2,2),(0,2)\n(0,0),(4,0),(0,3)\n");
    const r = (await PARALLEL_EXAMPLES["shoelace-pool"].run(args([f], { workers: "2", batch: "1" }))) as { count: number; totalArea: number };
    assert.equal([r.count, r.totalArea], [2, 10]);
  });
});

test("bad flags are named", async () => {
  const e = await Promise.resolve()
    .then(() => PARALLEL_EXAMPLES["trains-threads"].run(args([], { strategy: "magic" })))
    .then(
      () => null,
      (x: Error) => x,
    );
  assert.match(e!.message, /--strategy must be one of/);
  const e2 = await Promise.resolve()
    .then(() => PARALLEL_EXAMPLES.pingpong.run(args([], { kind: "fibers" })))
    .then(
      () => null,
      (x: Error) => x,
    );
  assert.match(e2!.message, /--kind must be threads or processes/);
});

test("every entry is well formed", () => {
  for (const [name, ex] of Object.entries(PARALLEL_EXAMPLES)) {
    assert.ok(ex.usage.startsWith(name), name);
    assert.ok(ex.about.length > 10);
  }
});

test.run();
