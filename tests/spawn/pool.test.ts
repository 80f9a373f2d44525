// ThreadPool (piscina) and ProcessPool: map in order, task records, bounded queue, errors, cancel, reaping.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ThreadPool, ProcessPool, AbortError, stopAll, WorkerFailedError } from "../../src/spawn/index";
import { sharedArray } from "../../src/sync";
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
      assert.equal(
        r.results,
        inputs.map((x) => x * x),
      );
      assert.is(r.tasks.length, 12);
      const workers = new Set(r.tasks.map((t) => t.worker));
      assert.ok(workers.size >= 1 && workers.size <= 2, [...workers].join());
      for (const t of r.tasks) {
        assert.match(t.worker, /^[tp][01]$/);
        assert.ok(t.submittedAt <= t.startedAt + 5 && t.startedAt <= t.endedAt, JSON.stringify(t));
      }
      // Bounded queue: never more than size + queueSize tasks handed over at once.
      const events = r.tasks
        .flatMap(
          (t) =>
            [
              [t.submittedAt, 1],
              [t.endedAt, -1],
            ] as const,
        )
        .sort((a, b) => a[0] - b[0]);
      let inFlight = 0,
        most = 0;
      for (const [, d] of events) {
        inFlight += d;
        most = Math.max(most, inFlight);
      }
      assert.ok(most <= 3, `in flight ${most}`);
      assert.is(pool.tasks.length, 12);
    } finally {
      await pool.close();
    }
  });

  test(`${name}: a failing task rejects the map with its worker and message`, async () => {
    const pool = make({ size: 2 });
    try {
      const err = await pool
        .map([1, 2, 3, 4], (x: number) => {
          if (x === 3) throw new Error("three");
          return x;
        })
        .catch((e) => e);
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
      const pending = pool.map(
        [1, 2, 3, 4, 5],
        () => {
          for (;;) {}
        },
        { signal: ac.signal },
      );
      setTimeout(() => ac.abort(), 800);
      const err = await pending.catch((e) => e);
      assert.instance(err, AbortError);
      assert.equal((await pool.map([1, 2], (x: number) => -x)).results, [-1, -2]);
    } finally {
      await pool.close();
    }
  });

  test(`${name}: close() lets the maps in progress finish, then ends the workers`, async () => {
    const threadsBefore = threadCount();
    const pool = make({ size: 2, queueSize: 0 });
    const busy = (x: number) => {
      const t = Date.now();
      while (Date.now() - t < 40) {}
      return x * 10;
    };
    const order: string[] = [];
    // Six tasks through a window of two: most are still held back when close() is called.
    const mapping = pool.map([1, 2, 3, 4, 5, 6], busy).then((r) => {
      order.push("map");
      return r;
    });
    const closing = pool.close().then(() => order.push("close"));
    const late = await pool.map([1], busy).catch((e) => e);
    assert.instance(late, Error);
    assert.match(late.message, /the pool is closed/);
    const r = await mapping;
    await closing;
    assert.equal(r.results, [10, 20, 30, 40, 50, 60]);
    assert.equal(order, ["map", "close"]);
    assert.equal(childPids(), []);
    assert.ok(await eventually(() => threadCount() <= threadsBefore + 1), `threads ${threadCount()} vs ${threadsBefore}`);
  });

  test(`${name}: terminate() ends the workers now; the running map rejects`, async () => {
    const pool = make({ size: 2 });
    const pending = pool
      .map([1, 2, 3], () => {
        for (;;) {}
      })
      .catch((e) => e);
    await new Promise((r) => setTimeout(r, 300));
    await pool.terminate();
    assert.instance(await pending, Error);
    assert.equal(childPids(), []);
    await pool.close(); // after terminate(): nothing left to do
  });

  test(`${name}: a function mapped again on replaced workers is sent to them again`, async () => {
    const pool = make({ size: 2 });
    try {
      const inc = (x: number) => x + 1;
      assert.equal((await pool.map([1, 2, 3, 4], inc)).results, [2, 3, 4, 5]);
      const ac = new AbortController();
      const endless = pool.map(
        [1, 2],
        () => {
          for (;;) {}
        },
        { signal: ac.signal },
      );
      setTimeout(() => ac.abort(), 300);
      assert.instance(await endless.catch((e) => e), AbortError);
      // Both workers were replaced; the pool still knows `inc` as a job the old ones had compiled.
      assert.equal((await pool.map([5, 6, 7, 8], inc)).results, [6, 7, 8, 9]);
    } finally {
      await pool.close();
    }
  });

  test(`${name}: more functions than a worker keeps compiled (64), then the first again`, async () => {
    const pool = make({ size: 2 });
    try {
      // 70 functions with different sources: each is a new job; the oldest are dropped on both sides.
      const fns = Array.from({ length: 70 }, (_, k) => new Function("x", `return x * 1000 + ${k};`) as (x: number) => number);
      for (const [k, f] of fns.entries()) assert.equal((await pool.map([1, 2, 3], f)).results, [1000 + k, 2000 + k, 3000 + k]);
      // Still kept (one of the last 64): goes without its source.
      assert.equal((await pool.map([4, 5, 6], fns[10])).results, [4010, 5010, 6010]);
      // Dropped: its source goes again.
      assert.equal((await pool.map([4, 5, 6], fns[0])).results, [4000, 5000, 6000]);
      assert.equal((await pool.map([7], fns[69])).results, [7069]);
    } finally {
      await pool.close();
    }
  });
}

test("ThreadPool: tasks never overlap on a thread, even asynchronous ones (each thread holds its next task)", async () => {
  const pool = new ThreadPool({ size: 2, queueSize: 4 });
  try {
    const r = await pool.map(
      Array.from({ length: 12 }, (_, i) => i),
      async (x: number) => {
        await new Promise((res) => setTimeout(res, 15));
        return x;
      },
    );
    assert.equal(
      r.results,
      Array.from({ length: 12 }, (_, i) => i),
    );
    for (const w of new Set(r.tasks.map((t) => t.worker))) {
      const mine = r.tasks.filter((t) => t.worker === w).sort((a, b) => a.startedAt - b.startedAt);
      for (let i = 1; i < mine.length; i++) assert.ok(mine[i]!.startedAt >= mine[i - 1]!.endedAt, `${w}: ${JSON.stringify(mine.slice(i - 1, i + 1))}`);
    }
  } finally {
    await pool.close();
  }
});

test("ThreadPool: cancelling one map leaves a concurrent map on the same pool whole", async () => {
  const pool = new ThreadPool({ size: 2, queueSize: 4 });
  try {
    const spin = (ms: number) => {
      const t = Date.now();
      while (Date.now() - t < ms) {}
      return ms;
    };
    await pool.map([1, 1], spin); // both threads up
    // Long enough that the endless tasks sit on both threads beside steady's tasks when the abort comes.
    const steady = pool.map(
      Array.from({ length: 60 }, () => 20),
      spin,
    );
    const ac = new AbortController();
    const endless = pool.map(
      [1, 2, 3],
      () => {
        for (;;) {}
      },
      { signal: ac.signal },
    );
    setTimeout(() => ac.abort(), 250);
    assert.instance(await endless.catch((e) => e), AbortError);
    assert.equal(
      (await steady).results,
      Array.from({ length: 60 }, () => 20),
    );
  } finally {
    await pool.close();
  }
});

test("ThreadPool: inputs holding shared primitives are revived; scalars pass as they are", async () => {
  const pool = new ThreadPool({ size: 2 });
  try {
    const cells = sharedArray("int32", 4);
    const r = await pool.map(
      [0, 1, 2, 3].map((i) => ({ i, cells })),
      ({ i, cells }: { i: number; cells: { values: Int32Array } }) => {
        cells.values[i] = 10 + i;
        return i;
      },
    );
    assert.equal(r.results, [0, 1, 2, 3]);
    assert.equal([...cells.values], [10, 11, 12, 13]);
    assert.equal((await pool.map([null, "a", true, 2n, undefined], (x: unknown) => typeof x)).results, ["object", "string", "boolean", "bigint", "undefined"]);
  } finally {
    await pool.close();
  }
});

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
      assert.equal(
        (await pool.map(inputs, (x: number) => x + 1)).results,
        inputs.map((x) => x + 1),
      );
      assert.equal(
        (await pool.map(inputs, (x: number) => x + 1, { signal: ac.signal })).results,
        inputs.map((x) => x + 1),
      );
    }
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    assert.equal(
      warnings.filter((w) => /MaxListeners/.test(w)),
      [],
    );
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
  const runs = Promise.allSettled([
    tp.map([1, 2], () => {
      for (;;) {}
    }),
    pp.map([1, 2], () => {
      for (;;) {}
    }),
  ]);
  await new Promise((r) => setTimeout(r, 800));
  await stopAll();
  const rs = await runs;
  assert.ok(rs.every((r) => r.status === "rejected"));
  assert.equal(childPids(), []);
  assert.ok(await eventually(() => threadCount() <= before + 1), `threads ${threadCount()} vs ${before}`);
});

test.run();
