// ThreadPool (piscina) and ProcessPool: map in order, task records, bounded queue, errors, cancel, reaping.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ThreadPool, ProcessPool, AbortError, stopAll, WorkerFailedError } from "../../src/spawn/index";
import { childPids, eventually, threadCount } from "./helpers";

const square = (x: number) => {
  const t = Date.now();
  while (Date.now() - t < 5) {}
  return x * x;
};

for (const [name, make] of [
  ["ThreadPool", (o?: object) => new ThreadPool(o)],
  ["ProcessPool", (o?: object) => new ProcessPool(o)],
] as const) {
  test(`${name}: map returns results in input order with a record per task`, async () => {
    const pool = make({ size: 2, queueSize: 1 });
    try {
      const inputs = Array.from({ length: 12 }, (_, i) => i);
      const r = await pool.map(inputs, square);
      assert.equal(r.results, inputs.map((x) => x * x));
      assert.is(r.tasks.length, 12);
      const workers = new Set(r.tasks.map((t) => t.worker));
      assert.ok(workers.size >= 1 && workers.size <= 2, [...workers].join());
      for (const t of r.tasks) {
        assert.match(t.worker, /^[tp][01]$/);
        assert.ok(t.submittedAt <= t.startedAt + 5 && t.startedAt <= t.endedAt, JSON.stringify(t));
      }
      // Bounded queue: never more than size + queueSize tasks handed over at once.
      const events = r.tasks.flatMap((t) => [[t.submittedAt, 1], [t.endedAt, -1]] as const).sort((a, b) => a[0] - b[0]);
      let inFlight = 0, most = 0;
      for (const [, d] of events) most = Math.max(most, (inFlight += d));
      assert.ok(most <= 3, `in flight ${most}`);
      assert.is(pool.tasks.length, 12);
    } finally {
      await pool.close();
    }
  });

  test(`${name}: a failing task rejects the map with its worker and message`, async () => {
    const pool = make({ size: 2 });
    try {
      const err = await pool.map([1, 2, 3, 4], (x: number) => { if (x === 3) throw new Error("three"); return x; }).catch((e) => e);
      assert.instance(err, WorkerFailedError);
      assert.match(err.message, /\] three$/);
      // The pool is still usable.
      assert.equal((await pool.map([5], (x: number) => x + 1)).results, [6]);
    } finally {
      await pool.close();
    }
  });

  test(`${name}: cancellation with an AbortSignal stops a map of endless tasks`, async () => {
    const pool = make({ size: 2 });
    try {
      const ac = new AbortController();
      const pending = pool.map([1, 2, 3, 4, 5], () => { for (;;) {} }, { signal: ac.signal });
      setTimeout(() => ac.abort(), 800);
      const err = await pending.catch((e) => e);
      assert.instance(err, AbortError);
      assert.equal((await pool.map([1, 2], (x: number) => -x)).results, [-1, -2]);
    } finally {
      await pool.close();
    }
  });
}

test("50 tasks in flight on one map (with and without a signal): no MaxListenersExceededWarning", async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  const tp = new ThreadPool({ size: 2, queueSize: 48 });
  const pp = new ProcessPool({ size: 2, queueSize: 48 });
  try {
    const inputs = Array.from({ length: 120 }, (_, i) => i);
    const ac = new AbortController();
    for (const pool of [tp, pp]) {
      assert.equal((await pool.map(inputs, (x: number) => x + 1)).results, inputs.map((x) => x + 1));
      assert.equal((await pool.map(inputs, (x: number) => x + 1, { signal: ac.signal })).results, inputs.map((x) => x + 1));
    }
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    assert.equal(warnings.filter((w) => /MaxListeners/.test(w)), []);
  } finally {
    process.removeListener("warning", onWarning);
    await Promise.all([tp.close(), pp.close()]);
  }
});

test("bad pool arguments are named", () => {
  assert.throws(() => new ThreadPool({ size: 0 }), /options\.size must be a whole number from 1 to 256/);
  assert.throws(() => new ProcessPool({ size: 100 }), /from 1 to 64/);
  assert.throws(() => new ThreadPool({ sizes: 2 } as object), /unknown option "sizes"/);
});

test("stopAll() reaps pools", async () => {
  const before = threadCount();
  const tp = new ThreadPool({ size: 2 });
  const pp = new ProcessPool({ size: 2 });
  const runs = Promise.allSettled([tp.map([1, 2], () => { for (;;) {} }), pp.map([1, 2], () => { for (;;) {} })]);
  await new Promise((r) => setTimeout(r, 800));
  await stopAll();
  const rs = await runs;
  assert.ok(rs.every((r) => r.status === "rejected"));
  assert.equal(childPids(), []);
  assert.ok(await eventually(() => threadCount() <= before + 1), `threads ${threadCount()} vs ${before}`);
});

test.run();
