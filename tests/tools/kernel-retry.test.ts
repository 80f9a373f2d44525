// openKernel's one retry: a kernel that never answers its start is shut down and
// another started in its place; two that never answer give a clear error. The
// kernels are real processes of a real Jupyter server: a kernelspec (in the
// project's Jupyter data dir, removed afterwards) whose first start hangs, and one
// that always hangs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type JupyterServer } from "../../tools/jupyter-server";
import { openKernel } from "../../tools/kernel-session";
import { jupyterDataDir } from "../../tools/paths";
import { tslabBin } from "../../tools/kernelspec";
import { removeDir, stillAlive, tempDir } from "./helpers";

const dir = tempDir("kernel-retry");
const marker = join(dir, "first-start");
const specs = { hangOnce: `interleave-test-hang-once-${process.pid}`, hang: `interleave-test-hang-${process.pid}` };
let server: JupyterServer;

// First start (no marker): write its pid and never answer. Later starts: tslab.
const launcher = join(dir, "launcher.js");
writeFileSync(
  launcher,
  `const fs = require("fs");
   const [conn, marker, always] = process.argv.slice(2);
   if (always === "hang" || !fs.existsSync(marker)) {
     fs.appendFileSync(marker, process.pid + "\\n");
     setInterval(() => {}, 1000);
   } else {
     process.argv = [process.argv[0], ${JSON.stringify(tslabBin())}, "kernel", "--config-path", conn];
     require(${JSON.stringify(tslabBin())});
   }`,
);

function writeSpec(name: string, always: string) {
  const d = join(jupyterDataDir, "kernels", name);
  mkdirSync(d, { recursive: true });
  const argv = [process.execPath, launcher, "{connection_file}", always === "hang" ? join(dir, "always") : marker, always];
  writeFileSync(join(d, "kernel.json"), JSON.stringify({ argv, display_name: name, language: "typescript", interrupt_mode: "signal" }));
}

test.before(async () => {
  writeSpec(specs.hangOnce, "once");
  writeSpec(specs.hang, "hang");
  server = await startServer();
});

test.after(async () => {
  await server?.stop();
  for (const name of Object.values(specs)) rmSync(join(jupyterDataDir, "kernels", name), { recursive: true, force: true });
  removeDir(dir);
});

/** Runs `fn` with this process's stderr captured; resolves with its result or error and what was written. */
async function capturingStderr<T>(fn: () => Promise<T>): Promise<{ value?: T; err?: Error; said: string }> {
  const said: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    said.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await fn(), said: said.join("") };
  } catch (e) {
    return { err: e as Error, said: said.join("") };
  } finally {
    process.stderr.write = write;
  }
}

const pidsIn = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").map(Number) : []);

test("a kernel that never answers is replaced by one that does, said on stderr, and shut down", async () => {
  const { value: kernel, err, said } = await capturingStderr(() => openKernel(server, "notebooks/01-introduction.ipynb", specs.hangOnce, 4));
  if (!kernel) throw err;
  try {
    assert.match(
      said,
      new RegExp(`the ${specs.hangOnce} kernel for notebooks/01-introduction.ipynb did not answer within 4 s \\(WebSocket \\w+\\); starting another`),
    );
    const r = await kernel.execute("6 * 7", 30);
    assert.is(r.status, "ok");
    assert.match(JSON.stringify(r.outputs), "42");
    const [hung] = pidsIn(marker);
    assert.ok(hung > 0, "the first start ran");
    assert.equal(await stillAlive([hung], 10_000), [], "the kernel that did not answer is gone");
  } finally {
    await kernel.close();
  }
});

test("two kernels that never answer: an error naming both attempts, and neither is left", async () => {
  const { err } = await capturingStderr(() => openKernel(server, "notebooks/02-threads-and-processes.ipynb", specs.hang, 3));
  assert.ok(err, "openKernel should have failed");
  assert.match(
    err!.message,
    new RegExp(
      `the ${specs.hang} kernel for notebooks/02-threads-and-processes.ipynb did not answer within 3 s, twice \\(WebSocket \\w+; then WebSocket \\w+\\)\\. Check that`,
    ),
  );
  const pids = pidsIn(join(dir, "always"));
  assert.is(pids.length, 2, "two starts");
  assert.equal(await stillAlive(pids, 10_000), [], "both are gone");
});

test("a kernel the server cannot start is no timeout: its error comes at once, without a second try", async () => {
  const t0 = Date.now();
  const { err, said } = await capturingStderr(() =>
    openKernel(server, "notebooks/03-memory-sharing-threads.ipynb", `interleave-test-missing-${process.pid}`, 30),
  );
  assert.ok(err, "openKernel should have failed");
  assert.not.match(err!.message, "did not answer");
  assert.not.match(said, "starting another");
  assert.ok(Date.now() - t0 < 15_000, "no wait for a start timeout");
});

test.run();
