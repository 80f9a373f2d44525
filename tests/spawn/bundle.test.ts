// The worker side of kernel-helpers/dist: a worker loads only core.js (through its
// V8 code cache) and index.js only when its code asks for "kernel-helpers"; either
// way there is one copy of every class in the worker.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { processes, threads } from "../../src/spawn/index";
import { bundleFile } from "../../src/spawn/entry";
import { Barrier, Mutex } from "../../src/sync/index";

for (const [kind, spawner] of [
  ["threads", threads],
  ["processes", processes],
] as const) {
  test(`${kind}: a revived primitive is an instance of the class require("kernel-helpers") gives the worker`, async () => {
    const sharing = kind === "threads" ? "thread" : "process";
    const run = await spawner.run(
      1,
      ({ lock, barrier }) => {
        const k = require("kernel-helpers");
        return [lock instanceof k.Mutex, barrier instanceof k.Barrier, typeof k.timeline];
      },
      { lock: new Mutex({ shared: sharing }), barrier: new Barrier(1, { shared: sharing }) },
    );
    assert.equal(run.results[0], [true, true, "function"]);
  });
}

test("a worker whose code does not ask for kernel-helpers loads core.js only", async () => {
  const loaded = () => {
    const names = Object.keys(require.cache);
    return [names.some((n) => n.endsWith("/dist/core.js")), names.some((n) => n.endsWith("/dist/index.js"))];
  };
  assert.equal((await threads.run(1, loaded)).results[0], [true, false]);
  assert.equal((await processes.run(1, loaded)).results[0], [true, false]);
});

test("V8 accepts the code cache of core.js with the wrapper worker.js compiles it in", () => {
  const core = join(dirname(bundleFile()), "core.js");
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(core, "utf8")}\n});`;
  const script = new Script(wrapped, { filename: core, cachedData: readFileSync(`${core}.cache`) });
  assert.is(script.cachedDataRejected, false);
  assert.match(readFileSync(bundleFile(), "utf8"), "(function (exports, require, module, __filename, __dirname) { ");
});

test.run();
