// threads.run and threads.spawn: results, shared memory under a Mutex, output, errors, bad input.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { threads, stopAll } from "../../src/spawn/index";
import { WorkerFailedError, RunTimeoutError } from "../../src/spawn/errors";
import { Mutex } from "../../src/sync/index";
import { captureOutput, endlessRun, threadCount } from "./helpers";

const baseline = threadCount();

test("results come back in worker order, with id, n and data", async () => {
  const run = await threads.run(4, ({ id, n, k }) => ({ id, n, v: id * k }), { k: 10 });
  assert.equal(
    run.results,
    [0, 1, 2, 3].map((id) => ({ id, n: 4, v: id * 10 })),
  );
  assert.is(run.workers.length, 4);
  assert.equal(
    run.workers.map((w) => w.label),
    ["t0", "t1", "t2", "t3"],
  );
  for (const w of run.workers) assert.ok(w.spawnedAt <= w.readyAt! && w.readyAt! <= w.endedAt!);
  const json = JSON.parse(JSON.stringify(run));
  assert.equal(json.workers[2].result, { id: 2, n: 4, v: 20 });
  assert.is(json.kind, "threads");
});

test("a shared counter under a Mutex is exact", async () => {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const lock = new Mutex({ label: "counter" });
  await threads.run(
    4,
    ({ counter, lock }) => {
      for (let i = 0; i < 20000; i++) {
        lock.lock();
        counter[0] = counter[0]! + 1; // a plain read-modify-write: only the lock makes it safe
        lock.unlock();
      }
    },
    { counter, lock },
  );
  assert.is(counter[0], 80000);
});

test("output lines arrive prefixed, in order within a worker", async () => {
  const { out, err, error } = await captureOutput(() =>
    threads.run(2, ({ id }) => {
      for (let i = 0; i < 5; i++) console.log(`line ${i} of ${id}`);
      process.stdout.write("no newline at the end");
      console.error("to stderr", id);
    }),
  );
  assert.is(error, undefined);
  for (const id of [0, 1]) {
    const mine = out.split("\n").filter((l) => l.startsWith(`[t${id}] `));
    assert.equal(mine, [0, 1, 2, 3, 4].map((i) => `[t${id}] line ${i} of ${id}`).concat(`[t${id}] no newline at the end`));
    assert.ok(err.includes(`[t${id}] to stderr ${id}\n`));
  }
  const plain = await captureOutput(() => threads.run(1, () => console.log("bare"), undefined, { prefix: false }));
  assert.is(plain.out, "bare\n");
});

test("an exception rejects with the worker id and a stack line inside the function", async () => {
  // Built with new Function so its source has real line breaks, as a cell's function does.
  const fn = new Function("{ id }", "let x = id;\nif (id === 1) {\n  throw new RangeError('boom in ' + x);\n}\nwhile (true) {}") as (a: { id: number }) => void;
  const started = Date.now();
  const err = (await threads.run(2, fn).then(
    () => null,
    (e) => e,
  )) as WorkerFailedError;
  assert.instance(err, WorkerFailedError);
  assert.is(err.name, "RangeError");
  assert.is(err.worker, "t1");
  assert.is(err.workerId, 1);
  assert.is(err.message, "[t1] boom in 1");
  // Line 4 of the function's source (line 1 is "function anonymous({ id }").
  assert.match(err.stack!, /at anonymous \(cell-fn:anonymous:5:\d+\)/);
  assert.ok(Date.now() - started < 5000, "the endless worker t0 was stopped");
  assert.ok(err.run && err.run.workers[1]!.error!.message === "boom in 1");
});

test("keepGoingOnError lets the others finish", async () => {
  const err = (await threads
    .run(
      3,
      ({ id }) => {
        if (id === 0) throw new Error("first");
        const t = Date.now();
        while (Date.now() - t < 200) {}
        return id;
      },
      undefined,
      { keepGoingOnError: true },
    )
    .catch((e) => e)) as WorkerFailedError & { run: { workers: { result?: unknown }[] } };
  assert.is(err.worker, "t0");
  assert.equal(
    err.run.workers.map((w) => w.result),
    [undefined, 1, 2],
  );
});

test("timeout stops endless workers and rejects", async () => {
  const t = Date.now();
  const err = await endlessRun(threads, 2, 300);
  assert.instance(err, RunTimeoutError);
  assert.match(err.message, /timed out after 300 ms; still running: t0, t1/);
  assert.ok(Date.now() - t < 3000);
});

test("bad arguments name the argument", async () => {
  const f = () => 1;
  await assert.throws; // (keep uvu/assert import used)
  const cases: [() => Promise<unknown>, RegExp][] = [
    [() => threads.run(0, f), /n must be at least 1/],
    [() => threads.run(1.5, f), /n must be a whole number/],
    [() => threads.run(257, f), /at most 256.*ThreadPool/],
    [() => threads.run(2, "not-a-module.txt"), /not a \.ts or \.js file/],
    [() => threads.run(2, f, undefined, { timeout: -1 }), /options\.timeout must be a positive number/],
    [() => threads.run(2, f, undefined, { bogus: 1 } as never), /unknown option "bogus"/],
    [() => threads.run(2, f, { cb: () => 2 }), /data\.cb cannot be sent/],
  ];
  for (const [call, re] of cases) {
    const e = await call().then(
      () => null,
      (x) => x,
    );
    assert.ok(e instanceof TypeError || e instanceof RangeError, String(e));
    assert.match((e as Error).message, re);
  }
});

test("resourceLimits: a thread over its heap limit fails with a clear error", async () => {
  const err = await threads
    .run(
      1,
      () => {
        const keep: number[][] = [];
        for (;;) keep.push(new Array(1e5).fill(1));
      },
      undefined,
      { resourceLimits: { maxOldGenerationSizeMb: 16 } },
    )
    .catch((e) => e);
  assert.instance(err, WorkerFailedError);
  assert.match(err.message, /\[t0\] thread stopped: .*(memory|ERR_WORKER_OUT_OF_MEMORY)/i);
});

test("threads.spawn + join", async () => {
  const h = threads.spawn(
    ({ ms }) => {
      const t = Date.now();
      while (Date.now() - t < ms) {}
      return "done";
    },
    { ms: 100 },
  );
  assert.match(h.label, /^t\d+$/);
  assert.is(h.done, false);
  assert.is(await h.join(), "done");
  assert.is(h.done, true);
  const bad = threads.spawn(() => {
    throw new Error("nope");
  });
  const e = await bad.join().catch((x) => x);
  assert.match(e.message, /\] nope$/);
  const endless = threads.spawn(() => {
    for (;;) {}
  });
  await endless.stop();
  assert.match((await endless.join().catch((x) => x)).name, /InterruptedError/);
});

test("no worker thread is left", async () => {
  await stopAll();
  assert.ok(threadCount() <= baseline + 1, `threads now ${threadCount()}, before ${baseline}`);
});

test.run();
