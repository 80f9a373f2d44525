// Bad input: each gets a one-paragraph error that says what to do, a non-zero
// exit status, and no Jupyter process behind it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fixture, readPids, removeDir, runTool, tempDir } from "./helpers";

const dir = tempDir("errors");
test.after(() => removeDir(dir));

test("a notebook path that does not exist", async () => {
  const r = await runTool("runner", ["notebooks/99-nope.ipynb"]);
  assert.is(r.code, 2);
  assert.match(r.stderr, "runner: notebook notebooks/99-nope.ipynb does not exist");
  assert.match(r.stderr, "notebooks/01-introduction.ipynb");
  assert.not.match(r.stderr, "    at "); // no stack trace
});

test("a notebook outside the repository", async () => {
  const outside = join(dir, "outside.ipynb");
  writeFileSync(outside, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
  const r = await runTool("notes", [outside]);
  assert.is(r.code, 2);
  assert.match(r.stderr, "lies outside the repository");
});

test("a malformed .ipynb is reported before any server starts", async () => {
  const pids = join(dir, "pids-malformed");
  const r = await runTool("runner", [fixture("pass"), fixture("malformed"), "--pid-log", pids]);
  assert.is(r.code, 2);
  assert.match(r.stderr, "tests/fixtures/notebooks/malformed.ipynb is not a valid notebook: it is not JSON");
  assert.match(r.stderr, "restore it from git");
  assert.equal(readPids(pids).server, []);
});

test("a port in use", async () => {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const r = await runTool("runner", [fixture("pass"), "--port", String(port), "--pid-log", join(dir, "pids-port")]);
    assert.is(r.code, 2);
    assert.match(r.stderr, `port ${port} on 127.0.0.1 is already in use`);
    assert.equal(readPids(join(dir, "pids-port")).server, []);
  } finally {
    blocker.close();
  }
});

test("Jupyter missing: the apt line and the conda route", async () => {
  // A PATH with node and nothing else.
  const bin = join(dir, "bin");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "node"));
  const r = await runTool("notes", [fixture("pass")], { ...process.env, PATH: bin });
  assert.is(r.code, 3);
  assert.match(r.stderr, "jupyter nbconvert is not installed");
  assert.match(r.stderr, "apt-get install -y --no-install-recommends jupyter-server");
  assert.match(r.stderr, "conda env create -f environment.yml");
  const lab = await runTool("lab", [], { ...process.env, PATH: bin });
  assert.is(lab.code, 3);
  assert.match(lab.stderr, "no Jupyter user interface is installed");
});

test("bad options name the option and the fix (the rest is unit-tested on parseArgs)", async () => {
  let r = await runTool("notes", ["--jobs", "zero"]);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'notes: option --jobs must be a positive integer, got "zero"');
  r = await runTool("kernelspec", ["sideways"]);
  assert.is(r.code, 2);
  assert.match(r.stderr, "unknown command");
});

test.run();
