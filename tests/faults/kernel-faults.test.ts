// Faults inside a real tslab kernel behind the project's Jupyter server: interrupt,
// a child SIGKILLed mid-run, chapter 12's deadlocks, a worker out of memory, kernel
// restart, kill -9 and shutdown during a run. After each: what the kernel started is
// gone, and (where it survives) the kernel answers the next cell.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BUSY_CELL, descendants, living, openBench, segmentsOf, sleep, threadCount, until, workerProcesses, type KernelBench } from "./helpers";

let bench: KernelBench;
let baseThreads = 0;

test.before(async () => {
  bench = await openBench();
  // Warm up: load kernel-helpers and start one of each kind, so the baseline counts
  // the threads that stay (V8 platform, libuv pool), not ones a first run adds.
  const r = await bench.cell(
    `
import { threads, processes, stopAll, DeadlockError, robots, trainsOnThreads, Mutex, Barrier, sharedArray } from "kernel-helpers";
await threads.run(1, () => 1);
await processes.run(1, () => 1);
console.log("warm");`,
    120,
  );
  assert.is(r.status, "ok", r.text);
  await sleep(500);
  baseThreads = threadCount(bench.pid);
});

let closed = false;
test.after(async () => {
  if (bench && !closed) await bench.close(); // a test failed early: still leave nothing behind
});

async function answersFast(): Promise<number> {
  const t0 = Date.now();
  const r = await bench.cell("console.log(6 * 7)", 10);
  assert.is(r.status, "ok", r.text);
  assert.match(r.text, "42");
  return Date.now() - t0;
}

test("interrupt during 4 threads + 2 processes: all gone, the kernel answers within 1 s", async () => {
  const pid = bench.pid;
  const running = bench.cell(BUSY_CELL, 120);
  assert.ok(await until(() => workerProcesses(pid).length === 2 && threadCount(pid) >= baseThreads + 4, 30_000), "the 6 workers started");
  const kids = workerProcesses(pid);
  const t0 = Date.now();
  assert.is(await bench.rest("interrupt"), 204);
  const r = await running;
  assert.is(r.status, "error", "the interrupted cell ends with an error");
  assert.match(r.text, /Interrupt/i, r.text);
  assert.ok(Date.now() - t0 < 3000, `the cell ended ${Date.now() - t0} ms after the interrupt`);
  const ms = await answersFast();
  assert.ok(ms < 1000, `next cell answered after ${ms} ms`);
  assert.ok(
    await until(() => living(kids).length === 0 && threadCount(pid) <= baseThreads, 3000),
    `left: processes ${living(kids)}, threads ${threadCount(pid)} > ${baseThreads}`,
  );
});

// BUG (reported to the lead): while a cell's synchronous part runs, Node's vm
// (breakOnSigint, used by tslab) removes every SIGINT listener, interleave's too, and
// consumes the signal itself. The cell ends with ERR_SCRIPT_EXECUTION_INTERRUPTED but
// the worker threads it started keep spinning forever. Here the cell starts 2 threads,
// then loops synchronously; the interrupt lands in the loop.
test("interrupt during a cell's synchronous part: the threads it started are stopped too", async () => {
  const pid = bench.pid;
  const running = bench.cell(
    `{
  const pending = threads.run(2, () => { for (;;) {} }, {}, { deadlockAfter: Infinity });
  pending.catch(() => undefined);
  const end = Date.now() + 8000;
  while (Date.now() < end) {}
  await pending;
}`,
    60,
  );
  assert.ok(await until(() => threadCount(pid) >= baseThreads + 2, 30_000), "the 2 threads started");
  await sleep(300);
  assert.is(await bench.rest("interrupt"), 204);
  const r = await running;
  assert.is(r.status, "error", r.text);
  const gone = await until(() => threadCount(pid) <= baseThreads, 3000);
  const left = threadCount(pid);
  if (!gone) await bench.cell("await stopAll()", 30); // do not let the leak spoil the next tests
  assert.ok(gone, `threads still running 3 s after the interrupt: ${left} > ${baseThreads}`);
});

test("SIGKILL of one child mid-run: the run rejects naming SIGKILL, the rest stop, segments unlinked", async () => {
  const pid = bench.pid;
  const running = bench.cell(
    `
{
  const counts = sharedArray("int32", 3, { shared: "process" });
  let err: any = null;
  try {
    await processes.run(3, ({ id, counts }) => { for (;;) counts.add(id, 1); }, { counts }, { deadlockAfter: Infinity });
  } catch (e) { err = e; }
  console.log("RESULT", err?.name, "|", err?.signal, "|", err?.message);
}
await stopAll();  // documented: unlinks every segment this kernel made
`,
    60,
  );
  assert.ok(await until(() => workerProcesses(pid).length === 3, 30_000), "3 children started");
  assert.ok(segmentsOf(pid).length >= 1, "the shared array lives in /dev/shm while the run goes on");
  await sleep(300);
  const kids = workerProcesses(pid);
  process.kill(kids[1], "SIGKILL");
  const r = await running;
  assert.is(r.status, "ok", r.text);
  assert.match(r.text, /RESULT .*SIGKILL/);
  assert.ok(await until(() => living(kids).length === 0, 3000), `children left: ${living(kids)}`);
  assert.ok(await until(() => segmentsOf(pid).length === 0, 2000), `segments left: ${segmentsOf(pid)}`);
  assert.ok((await answersFast()) < 1000);
});

const deadlockCells: [string, string][] = [
  [
    "robots",
    `{
  const t0 = performance.now();
  const r = await robots();
  console.log("RESULT", r.deadlocked, Math.round(performance.now() - t0), JSON.stringify(r.graph?.cycle ?? []));
}`,
  ],
  [
    "trains without a strategy",
    `{
  const t0 = performance.now();
  const r = await trainsOnThreads("none");
  console.log("RESULT", r.deadlocked, Math.round(performance.now() - t0), JSON.stringify(r.graph?.cycle ?? []));
}`,
  ],
  [
    "philosophers",
    `{
  const forks = Array.from({ length: 5 }, (_, i) => new Mutex({ label: "fork " + i }));
  const seated = new Barrier(5);
  const t0 = performance.now();
  let err: any = null;
  try {
    await threads.run(5, ({ id, n, forks, seated }) => {
      forks[id].lock();
      seated.wait();
      forks[(id + 1) % n].lock();
    }, { forks, seated }, { deadlockAfter: 500 });
  } catch (e) { err = e; }
  console.log("RESULT", err instanceof DeadlockError, Math.round(performance.now() - t0), JSON.stringify(err?.graph?.cycle ?? []));
}`,
  ],
];

for (const [name, code] of deadlockCells) {
  test(`deadlock from chapter 12, ${name}: caught within 2 s with the wait-for graph; the next cell runs`, async () => {
    const pid = bench.pid;
    let r = await bench.cell(code, 30);
    let m = /RESULT (true|false) (\d+) (\[.*\])/.exec(r.text);
    // 2 cores shared with other suites: one slow start is noise, two are a finding.
    if (m && Number(m[2]) >= 2000) {
      r = await bench.cell(code, 30);
      m = /RESULT (true|false) (\d+) (\[.*\])/.exec(r.text);
    }
    assert.is(r.status, "ok", r.text);
    assert.ok(m, r.text);
    assert.is(m![1], "true", "reported as a deadlock");
    assert.ok(Number(m![2]) < 2000, `caught after ${m![2]} ms`);
    const cycle = JSON.parse(m![3]) as string[];
    assert.ok(cycle.length >= 4, `a cycle of workers and locks: ${m![3]}`);
    assert.ok(
      cycle.some((x) => /^t\d+$/.test(x)),
      `workers in the cycle: ${m![3]}`,
    );
    const next = await bench.cell("console.log((await threads.run(2, ({ id }) => id + 1)).results.join(','))", 30);
    assert.is(next.status, "ok", next.text);
    assert.match(next.text, "1,2");
    assert.ok(await until(() => threadCount(pid) <= baseThreads, 3000), `threads ${threadCount(pid)} > ${baseThreads}`);
  });
}

test("a worker allocating without bound hits resourceLimits, is reported, the kernel survives", async () => {
  const pid = bench.pid;
  const r = await bench.cell(
    `{
  let err: any = null;
  try {
    await threads.run(1, () => { const hoard: number[][] = []; for (;;) hoard.push(new Array(100000).fill(1)); },
      {}, { resourceLimits: { maxOldGenerationSizeMb: 32 } });
  } catch (e) { err = e; }
  console.log("RESULT", err?.name, "|", err?.code, "|", err?.message);
}`,
    60,
  );
  assert.is(r.status, "ok", r.text);
  assert.match(r.text, /RESULT .*(memory|resourceLimits|ERR_WORKER_OUT_OF_MEMORY)/i);
  assert.ok(bench.pid === pid && threadCount(pid) > 0, "the kernel process survived");
  assert.ok((await answersFast()) < 1000);
  assert.ok(await until(() => threadCount(pid) <= baseThreads, 3000), `threads ${threadCount(pid)} > ${baseThreads}`);
});

test("kernel restart during a run: the old kernel and everything it started are gone; the new one answers", async () => {
  const old = bench.pid;
  // The cell never gets a reply from a kernel that was restarted: its 20 s timeout
  // bounds the wait, and the test does not wait for it (below: at most 5 s).
  const running = bench.cell(BUSY_CELL, 20);
  assert.ok(await until(() => workerProcesses(old).length === 2, 30_000), "the run started");
  const started = [old, ...descendants(old)];
  assert.is(await bench.rest("restart"), 200);
  await Promise.race([running.catch(() => undefined), sleep(5000)]);
  assert.ok(await until(() => living(started).length === 0, 8000), `left after restart: ${living(started)}`);
  await adoptNewKernel(old);
  const r = await bench.cell(
    `import { threads, processes, sharedArray } from "kernel-helpers"; console.log((await threads.run(2, ({ id }) => id)).results.length)`,
    60,
  );
  assert.is(r.status, "ok", r.text);
  assert.match(r.text, "2");
  assert.equal(segmentsOf(old), []);
});

/** Waits for `started()`; when it does not come, fails with what the cell printed instead. */
async function runStarted(running: Promise<{ text: string }>, started: () => boolean): Promise<void> {
  let ended: string | null = null;
  running.then(
    (r) => (ended = r.text),
    (e: unknown) => (ended = String(e)),
  );
  const ok = (await until(() => started() || ended !== null, 30_000)) && started();
  assert.ok(ok, `the run did not start; the cell ended with: ${ended}`);
}

/**
 * Runs BUSY_CELL (`holdSegment`: after creating a process-shared array) with a
 * `timeoutS` s limit on kernel `pid`, and returns the pending reply once its 2
 * worker processes are up.
 */
async function startBusy(pid: number, timeoutS: number, holdSegment = false): Promise<{ running: ReturnType<KernelBench["cell"]> }> {
  const cell = (holdSegment ? `\nconst held = sharedArray("int32", 8, { shared: "process" });\n` : "") + BUSY_CELL;
  const running = bench.cell(cell, timeoutS);
  await runStarted(running, () => workerProcesses(pid).length === 2);
  return { running }; // wrapped: returning the promise itself would wait for the cell to end
}

/** After the kernel was replaced (restart, or Jupyter's autorestart after a crash): adopt the new one. */
async function adoptNewKernel(old: number): Promise<void> {
  assert.ok(await until(() => bench.server.kernelPids().some((p) => p !== old), 30_000), "a new kernel started");
  const fresh = bench.server.kernelPids();
  assert.is(fresh.length, 1, "one new kernel");
  bench.pid = fresh[0];
  bench.seen.add(fresh[0]);
}

// Regression (the cause of the segments a shutdown left behind): a SIGINT listener
// added while a cell's synchronous part runs (vm breakOnSigint) lost the signal to
// Node's default handler, so the next interrupt killed the kernel outright, before
// anything could clean up. Jupyter's shutdown starts with that interrupt. The fresh
// kernel of the restart test installed interleave's listeners in such a part.
test("a fresh kernel whose first run started in a cell's synchronous part survives an interrupt", async () => {
  const pid = bench.pid;
  const { running } = await startBusy(pid, 60, true);
  assert.is(await bench.rest("interrupt"), 204);
  const r = await running;
  assert.is(r.status, "error", r.text);
  assert.match(r.text, /Interrupt/i, r.text);
  assert.ok(threadCount(pid) > 0 && bench.server.kernelPids()[0] === pid, "the kernel lives on");
  assert.ok((await answersFast()) < 1000);
});

// kill -9 (the OOM killer, Jupyter's last resort) runs no code in the kernel: its
// threads die with it, its children by PR_SET_PDEATHSIG, and its segments are
// removed by its reaper (src/shm/reaper.ts) rather than by some later start.
test("kill -9 of the kernel during a run: its children and segments are gone within seconds", async () => {
  const old = bench.pid;
  const { running } = await startBusy(old, 20);
  assert.ok(segmentsOf(old).length >= 1, "the kernel holds segments");
  const started = [old, ...descendants(old)];
  process.kill(old, "SIGKILL");
  assert.ok(await until(() => living(started).length === 0, 5000), `left after kill -9: ${living(started)}`);
  assert.ok(await until(() => segmentsOf(old).length === 0, 2000), `segments left after kill -9: ${segmentsOf(old)}`);
  await Promise.race([running.catch(() => undefined), sleep(5000)]);
  await adoptNewKernel(old); // Jupyter restarts a kernel that died on its own
  const r = await bench.cell(`import { threads, processes, sharedArray } from "kernel-helpers"; console.log("ready")`, 60);
  assert.is(r.status, "ok", r.text);
});

// Jupyter's shutdown (jupyter_client 7.4): SIGINT to the kernel's process group, a
// shutdown_request on the control channel, SIGTERM to the group after half of
// shutdown_wait_time (5 s), SIGKILL after the rest. The interrupt stops the run, the
// hook on tslab's close() unlinks the segments and the kernel exits; should that take
// too long, the signals end it and the reaper removes whatever is left.
test("kernel shutdown during a run: the kernel, its threads and children are gone, no segment left", async () => {
  const pid = bench.pid;
  const { running } = await startBusy(pid, 20, true);
  assert.ok(segmentsOf(pid).length >= 1, "a segment exists before the shutdown");
  const started = [pid, ...descendants(pid)];
  assert.is(await bench.rest("shutdown"), 204);
  await Promise.race([running.catch(() => undefined), sleep(5000)]);
  assert.ok(await until(() => living(started).length === 0, 8000), `left after shutdown: ${living(started)}`);
  assert.ok(await until(() => segmentsOf(pid).length === 0, 3000), `segments left after shutdown: ${segmentsOf(pid)}`);
});

test("afterwards: the server, every kernel, worker and child of this file are gone, no segment left", async () => {
  const started = [...bench.seen];
  closed = true;
  await bench.close();
  assert.ok(await until(() => living(started).length === 0, 8000), `still alive: ${living(started).join(", ")}`);
  assert.ok(await until(() => started.every((p) => segmentsOf(p).length === 0), 3000), `segments left: ${started.flatMap(segmentsOf)}`);
});

test.run();
