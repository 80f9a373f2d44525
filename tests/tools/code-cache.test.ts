// The kernels' code cache for tslab's TypeScript (tools/kernel-code-cache.cjs):
// written by the first start, used by the next, refused safely when it does not
// match, and off on request. Each start is a real node process that loads tslab's
// converter as a kernel does, with the preload the kernelspec names.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kernelPreload, kernelSpec } from "../../tools/kernelspec";
import { removeDir, root, tempDir } from "./helpers";

const dir = tempDir("code-cache");
test.after(() => removeDir(dir));

type Status = { file: string; used: boolean; rejected: boolean; wrote: boolean } | null;

/** Starts node with the preload, builds tslab's converter and compiles one cell; returns the preload's status and the cell's output. */
function start(env: NodeJS.ProcessEnv = {}): { status: Status; js: string } {
  const script = `
    const { createConverter } = require("tslab/dist/converter.js");
    const c = createConverter({ isJS: false, isBrowser: false });
    const out = c.convert("", "const x: number = 6 * 7;\\nx");
    setTimeout(() => { console.log(JSON.stringify({ status: globalThis.__interleaveCodeCache ?? null, js: out.output })); c.close(); }, 50);`;
  const r = spawnSync(process.execPath, ["--require", kernelPreload, "-e", script], {
    cwd: join(root, "notebooks"),
    env: { ...process.env, INTERLEAVE_KERNEL_CACHE_DIR: dir, ...env },
    encoding: "utf8",
  });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

test("the kernelspec loads the preload before tslab", () => {
  const argv = kernelSpec("tslab").argv;
  assert.equal(argv.slice(1, 3), ["--require", kernelPreload]);
});

test("the first start writes the cache, the next one uses it, and both compile cells alike", () => {
  const first = start();
  assert.equal({ used: first.status!.used, wrote: first.status!.wrote }, { used: false, wrote: true });
  assert.equal(
    readdirSync(dir).filter((f) => f.endsWith(".cache")),
    [first.status!.file.split("/").pop()],
  );
  assert.not.ok(
    readdirSync(dir).some((f) => f.endsWith(".tmp")),
    "no temporary file left behind",
  );
  const second = start();
  assert.equal({ used: second.status!.used, rejected: second.status!.rejected, wrote: second.status!.wrote }, { used: true, rejected: false, wrote: false });
  assert.is(second.js, first.js);
  assert.match(second.js, /6 \* 7/);
});

test("a cache that does not match is refused by V8, the kernel starts as without it, and a good one is written", () => {
  const file = start().status!.file;
  writeFileSync(file, Buffer.alloc(4096, 7));
  const bad = start();
  assert.equal({ used: bad.status!.used, rejected: bad.status!.rejected, wrote: bad.status!.wrote }, { used: false, rejected: true, wrote: true });
  assert.match(bad.js, /6 \* 7/);
  assert.is(start().status!.used, true);
});

test("INTERLEAVE_KERNEL_CODE_CACHE=0 turns it off", () => {
  const off = start({ INTERLEAVE_KERNEL_CODE_CACHE: "0" });
  assert.is(off.status, null);
  assert.match(off.js, /6 \* 7/);
});

test.run();
