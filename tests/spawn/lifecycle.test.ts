// Lifecycle: nothing outlives a run — after a throw, a timeout, SIGINT to the host,
// stopAll(), or the death of the host's parent.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { threads, processes, stopAll, liveCount } from "../../src/spawn/index";
import { Mutex } from "../../src/sync/index";
import { childPids, endlessRun, eventually, shmSegments, threadCount, workerHandles } from "./helpers";

const HOST = join(__dirname, "fixtures", "host.ts");
let baseline = 0;
const started: number[] = [];

// Whatever a failed test leaves running is ended here, so a failure cannot hang the suite.
test.after(() => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
});

function startHost(mode: string, via?: "middle"): { child: ChildProcess; lines: string[]; hostPid: () => number } {
  const args = ["--import", "tsx", HOST, mode];
  // "middle": an intermediate node process starts the host, so we can kill the host's parent.
  const child = via
    ? spawn(
        process.execPath,
        [
          "-e",
          `const c=require("child_process").spawn(process.execPath, ${JSON.stringify(args)}, { stdio: ["ignore", "inherit", "inherit"] }); console.log("HOSTPID " + c.pid); setInterval(() => {}, 1000);`,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      )
    : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (d: string) => lines.push(...d.split("\n").filter(Boolean)));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => lines.push(...d.split("\n").filter(Boolean)));
  const hostPid = (): number => (via ? Number(lines.find((l) => l.startsWith("HOSTPID"))?.split(" ")[1]) : child.pid!);
  started.push(child.pid!);
  child.stdout!.on("data", () => {
    const h = hostPid();
    if (h && !started.includes(h)) started.push(h);
  });
  return { child, lines, hostPid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("baseline", async () => {
  await threads.run(1, () => 0); // loads the parser and the worker bundle once
  baseline = threadCount();
});

test("after a run that throws: no thread, no child", async () => {
  await threads
    .run(3, ({ id }) => {
      if (id === 2) throw new Error("x");
      for (;;) {}
    })
    .catch(() => 0);
  await processes
    .run(2, ({ id }) => {
      if (id === 1) throw new Error("x");
      for (;;) {}
    })
    .catch(() => 0);
  assert.equal(childPids(), []);
  assert.ok(await eventually(() => threadCount() <= baseline), `threads ${threadCount()} > ${baseline}`);
  assert.is(workerHandles(), 0);
  assert.is(liveCount(), 0);
});

test("after a timeout: no thread, no child", async () => {
  const e1 = await endlessRun(threads, 2, 200);
  const e2 = await endlessRun(processes, 2, 200);
  assert.is(e1.name, "RunTimeoutError");
  assert.is(e2.name, "RunTimeoutError");
  assert.equal(childPids(), []);
  assert.ok(await eventually(() => threadCount() <= baseline));
  assert.is(workerHandles(), 0);
});

test("stopAll() ends pending runs with InterruptedError and unlinks segments", async () => {
  const lock = new Mutex({ shared: "process" });
  assert.is(shmSegments(process.pid).length, 1);
  const pending = Promise.allSettled([
    threads.run(2, () => {
      for (;;) {}
    }),
    processes.run(
      1,
      ({ lock }) => {
        lock.lock();
        for (;;) {}
      },
      { lock },
    ),
  ]);
  await new Promise((r) => setTimeout(r, 700));
  await stopAll();
  const rs = await pending;
  assert.equal(
    rs.map((r) => (r.status === "rejected" ? (r.reason as Error).name : "ok")),
    ["InterruptedError", "InterruptedError"],
  );
  assert.equal(childPids(), []);
  assert.equal(shmSegments(process.pid), []);
  assert.ok(await eventually(() => threadCount() <= baseline));
});

test("SIGINT to a process hosting a run: it and everything it started are gone", async () => {
  const { child, lines } = startHost("plain");
  assert.ok(await eventually(() => lines.includes("READY"), 40000), lines.join("\n"));
  const kids = childPids(child.pid!);
  assert.is(kids.length, 2);
  assert.is(shmSegments(child.pid!).length, 2); // the mutex and the run's status board
  const exited = new Promise<string>((r) => child.once("exit", (c, s) => r(s ?? String(c))));
  process.kill(child.pid!, "SIGINT");
  // Plain node dies by the re-raised SIGINT; under tsx its own relay exits with 128 + 2.
  assert.ok(["SIGINT", "130"].includes(await exited));
  assert.ok(await eventually(() => kids.every((k) => !alive(k))), "children still alive");
  assert.equal(shmSegments(child.pid!), []);
});

test("SIGINT to a plain Node script hosting a run (the built bundle): default death, no segment, no child", async () => {
  const child = spawn(process.execPath, [join(__dirname, "fixtures", "host-plain.js")], { stdio: ["ignore", "pipe", "pipe"] });
  started.push(child.pid!);
  const lines: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (d: string) => lines.push(...d.split("\n").filter(Boolean)));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => lines.push(...d.split("\n").filter(Boolean)));
  assert.ok(await eventually(() => lines.includes("READY"), 40000), lines.join("\n"));
  const kids = childPids(child.pid!);
  assert.is(kids.length, 1);
  assert.is(shmSegments(child.pid!).length, 2); // the mutex and the run's status board
  const exited = new Promise<[number | null, string | null]>((r) => child.once("exit", (c, s) => r([c, s])));
  process.kill(child.pid!, "SIGINT");
  const [code, signal] = await exited;
  assert.is(signal, "SIGINT", `exit code ${code}; output:\n${lines.join("\n")}`);
  assert.ok(await eventually(() => kids.every((k) => !alive(k))), "child process still alive");
  assert.equal(shmSegments(child.pid!), []);
});

test("interleave's signal listeners are registered in the shared set, and only they", async () => {
  const { ownSignalListeners, hostListenerCount } = await import("../../src/shm/signals");
  const own = ownSignalListeners();
  assert.is(own, (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("interleave.signalHandlers")]);
  for (const l of process.listeners("SIGINT")) assert.ok(own.has(l), "a SIGINT listener outside the set");
  assert.is(hostListenerCount("SIGINT"), 0);
  const host = (): void => {};
  process.on("SIGINT", host);
  assert.is(hostListenerCount("SIGINT"), 1);
  process.removeListener("SIGINT", host);
});

test("SIGINT to a kernel-like host (it has its own SIGINT handler): workers end, the host lives on", async () => {
  const { child, lines } = startHost("kernel");
  assert.ok(await eventually(() => lines.includes("READY"), 40000), lines.join("\n"));
  const kids = childPids(child.pid!);
  const tasksBefore = threadCount(child.pid!);
  process.kill(child.pid!, "SIGINT");
  assert.ok(await eventually(() => lines.some((l) => l.startsWith("SETTLED")), 5000), lines.join("\n"));
  const settled = lines.find((l) => l.startsWith("SETTLED"))!;
  assert.match(settled, /SETTLED InterruptedError,InterruptedError/);
  assert.ok(lines.includes("HOST-SIGINT"));
  const tasksAfter = Number(/tasks=(\d+)/.exec(settled)![1]);
  assert.ok(tasksAfter <= tasksBefore - 4, `threads before ${tasksBefore}, after ${tasksAfter}`);
  assert.ok(kids.every((k) => !alive(k)));
  assert.equal(shmSegments(child.pid!), []);
  await new Promise((r) => child.once("exit", r));
});

test("the host's parent dies: the host still reaps its workers", async () => {
  const { child, lines, hostPid } = startHost("kernel", "middle");
  assert.ok(await eventually(() => lines.includes("READY"), 40000), lines.join("\n"));
  const host = hostPid();
  const kids = childPids(host);
  assert.is(kids.length, 2);
  child.kill("SIGKILL"); // the "server" dies; the host is re-parented
  assert.ok(await eventually(() => lines.some((l) => l.startsWith("SETTLED")), 5000), lines.join("\n"));
  assert.ok(kids.every((k) => !alive(k)));
  assert.ok(await eventually(() => !alive(host), 3000));
});

test.run();
