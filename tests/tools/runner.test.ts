// The notebook runner against a real Jupyter server and real tslab kernels: one
// run over four fixtures (passing, hanging, raises-exception, failing), checked
// from every side: report, exit status, executed copies, timings, processes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixture, readPids, removeDir, root, runTool, stillAlive, tempDir, validateNotebooks, type ToolRun } from "./helpers";

const names = ["pass", "hang", "raises", "fail"];
const hash = (p: string) =>
  createHash("sha256")
    .update(readFileSync(join(root, p)))
    .digest("hex");
const dir = tempDir("runner");
const sourcesBefore = names.map((n) => hash(fixture(n)));
let run: ToolRun;

test.before(async () => {
  run = await runTool("runner", [...names.map(fixture), "--build-dir", dir, "--pid-log", join(dir, "pids")]);
});
test.after(() => removeDir(dir));

test("exit status is non-zero when a notebook failed, and the summary counts them", () => {
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, "4 notebooks: 2 passed, 2 failed");
});

test("a failing cell is reported with notebook, cell index, first line and error text", () => {
  assert.match(run.stderr, 'FAILED tests/fixtures/notebooks/fail.ipynb, cell 2 (`throw new Error("fixture boom");`)');
  assert.match(run.stderr, "Error: fixture boom");
  const nb = JSON.parse(readFileSync(join(dir, "notebooks/fail.ipynb"), "utf8"));
  assert.is(nb.cells[2].execution_count, null, "cells after the failure are not run");
});

test("a hanging cell times out (notebook metadata), the kernel is interrupted, the run goes on", () => {
  assert.match(run.stderr, /FAILED tests\/fixtures\/notebooks\/hang\.ipynb, cell 2 .* timed out/);
  assert.match(run.stderr, "did not finish within 3 s; the kernel was interrupted");
  assert.match(run.stderr, "Script execution was interrupted by `SIGINT`"); // tslab's own word: it really was
  const t = JSON.parse(readFileSync(join(dir, "timings.json"), "utf8"));
  assert.is(t.notebooks["tests/fixtures/notebooks/hang.ipynb"].failure.kind, "timeout");
  assert.is(t.notebooks["tests/fixtures/notebooks/raises.ipynb"].status, "passed", "the notebook after the hang ran");
});

test("cells tagged raises-exception may fail; the others still run", () => {
  assert.not.match(run.stderr, "raises.ipynb,");
  const nb = JSON.parse(readFileSync(join(dir, "notebooks/raises.ipynb"), "utf8"));
  const text = JSON.stringify(nb.cells.map((c: { outputs: unknown }) => c.outputs));
  assert.match(text, "expected failure");
  assert.match(text, "runs after the expected error");
  assert.match(text, "still fine");
});

test("tslab's values arrive on stdout and are kept as outputs; the kernel runs in the notebook's folder", () => {
  const nb = JSON.parse(readFileSync(join(dir, "notebooks/pass.ipynb"), "utf8"));
  assert.equal(nb.cells[1].outputs, [{ output_type: "stream", name: "stdout", text: "42\n" }]);
  assert.match(JSON.stringify(nb.cells[2].outputs), "cwd ends with fixtures/notebooks");
  assert.is(nb.cells[5].outputs[0].output_type, "display_data");
  assert.ok(nb.cells[5].outputs[0].data["image/svg+xml"]);
});

test("executed copies are valid, trusted nbformat 4.5; the sources are untouched", () => {
  assert.is(validateNotebooks(names.map((n) => join(dir, "notebooks", `${n}.ipynb`))), "");
  assert.equal(
    names.map((n) => hash(fixture(n))),
    sourcesBefore,
  );
});

test("timings: per notebook and per cell", () => {
  const t = JSON.parse(readFileSync(join(dir, "timings.json"), "utf8"));
  const pass = t.notebooks["tests/fixtures/notebooks/pass.ipynb"];
  assert.is(pass.status, "passed");
  assert.ok(pass.seconds > 0);
  assert.equal(
    pass.cells.map((c: { cell: number }) => c.cell),
    [2, 3, 4, 5, 6],
  );
  assert.ok(pass.cells.every((c: { seconds: number; status: string }) => c.seconds >= 0 && c.status === "ok"));
  assert.is(t.notebooks["tests/fixtures/notebooks/raises.ipynb"].cells[0].status, "expected-error");
  for (const name of names) {
    const nb = t.notebooks[`tests/fixtures/notebooks/${name}.ipynb`];
    for (const k of ["kernelWaitSeconds", "timingWaitSeconds", "closeSeconds"]) assert.ok(nb[k] >= 0 && nb[k] <= nb.seconds, `${name}: ${k}`);
  }
});

test("timings: one record per build, with its wall time and how busy the machine was", () => {
  const t = JSON.parse(readFileSync(join(dir, "timings.json"), "utf8"));
  assert.is(t.builds.length, 1);
  const b = t.builds[0];
  assert.equal(b.notebooks, names.map(fixture));
  assert.is(b.passed, 2);
  assert.is(b.failed, 2);
  assert.is(b.jobs, 1);
  assert.is(b.complete, false, "fixtures are not the whole course");
  assert.ok(b.seconds > 0 && Date.parse(b.finishedAt) > Date.parse(b.startedAt));
  assert.ok(b.cpuSeconds === null || b.cpuSeconds > 0);
  assert.ok(b.machine.cores >= 1 && b.machine.loadAtStart >= 0);
  assert.ok(b.machine.otherCpuShare === null || (b.machine.otherCpuShare >= 0 && b.machine.otherCpuShare <= 1));
  assert.ok(b.machine.stealShare === null || (b.machine.stealShare >= 0 && b.machine.stealShare <= 1), "the host's steal, a share of the cores' time");
  if (process.platform === "linux") assert.type(b.machine.stealShare, "number");
});

test("after a run with failures, the server and every kernel it started are gone", async () => {
  const pids = readPids(join(dir, "pids"));
  assert.is(pids.server.length, 1);
  assert.is(pids.kernel.length, 4, "one fresh kernel per notebook");
  assert.equal(await stillAlive([...pids.server, ...pids.kernel]), []);
});

test.run();
