// Chapters 4–6: items of fixed work on one thread per item or on a few sharing threads.
// Only what holds on every machine is checked (every item done once); speed is for the notebooks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { itemsOnThreads, iterationsPerMs, sharesShortfall, spinWork, threadCostSweep, type ThreadCostRow } from "../../src/course/ch05-thread-cost";
import { CourseInputError } from "../../src/course/errors";
import { rejects } from "./helpers";

test("spinWork is deterministic and depends on the seed and the iterations", () => {
  assert.is(spinWork(1000, 3), spinWork(1000, 3));
  assert.is.not(spinWork(1000, 3), spinWork(1000, 4));
  assert.is.not(spinWork(1000, 3), spinWork(1001, 3));
  assert.is(spinWork(0, 5), 5);
  assert.ok(iterationsPerMs(2) > 0);
});

test("every item is done exactly once, joined or waited for with a wait group", async () => {
  for (const waitGroup of [false, true]) {
    for (const workers of [1, 2, 5]) {
      const r = await itemsOnThreads(5, 1000, workers, waitGroup);
      assert.is(r.taken.length, workers);
      assert.is(
        r.taken.reduce((a, b) => a + b, 0),
        5,
        `${workers} workers, waitGroup ${waitGroup}`,
      );
      assert.ok(r.ms > 0 && r.startMs >= 0);
    }
  }
});

test("the sweep gives one row per work size, with each version's run", async () => {
  const rows = await threadCostSweep({ items: 3, workMs: [0.05, 0.2], repeats: 1 });
  assert.equal(
    rows.map((r) => r.workMs),
    [0.05, 0.2],
  );
  for (const r of rows) {
    assert.is(r.perItem.workers, 3);
    assert.is(r.shares.workers, 2);
    assert.ok(Math.abs(r.itemMs * 3 - r.singleMs) < 1e-9);
  }
});

test("sharesShortfall says it in the row's own figures: start-up, then time per item against one thread", () => {
  const row = {
    workMs: 40,
    itemMs: 40,
    singleMs: 320,
    perItem: { workers: 8, ms: 400, taken: [1, 1, 1, 1, 1, 1, 1, 1], startMs: 20 },
    shares: { workers: 2, ms: 216, taken: [4, 4], startMs: 28 },
  } as ThreadCostRow;
  // (216 − 28) ms over the 4 items of the busier thread: 47 ms each.
  assert.is(sharesShortfall(row), "Starting the 2 threads took 28 ms, and after that their items took about 47.0 ms each against 40.0 ms on one thread.");
});

test("bad input is named", async () => {
  await rejects(
    () => threadCostSweep({ workMs: [] }),
    (e: Error) => e instanceof CourseInputError && /workMs must be a non-empty array/.test(e.message),
  );
  await rejects(() => threadCostSweep({ workMs: [-1] }), /workMs/);
  await rejects(() => itemsOnThreads(0, 10, 1), /items must be an integer/);
  await rejects(() => itemsOnThreads(2, 10, 0), /workers must be an integer/);
});

test.run();
