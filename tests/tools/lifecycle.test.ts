// SIGINT to the runner mid-run: it stops, exits 130, and leaves neither the
// Jupyter server nor the busy tslab kernel behind (checked by pid in /proc).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { alive, pidsWithArg } from "../../tools/procs";
import { fixture, readPids, removeDir, startTool, stillAlive, tempDir, waitFor } from "./helpers";

const dir = tempDir("sigint");
test.after(() => removeDir(dir));

test("SIGINT mid-run: server and kernel are gone, exit status 130", async () => {
  const log = join(dir, "pids");
  const { child, done } = startTool("runner", [fixture("busy"), "--build-dir", join(dir, "build"), "--pid-log", log]);
  try {
    // The kernel pid is logged when the first cell starts; give the busy cell a moment to begin.
    await waitFor(() => existsSync(log) && readFileSync(log, "utf8").includes("kernel "), 90_000, "the kernel to start");
    await new Promise((r) => setTimeout(r, 1500));
    const pids = readPids(log);
    assert.ok([...pids.server, ...pids.kernel].every(alive), "server and kernel run before the signal");
    child.kill("SIGINT");
    const r = await done;
    assert.is(r.code, 130, r.stderr);
    assert.match(r.stderr, "interrupted (SIGINT)");
    assert.equal(await stillAlive([...pids.server, ...pids.kernel]), []);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});

test("npm run lab: prints a 127.0.0.1 URL with a token that answers; Ctrl-C leaves no server", async () => {
  const { child, done } = startTool("lab", ["--no-browser"]);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  try {
    await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/\S+\?token=\w+/.test(out), 90_000, "the lab URL");
    const url = /http:\/\/127\.0\.0\.1:\d+\/\S+\?token=\w+/.exec(out)![0];
    const port = new URL(url).port;
    assert.is((await fetch(url)).status, 200);
    const specs = (await (await fetch(url.replace(/\/(lab|tree)\?/, "/api/kernelspecs?"))).json()) as { default: string; kernelspecs: Record<string, unknown> };
    assert.is(specs.default, "tslab");
    assert.ok(specs.kernelspecs.jslab);
    const server = pidsWithArg(`--port=${port}`);
    assert.is(server.length, 1, "one server process");
    child.kill("SIGINT");
    const r = await done;
    assert.is(r.code, 130, r.stderr);
    assert.equal(await stillAlive(server), []);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});

test.run();
