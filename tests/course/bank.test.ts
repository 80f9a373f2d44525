import { test } from "uvu";
import * as assert from "uvu/assert";
import { changeBalance, conditionSingle, CONDITION, gradeCondition, gradeRace, RACE, stingySpendySingle } from "../../src/course/bank";

test("single-threaded references end at 100", () => {
  assert.is(stingySpendySingle(), RACE.start);
  const c = conditionSingle();
  assert.is(c.final, CONDITION.start);
  assert.ok(c.min >= 0);
  assert.is(CONDITION.earn * CONDITION.earnTimes, CONDITION.spend * CONDITION.spendTimes);
});

test("changeBalance works on a shared Int32Array, with and without a lock", () => {
  const b = new Int32Array(new SharedArrayBuffer(8));
  b[1] = 100;
  changeBalance(b, 1, 10, 1000);
  assert.is(b[1], 10_100);
  let locks = 0,
    unlocks = 0;
  changeBalance(
    b,
    1,
    -10,
    1000,
    () => locks++,
    () => unlocks++,
  );
  assert.is(b[1], 100);
  assert.is(locks, 1000);
  assert.is(unlocks, 1000);
  assert.is(b[0], 0);
});

test("grades", () => {
  assert.equal(gradeRace(100), { grade: "expected", ok: true, off: 0 });
  assert.equal(gradeRace(130), { grade: "money made", ok: false, off: 30 });
  assert.equal(gradeRace(-9_000), { grade: "money lost", ok: false, off: -9_100 });
  assert.ok(gradeCondition(100, 0).ok);
  assert.not.ok(gradeCondition(100, -20).ok);
  assert.match(gradeCondition(80, 0).reason, /final balance 80/);
});

test.run();
