// Where workers start (src/spawn/entry.ts): the bundle's directory is given to
// spawning; code run from the sources, which registered none, uses the installed one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { bundleFile, setWorkerBundle } from "../../src/spawn/entry";
import { threads } from "../../src/spawn/index";

test("from the sources: the installed bundle, its entry and its API module side by side", () => {
  const entry = bundleFile();
  assert.ok(entry.endsWith("/worker.js") && existsSync(entry), entry);
  assert.is(bundleFile("api"), join(dirname(entry), "index.js"));
});

test("a bundle given with setWorkerBundle is where workers start", async () => {
  const installed = dirname(bundleFile());
  setWorkerBundle("/nowhere/bundle");
  try {
    assert.is(bundleFile(), "/nowhere/bundle/worker.js");
    const err = await threads.run(1, () => 1).catch((e) => e);
    assert.instance(err, Error);
    assert.match(String(err.message), "/nowhere/bundle/worker.js");
  } finally {
    setWorkerBundle(installed);
  }
  assert.equal((await threads.run(2, ({ id }) => id * 2)).results, [0, 2]);
});

test.run();
