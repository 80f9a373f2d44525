import { test } from "uvu";
import * as assert from "uvu/assert";
import { noSharedCrossing, sharedCrossings, simulateTrains, stepPlan, trackPoint, trainLayout, trainSegment } from "../../src/course/trains";
import { forkOrder, simulatePhilosophers } from "../../src/course/deadlock";

test("layout: each train meets two crossings 100 apart, and the points line up", () => {
  const l = trainLayout();
  assert.is(l.trainLength, 200);
  for (const t of l.tracks) {
    assert.is(t.crossings.length, 2);
    for (const c of t.crossings) {
      const p = trackPoint(l, t.train, c.at),
        x = l.crossings[c.crossing];
      assert.equal(p, { x: x.x, y: x.y }, `train ${t.train} at crossing ${c.crossing}`);
    }
  }
});

test("trainSegment: the on-track part of a body, null when off the track", () => {
  const l = trainLayout();
  assert.is(trainSegment(l, 0, 0), null);
  assert.equal(trainSegment(l, 0, 50), { from: { x: 0, y: 300 }, to: { x: 50, y: 300 } });
  assert.equal(trainSegment(l, 2, 400), { from: { x: 500, y: 400 }, to: { x: 300, y: 400 } });
  assert.equal(trainSegment(l, 1, 800), { from: { x: 400, y: 600 }, to: { x: 400, y: 700 } });
  assert.is(trainSegment(l, 1, l.trackLength), null);
});

test("stepPlan: lock on arrival, release when the back leaves; reservations in global order", () => {
  const l = trainLayout();
  assert.equal(stepPlan(l, 3, 300, "none"), { acquire: [3], release: [] });
  assert.equal(stepPlan(l, 3, 300, "hierarchy"), { acquire: [0, 3], release: [] });
  assert.equal(stepPlan(l, 3, 300, "arbitrator"), { acquire: [0, 3], release: [] });
  assert.equal(stepPlan(l, 3, 400, "hierarchy", [0, 3]), { acquire: [], release: [] });
  assert.equal(stepPlan(l, 3, 500, "none"), { acquire: [], release: [3] });
  assert.equal(stepPlan(l, 3, 600, "none"), { acquire: [], release: [0] });
  assert.equal(stepPlan(l, 0, 10, "none"), { acquire: [], release: [] });
  assert.throws(() => stepPlan(l, 4, 1, "none"), /train must be 0\.\.3/);
});

test("no strategy: the four trains deadlock in one cycle, each holding one crossing", () => {
  const r = simulateTrains("none");
  assert.ok(r.deadlocked);
  assert.equal([...r.cycle].sort(), [0, 1, 2, 3]);
  const last = r.frames[r.frames.length - 1];
  assert.equal(
    last.crossings.map((c) => c.owner),
    [0, 1, 2, 3],
  );
  assert.ok(noSharedCrossing(r.frames));
});

test("resource hierarchy and arbitrator: everyone gets through, never two trains on a crossing", () => {
  for (const s of ["hierarchy", "arbitrator"] as const) {
    for (const delays of [
      [0, 0, 0, 0],
      [0, 37, 80, 5],
      [120, 0, 0, 60],
    ]) {
      const r = simulateTrains(s, { delays, frameEvery: 1 });
      assert.not.ok(r.deadlocked, `${s} ${delays}`);
      const last = r.frames[r.frames.length - 1];
      assert.ok(last.trains.every((t) => t.front === trainLayout().trackLength));
      assert.ok(last.crossings.every((c) => c.owner === null));
      assert.equal(sharedCrossings(r.frames), [], `${s} ${delays}`);
    }
  }
});

test("noSharedCrossing catches two trains on one crossing", () => {
  const frame = {
    t: 1,
    trains: [
      { id: 0, front: 350, back: 150 },
      { id: 3, front: 450, back: 250 },
      { id: 1, front: 0, back: -200 },
      { id: 2, front: 0, back: -200 },
    ],
    crossings: [
      { id: 0, owner: 0 },
      { id: 1, owner: null },
      { id: 2, owner: null },
      { id: 3, owner: 3 },
    ],
  };
  assert.not.ok(noSharedCrossing([frame]));
  assert.equal(
    sharedCrossings([frame]).map((b) => b.crossing),
    [0],
  );
});

test("philosophers: deadlock with no strategy, both fixes finish every meal", () => {
  assert.equal(forkOrder(4, 5, "none"), [4, 0]);
  assert.equal(forkOrder(4, 5, "hierarchy"), [0, 4]);
  assert.ok(simulatePhilosophers("none").deadlocked);
  for (const s of ["hierarchy", "arbitrator"] as const) {
    const r = simulatePhilosophers(s, { meals: 5 });
    assert.not.ok(r.deadlocked, s);
    assert.equal(r.meals, [5, 5, 5, 5, 5]);
  }
  assert.throws(() => simulatePhilosophers("bogus" as never), /strategy must be/);
});

test.run();
