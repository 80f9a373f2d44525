// processes.run: results, shared counter under a process-shared Mutex, output, errors, exits.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { processes, stopAll, WorkerFailedError } from "../../src/spawn/index";
import { Mutex, sharedArray } from "../../src/sync/index";
import { captureOutput, childPids } from "./helpers";

test("results, ids and pids: each worker is its own process", async () => {
  const run = await processes.run(3, ({ id, n, base }) => ({ id, n, v: base + id, pid: process.pid }), { base: 100 });
  assert.equal(
    run.results.map((r) => r.v),
    [100, 101, 102],
  );
  const pids = new Set(run.results.map((r) => r.pid));
  assert.is(pids.size, 3);
  assert.not.ok(pids.has(process.pid));
  assert.equal(
    run.workers.map((w) => [w.label, w.exitCode, w.signal]),
    [
      ["p0", 0, null],
      ["p1", 0, null],
      ["p2", 0, null],
    ],
  );
});

test("a shared counter under a process-shared Mutex is exact", async () => {
  const counter = sharedArray("int32", 1, { shared: "process" });
  const lock = new Mutex({ shared: "process", label: "counter" });
  await processes.run(
    3,
    ({ counter, lock }) => {
      for (let i = 0; i < 5000; i++) {
        lock.lock();
        counter.set(0, counter.get(0) + 1);
        lock.unlock();
      }
    },
    { counter, lock },
  );
  assert.is(counter.get(0), 15000);
});

test("child output is piped, line-buffered and prefixed", async () => {
  const { out, err } = await captureOutput(() =>
    processes.run(2, ({ id }) => {
      for (let i = 0; i < 3; i++) console.log(`p-line ${i}`);
      console.error(`oops ${id}`);
    }),
  );
  for (const id of [0, 1]) {
    assert.equal(
      out.split("\n").filter((l) => l.startsWith(`[p${id}] `)),
      [0, 1, 2].map((i) => `[p${id}] p-line ${i}`),
    );
    assert.ok(err.includes(`[p${id}] oops ${id}\n`));
  }
});

test("an exception names the worker and has a stack line in the function", async () => {
  const fn = new Function("{ id }", "if (id === 1) {\n  throw new TypeError('bad ' + id);\n}\nfor (;;) {}") as (a: { id: number }) => void;
  const err = (await processes.run(2, fn).catch((e) => e)) as WorkerFailedError;
  assert.instance(err, WorkerFailedError);
  assert.is(err.name, "TypeError");
  assert.is(err.worker, "p1");
  assert.match(err.stack!, /cell-fn:anonymous:4:\d+/);
});

test("death by a signal or a non-zero exit is an error naming it", async () => {
  const sig = await processes.run(1, () => process.kill(process.pid, "SIGKILL")).catch((e) => e);
  assert.match(sig.message, /\[p0\] process was killed by signal SIGKILL/);
  assert.is(sig.signal, "SIGKILL");
  const code = await processes
    .run(2, ({ id }) => {
      if (id === 1) process.exit(3);
      return id;
    })
    .catch((e) => e);
  assert.match(code.message, /\[p1\] process exited with code 3/);
  assert.is(code.exitCode, 3);
});

test("thread-only things cannot go to a process; bad counts are refused", async () => {
  const m = new Mutex(); // thread-shared by default
  const e1 = await processes.run(1, ({ m }) => m, { m }).catch((e) => e);
  assert.instance(e1, TypeError);
  const e2 = await processes.run(65, () => 1).catch((e) => e);
  assert.match(e2.message, /at most 64.*ProcessPool/);
  const e3 = await processes.run(1, () => 1, undefined, { resourceLimits: { maxOldGenerationSizeMb: 64 } }).catch((e) => e);
  assert.match(e3.message, /resourceLimits applies to threads only/);
});

test("processes.spawn + join; no child left", async () => {
  const h = processes.spawn(({ x }) => x * 2, { x: 21 });
  assert.is(await h.join(), 42);
  await stopAll();
  assert.equal(childPids(), []);
});

test.run();
