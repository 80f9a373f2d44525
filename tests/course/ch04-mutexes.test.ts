// Chapter 4: stingy and spendy. The guarded versions always end at RACE.start; the
// unguarded one ends somewhere on the grid 100 + 10k (never asserted to lose: timing).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { guardCosts, raceRounds, stingySpendy } from "../../src/course/ch04-mutexes";
import { RACE } from "../../src/course/bank";
import { CourseInputError } from "../../src/course/errors";
import { rejects } from "./helpers";

test("with a mutex the end balance is always 100", async () => {
  const r = await stingySpendy({ guard: "mutex", times: 50_000 });
  assert.is(r.final, RACE.start);
  assert.is(r.run.results.length, 2);
  const tally = await raceRounds(3, { guard: "mutex", times: 20_000, workers: 4 });
  assert.equal(tally.finals, [100, 100, 100]);
  assert.is(tally.wrong, 0);
  assert.is(tally.firstWrong, null);
});

test("with Atomics.add the end balance is always 100", async () => {
  assert.is((await stingySpendy({ guard: "atomic", times: 200_000 })).final, RACE.start);
});

test("without a lock the balance stays on the grid 100 + 10k and within bounds", async () => {
  const times = 200_000;
  const r = await stingySpendy({ guard: "none", times });
  assert.is((((r.final - RACE.start) % RACE.amount) + RACE.amount) % RACE.amount, 0);
  assert.ok(Math.abs(r.final - RACE.start) <= times * RACE.amount);
});

test("a traced mutex run records holds of the lock", async () => {
  const r = await stingySpendy({ guard: "mutex", times: 200, trace: true });
  const holds = r.run.trace.filter((e) => e.type === "span" && e.state === "holding");
  assert.is(holds.length, 400);
});

test("bad input names the argument", async () => {
  await rejects(
    () => stingySpendy({ guard: "semaphore" as never }),
    (e: Error) => e instanceof CourseInputError && /guard must be one of/.test(e.message),
  );
  await rejects(() => stingySpendy({ workers: 3 }), /workers must be even/);
  await rejects(() => stingySpendy({ times: 0 }), /times must be an integer/);
  await rejects(() => raceRounds(0), /rounds must be an integer/);
});

test("guardCosts times each guard; the atomic and mutex rounds all end at 100", async () => {
  const c = await guardCosts(20_000, 2);
  assert.equal(Object.keys(c), ["none", "atomic", "mutex"]);
  assert.equal(c.atomic.ends, [RACE.start, RACE.start]);
  assert.equal(c.mutex.ends, [RACE.start, RACE.start]);
  assert.is(c.none.ends.length, 2);
  for (const g of Object.values(c)) assert.ok(g.ms >= 0);
  await rejects(() => guardCosts(10, 1, ["semaphore" as never]), /guards must be among/);
  await rejects(() => guardCosts(10, 0), /rounds must be an integer/);
});

test.run();
