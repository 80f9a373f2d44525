// The reduced modes find the same outcomes and the same deadlocks as running every
// interleaving, on every ready-made model, in fewer schedules; and on the models
// too big to enumerate, "por" and "states" agree with each other.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exploreModel, models, type ExploreResult, type Model } from "../../src/explore";

const outcomeSet = (r: ExploreResult) => r.outcomes.map((o) => o.outcome).sort();
const deadlockSet = (r: ExploreResult) => r.deadlocks.map((d) => d.key).sort();
const counts = (r: ExploreResult) => Object.fromEntries(r.outcomes.map((o) => [o.outcome, o.count]));

/** Every ready-made model at sizes small enough to run every interleaving. */
function small(): [string, Model][] {
  const W = models;
  return [
    ["lost update k=3", W.lostUpdate({ k: 3 })],
    ["stingy/spendy", W.stingySpendy({ times: 2 })],
    ["stingy/spendy locked", W.stingySpendy({ lock: true, times: 2 })],
    ["check-then-act", W.checkThenAct()],
    ["check-then-act locked", W.checkThenAct({ lock: true })],
    ...W.BANK_VARIANTS.map((v) => [`bank ${v}`, W.conditionBank({ variant: v, deposits: 3 })] as [string, Model]),
    ...W.WAITGROUP_VARIANTS.map((v) => [`waitgroup ${v}`, W.waitGroupFromCondition({ variant: v })] as [string, Model]),
    ...W.BARRIER_VARIANTS.map((v) => [`barrier ${v}`, W.barrierMisuse({ variant: v })] as [string, Model]),
    ...W.QUEUE_VARIANTS.map((v) => [`producer/consumer ${v}`, W.producerConsumer({ variant: v })] as [string, Model]),
    ...(["none", "hierarchy", "arbitrator"] as const).flatMap((s) =>
      [2, 3].map((n) => [`philosophers ${n} ${s}`, W.philosophers({ n, strategy: s })] as [string, Model]),
    ),
  ];
}

test("por and states find the outcomes and deadlocks that no reduction finds, in fewer schedules", () => {
  let none = 0,
    por = 0,
    runsStates = 0;
  for (const [name, m] of small()) {
    const a = exploreModel(m, { reduction: "none" });
    const b = exploreModel(m, { reduction: "por" });
    const c = exploreModel(m, { reduction: "states" });
    for (const r of [a, b, c]) assert.ok(r.complete, `${name} ${r.reduction} complete`);
    assert.equal(outcomeSet(b), outcomeSet(a), `${name}: por outcomes`);
    assert.equal(outcomeSet(c), outcomeSet(a), `${name}: states outcomes`);
    assert.equal(deadlockSet(b), deadlockSet(a), `${name}: por deadlocks`);
    assert.equal(deadlockSet(c), deadlockSet(a), `${name}: states deadlocks`);
    assert.equal(counts(c), counts(a), `${name}: states counts every schedule`);
    assert.ok(b.schedules <= a.schedules, `${name}: por ${b.schedules} vs ${a.schedules}`);
    assert.ok(c.schedules <= a.schedules, `${name}: states ${c.schedules} vs ${a.schedules}`);
    // Critical sections of one lock are dependent, so por cannot reorder them
    // (the arbitrator runs everything under one lock); state hashing can.
    if (a.schedules >= 20) assert.ok(c.schedules < a.schedules, `${name}: states fewer when there are many (${a.schedules}, ${c.schedules})`);
    if (a.schedules >= 20 && !name.includes("arbitrator"))
      assert.ok(b.schedules < a.schedules, `${name}: por fewer when there are many (${a.schedules}, ${b.schedules})`);
    none += a.schedules;
    por += b.schedules;
    runsStates += c.schedules;
  }
  assert.ok(por * 10 < none && runsStates * 10 < none, `overall: none ${none}, por ${por}, states ${runsStates}`);
});

test("deadlocks are found with a shortest schedule, the fixes have none", () => {
  for (const n of [3, 4, 5]) {
    const none = exploreModel(models.philosophers({ n }), { reduction: "por" });
    assert.ok(none.complete);
    assert.is(none.deadlocks.length, 1, `${n} philosophers: one deadlock state (each holds the left fork)`);
    const d = none.deadlocks[0];
    assert.is(d.schedule.length, n, "each takes one fork: n steps");
    assert.is(d.blocked.length, n);
    assert.is(d.graph.cycle.length, 2 * n, "the cycle alternates philosophers and forks");
    for (const s of ["hierarchy", "arbitrator"] as const) {
      const r = exploreModel(models.philosophers({ n, strategy: s }), { reduction: s === "arbitrator" ? "states" : "por" });
      assert.ok(r.complete, `${n} ${s} complete`);
      assert.equal(outcomeSet(r), ["all ate"], `${n} ${s}: no deadlock in any schedule`);
    }
  }
  const trains = exploreModel(models.trains(), { reduction: "por" });
  assert.equal(outcomeSet(trains), ["all through", "deadlock"]);
  assert.is(trains.deadlocks.length, 1);
  assert.equal(trains.deadlocks[0].graph.cycle.filter((x) => x.startsWith("t")).sort(), ["t0", "t1", "t2", "t3"]);
  for (const s of ["hierarchy", "arbitrator"] as const) {
    const r = exploreModel(models.trains({ strategy: s }), { reduction: "states" });
    assert.ok(r.complete);
    assert.equal(outcomeSet(r), ["all through"], `trains ${s}`);
  }
});

test("too big to enumerate: por and states agree", () => {
  const big: [string, Model][] = [
    ["philosophers 4", models.philosophers({ n: 4 })],
    ["philosophers 5", models.philosophers({ n: 5 })],
    ["philosophers 4 hierarchy", models.philosophers({ n: 4, strategy: "hierarchy" })],
    ["philosophers 4 arbitrator", models.philosophers({ n: 4, strategy: "arbitrator" })],
    ["trains", models.trains()],
    ["trains hierarchy", models.trains({ strategy: "hierarchy" })],
    ["lost update k=5", models.lostUpdate({ k: 5 })],
  ];
  for (const [name, m] of big) {
    const p = exploreModel(m, { reduction: "por" });
    const s = exploreModel(m, { reduction: "states" });
    assert.ok(p.complete && s.complete, name);
    assert.equal(outcomeSet(p), outcomeSet(s), `${name}: outcomes`);
    assert.equal(deadlockSet(p), deadlockSet(s), `${name}: deadlocks`);
  }
});

test.run();
