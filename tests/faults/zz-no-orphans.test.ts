// Runs last in tests/faults (files run in name order): nothing the suite started may
// be left on the machine. Other suites may be running beside this one, so it looks
// for orphans only, which no live test owns: tslab kernels whose connection file is
// gone, Jupyter servers or interleave workers re-parented to init, and /dev/shm
// segments whose creating process has exited. Each must persist 3 s to count.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync } from "node:fs";
import { alive } from "../../tools/procs";
import { sleep } from "./helpers";
import { liveProcesses } from "../procfs";

function orphans(): string[] {
  const found: string[] = [];
  for (const p of liveProcesses()) {
    const line = p.cmd.join(" ");
    const cfg = p.cmd[p.cmd.indexOf("--config-path") + 1];
    if (/tslab kernel/.test(line) && cfg && /interleave-jupyter-/.test(cfg) && !existsSync(cfg)) found.push(`kernel ${p.pid}: ${line.slice(0, 120)}`);
    else if (p.ppid === 1 && /jupyter/.test(line) && /--(ServerApp|NotebookApp)\.token=/.test(line)) found.push(`server ${p.pid}: ${line.slice(0, 120)}`);
    else if (p.ppid === 1 && /kernel-helpers\/dist\/worker\.js/.test(line)) found.push(`worker ${p.pid}: ${line.slice(0, 120)}`);
  }
  for (const name of readdirSync("/dev/shm")) {
    const m = /^interleave-(\d+)-/.exec(name);
    if (m && !alive(Number(m[1]))) found.push(`segment /dev/shm/${name} (pid ${m[1]} has exited)`);
  }
  return found;
}

test("no orphaned kernel, server, worker process or /dev/shm segment is left", async () => {
  const first = orphans();
  if (first.length) await sleep(3000); // something may be in the middle of being reaped
  const still = first.length ? orphans().filter((o) => first.includes(o)) : [];
  assert.equal(still, []);
});

test.run();
