// Segments outlive no owner, however it ends: the reaper (src/shm/reaper.ts) removes
// what a SIGKILLed owner leaves, and a SIGINT listener installed inside a
// breakOnSigint script (a tslab cell) still hears the next interrupt
// (src/shm/signals.ts). The owners are this file run again as a child
// (SEGMENTS_CHILD=<mode>), so the test needs no fixture.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import vm from "node:vm";
import { Segment, reaperPid } from "../../src/shm";
import { onOwnSignal, rearmSigintIfAdded, sigintListeners } from "../../src/shm/signals";
import { alive } from "../../tools/procs";

const mode = process.env.SEGMENTS_CHILD;
if (mode) runChild(mode);
else runTests();

function runChild(m: string): void {
  if (m === "hold" || m === "exit") {
    const a = Segment.create(4096);
    Segment.create(4096); // a second segment: still one reaper
    console.log(`READY ${a.name} ${reaperPid() ?? 0}`);
    if (m === "hold") setInterval(() => undefined, 1000); // until killed; "exit" ends by itself
  } else if (m === "vm") {
    // tslab's pattern: a host SIGINT listener, and a cell whose synchronous part runs
    // as vm.runInThisContext(…, { breakOnSigint }) and installs interleave's listener.
    const heard: string[] = [];
    process.on("SIGINT", () => heard.push("host"));
    (globalThis as Record<string, unknown>).firstUse = () =>
      onOwnSignal(
        "SIGINT",
        () => heard.push("cleanup"),
        () => heard.push("interleave"),
      );
    const before = sigintListeners();
    vm.runInThisContext("firstUse()", { breakOnSigint: true });
    const rearmed = rearmSigintIfAdded(before);
    setTimeout(() => process.kill(process.pid, "SIGINT"), 50);
    setTimeout(() => console.log(`HEARD rearmed=${rearmed} ${heard.join(",")}`), 500);
  }
}

function runTests(): void {
  const started: ChildProcess[] = [];
  test.after(() => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });

  function owner(m: string, detached = false): Promise<{ child: ChildProcess; name: string; reaper: number }> {
    const child = spawn(process.execPath, ["--import", "tsx", __filename], {
      env: { ...process.env, SEGMENTS_CHILD: m },
      stdio: ["ignore", "pipe", "inherit"],
      detached,
    });
    started.push(child);
    return new Promise((resolve, reject) => {
      let out = "";
      child.stdout!.setEncoding("utf8").on("data", (d: string) => {
        out += d;
        const r = /READY (\S+) (\d+)/.exec(out);
        if (r) resolve({ child, name: r[1], reaper: Number(r[2]) });
      });
      child.once("exit", (code, sig) => reject(new Error(`the owner ended first (${code ?? sig}): ${out}`)));
    });
  }

  function stat(pid: number): string[] {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    return s.slice(s.lastIndexOf(")") + 2).split(" "); // [state, ppid, pgrp, session, …]
  }

  const reapersOf = (pid: number): number[] =>
    readdirSync("/proc")
      .filter((n) => /^\d+$/.test(n) && alive(Number(n)))
      .map(Number)
      .filter((p) => {
        try {
          return stat(p)[1] === String(pid) && readFileSync(`/proc/${p}/cmdline`, "utf8").includes("interleave-shm-reaper");
        } catch {
          return false;
        }
      });

  async function until(ok: () => boolean, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return ok();
  }

  test("one reaper per owner, in its own session; a SIGKILLed owner's segments are gone at once, and so is the reaper", async () => {
    const { child, name, reaper } = await owner("hold");
    assert.ok(reaper > 0 && alive(reaper), "the reaper runs");
    assert.equal(reapersOf(child.pid!), [reaper], "one reaper for two segments");
    assert.is.not(stat(reaper)[3], stat(child.pid!)[3], "its own session");
    assert.ok(existsSync(`/dev/shm${name}`));
    child.kill("SIGKILL");
    assert.ok(await until(() => !existsSync(`/dev/shm${name}`), 1000), `${name} left 1 s after SIGKILL`);
    assert.ok(await until(() => !alive(reaper), 1000), "the reaper outlived its owner");
  });

  test("SIGKILL to the owner's whole process group (what Jupyter sends a kernel) does not reach the reaper", async () => {
    const { child, name, reaper } = await owner("hold", true);
    process.kill(-child.pid!, "SIGKILL");
    assert.ok(await until(() => !existsSync(`/dev/shm${name}`), 1000), `${name} left 1 s after the group's SIGKILL`);
    assert.ok(await until(() => !alive(reaper), 1000), "the reaper outlived its owner");
  });

  test("the reaper never keeps its owner alive: an owner with nothing left to do exits, the reaper with it", async () => {
    const { child, name, reaper } = await owner("exit");
    const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once("exit", r)));
    assert.is(code, 0);
    assert.not.ok(existsSync(`/dev/shm${name}`), "the exit hook unlinked it");
    assert.ok(await until(() => !alive(reaper), 1000), "the reaper outlived its owner");
  });

  test("a first SIGINT listener added inside a breakOnSigint script is re-armed: the next SIGINT reaches the host and interleave", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", __filename], {
      env: { ...process.env, SEGMENTS_CHILD: "vm" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    started.push(child);
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    const [code, sig] = await new Promise<[number | null, string | null]>((r) => child.once("exit", (c, s) => r([c, s])));
    assert.is(sig, null, `killed by ${sig}: the SIGINT met Node's default action`);
    assert.is(code, 0);
    assert.match(out, /HEARD rearmed=true (interleave,host|host,interleave)\n/);
  });

  test.run();
}
