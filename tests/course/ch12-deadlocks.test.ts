// Chapter 12 on real threads: robots deadlock and the watchdog; trains with crossings
// as Mutexes (no strategy deadlocks, both fixes finish, never two trains on one
// crossing); philosophers with both fixes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  courseTrain,
  jainIndex,
  philosophersOnThreads,
  robots,
  TRAIN_LEGEND,
  trainShapes,
  trainsOnThreads,
  type DinerArgs,
} from "../../src/course/ch12-deadlocks";
import { trainLayout } from "../../src/course/trains";

test("red and blue robots deadlock; the watchdog reports the two-lock cycle", async () => {
  const r = await robots();
  assert.ok(r.deadlocked);
  assert.ok(r.graph);
  const labels = r.graph!.waits.map((w) => w.prim.label).sort();
  assert.equal(labels, ["lock A", "lock B"]);
  assert.is(r.graph!.cycle.length, 4);
});

test("robots taking the locks in the same order finish", async () => {
  const r = await robots({ sameOrder: true });
  assert.not.ok(r.deadlocked);
});

test("trains with no strategy deadlock and the watchdog catches it", async () => {
  const r = await trainsOnThreads("none", { stepMs: 3 });
  assert.ok(r.deadlocked, "deadlocked");
  assert.is(r.violations, 0);
  // Every train stopped inside the square, each holding one crossing.
  const last = r.frames[r.frames.length - 1];
  assert.equal(last.crossings.map((c) => c.owner).sort(), [0, 1, 2, 3]);
  assert.ok(r.graph && r.graph.cycle.length === 8, `a 4-train cycle: ${JSON.stringify(r.graph?.cycle)}`);
});

for (const strategy of ["hierarchy", "arbitrator"] as const) {
  test(`trains with ${strategy} all arrive; no crossing is ever held by two trains`, async () => {
    const layout = trainLayout();
    const r = await trainsOnThreads(strategy, { stepMs: 0.2 });
    assert.not.ok(r.deadlocked);
    assert.is(r.violations, 0);
    assert.equal(r.fronts, [layout.trackLength, layout.trackLength, layout.trackLength, layout.trackLength]);
  });
}

test("train frames draw as shapes", () => {
  const layout = trainLayout();
  const f = trainShapes(layout, {
    t: 0,
    trains: [0, 1, 2, 3].map((id) => ({ id, front: 350, back: 150 })),
    crossings: [0, 1, 2, 3].map((id) => ({ id, owner: id })),
  });
  assert.is(f.shapes.filter((s) => s.type === "rect").length, 4);
  assert.is(f.shapes.filter((s) => s.type === "line").length, 8);
});

test("philosophers eat with both fixes", async () => {
  for (const s of ["hierarchy", "arbitrator"] as const) {
    const r = await philosophersOnThreads(s, { ms: 200 });
    assert.is(r.meals.length, 5);
    assert.ok(r.meals.reduce((a, b) => a + b, 0) > 0, "some meals");
    assert.ok(r.fairness > 0.2 && r.fairness <= 1);
  }
  assert.is(jainIndex([3, 3, 3]), 1);
  assert.is(jainIndex([6, 0, 0]), 1 / 3);
});

test("a caller's own train runs on the threads (as the notebook's does), with crossings labelled as in the text", async () => {
  const layout = trainLayout();
  const r = await trainsOnThreads("hierarchy", { stepMs: 0.2, train: courseTrain });
  assert.is(r.violations, 0);
  assert.equal(
    r.fronts,
    layout.tracks.map(() => layout.trackLength),
  );
  const stuck = await trainsOnThreads("none", { stepMs: 3, train: courseTrain });
  assert.ok(stuck.deadlocked);
  assert.equal([...new Set(stuck.graph!.waits.map((w) => w.prim.label))].sort(), ["crossing C0", "crossing C1", "crossing C2", "crossing C3"]);
  assert.equal(
    TRAIN_LEGEND.map((l) => l.label),
    ["train 0", "train 1", "train 2", "train 3"],
  );
});

test("a caller's own philosopher dines; its meal counts are checked", async () => {
  const r = await philosophersOnThreads("hierarchy", {
    ms: 50,
    dine: ({ start, id }: DinerArgs) => {
      start.wait();
      return id + 1;
    },
  });
  assert.equal(r.meals, [1, 2, 3, 4, 5]);
  const bad = await philosophersOnThreads("arbitrator", { ms: 50, dine: (() => "lots") as never }).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(bad!.message, /must return its meal count/);
});

test("bad arguments are named", async () => {
  const err = await trainsOnThreads("random" as never).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(err!.message, /strategy must be one of none, hierarchy, arbitrator/);
  const e2 = await philosophersOnThreads("none" as never).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(e2!.message, /strategy must be "hierarchy" or "arbitrator"/);
  const e3 = await trainsOnThreads("none", { train: 42 as never }).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(e3!.message, /train must be a function/);
});

test.run();
