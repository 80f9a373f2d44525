// Chapter 6: condition-variable bank, a WaitGroup from a Condition, the wait-group
// search and a wait group across processes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { threads } from "../../src/spawn/api";
import { binValues, conditionBank, CondWaitGroup, processWaitGroup, searchWaitGroup } from "../../src/course/ch06-condition-variables";
import { CONDITION } from "../../src/course/bank";
import { searchSequential } from "../../src/course/search";
import { CourseInputError } from "../../src/course/errors";
import { withTempDir, rejects } from "./helpers";

test("with the condition the balance never goes negative and ends at 100", async () => {
  const r = await conditionBank({ earnTimes: 40_000 });
  assert.is(r.final, CONDITION.start);
  assert.ok(r.lowest >= 0, `lowest ${r.lowest}`);
  assert.ok(r.samples.every((b) => b >= 0));
});

test("with the lock only the books still balance (the lowest point is not asserted)", async () => {
  const r = await conditionBank({ earnTimes: 40_000, useCondition: false });
  assert.is(r.final, CONDITION.start);
});

test("CondWaitGroup: wait returns only after every done, across threads", async () => {
  const wg = new CondWaitGroup();
  wg.add(3);
  const order = new Int32Array(new SharedArrayBuffer(8)); // [0] dones seen by the waiter when it woke, [1] dones
  const run = await threads.run(
    4,
    ({ id, n, state, order }) => {
      const { cond, count } = state;
      if (id === n - 1) {
        cond.acquire();
        while (count[0] > 0) cond.wait();
        cond.release();
        order[0] = Atomics.load(order, 1);
        return "woke";
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * (id + 1));
      Atomics.add(order, 1, 1);
      cond.acquire();
      count[0] -= 1;
      if (count[0] === 0) cond.notifyAll();
      cond.release();
      return id;
    },
    { state: wg.state, order },
  );
  assert.is(run.results[3], "woke");
  assert.is(order[0], 3);
  assert.is(wg.count, 0);
  await wg.waitAsync(); // already zero: returns at once
  assert.throws(
    () => wg.done(),
    (e: Error) => e instanceof RangeError && /below zero/.test(e.message),
  );
  assert.is(wg.count, 0);
  assert.throws(() => CondWaitGroup.from({} as never), /state must be a wait group's/);
});

test("wait-group search matches the sequential walk", () =>
  withTempDir(async (root) => {
    for (const d of ["a/b/c", "d", "e/f"]) mkdirSync(join(root, d), { recursive: true });
    for (const f of ["hit", "a/hit", "a/b/c/hit", "e/f/hit", "d/miss"]) writeFileSync(join(root, f), "");
    const r = await searchWaitGroup(root, "hit");
    assert.equal(r.matches, searchSequential(root, "hit"));
    assert.is(r.matches.length, 4);
    await rejects(
      () => searchWaitGroup(root, "hit", 2),
      (e: Error) => e instanceof CourseInputError && /more than maxThreads/.test(e.message),
    );
  }));

test("a wait group across processes wakes the parent after the longest sleep", async () => {
  const r = await processWaitGroup([50, 150, 250]);
  assert.ok(r.wokeAfterMs >= 240, `woke after ${r.wokeAfterMs} ms`);
  assert.equal(r.run.workers.map((w) => w.label).slice(0, 1), ["main"]);
  assert.is(r.run.workers.length, 4);
  assert.ok(r.run.trace.some((e) => e.type === "span" && e.worker === "main" && e.prim?.kind === "waitgroup"));
});

test("bad input names the argument", async () => {
  await rejects(() => conditionBank({ earnTimes: 100, spendTimes: 10 }), /must equal spendTimes/);
  await rejects(() => conditionBank({ earnTimes: 1 }), /earnTimes must be an integer/);
  await rejects(() => processWaitGroup([]), /sleepsMs must be an array of 1 to 16/);
  await rejects(() => processWaitGroup([10, -1]), /sleepsMs\[1\]/);
});

test("with earning work, spendy sleeps on the condition and the books still balance", async () => {
  const r = await conditionBank({ earnTimes: 200, earnWorkUs: 50, trace: true });
  assert.is(r.final, CONDITION.start);
  assert.ok(r.lowest >= 0);
  const sleeps = r.run.trace.filter((e) => e.type === "span" && e.state === "blocked" && e.worker === "t1" && e.prim?.kind === "condition");
  assert.ok(sleeps.length > 0, "spendy never slept: stingy's 50 µs per deposit should leave it short");
});

test("binValues rounds to bins of a round width, negatives stay negative", () => {
  assert.equal(binValues([]), []);
  assert.equal(binValues([0, 7, 15, 29], 3), [0, 0, 10, 20]);
  assert.equal(binValues([-12, 3, 48], 6), [-20, 0, 40]);
  const many = binValues(Array.from({ length: 1000 }, (_, i) => i * 37 - 5000));
  assert.ok(new Set(many).size <= 16);
  assert.ok(many.every((b, i) => b <= i * 37 - 5000));
  assert.throws(() => binValues([1], 0), /bins must be an integer/);
});

test.run();
