// Every schedule the explorer reports replays to the outcome it was reported with;
// a sampled schedule comes back from its seed; the decisive step; the stepper.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ExploreInputError, Stepper, decisiveStep, exploreModel, models, replaySchedule, sampleSchedule, scheduleData, type Model } from "../../src/explore";
import { throwsError } from "../throws";

const throws = (fn: () => unknown, re: RegExp) => throwsError(fn, ExploreInputError, re);

const every: [string, Model][] = [
  ["lost update", models.lostUpdate({ k: 2 })],
  ["stingy/spendy", models.stingySpendy({ times: 2 })],
  ["check-then-act", models.checkThenAct()],
  ...models.BANK_VARIANTS.map((v) => [`bank ${v}`, models.conditionBank({ variant: v })] as [string, Model]),
  ...models.WAITGROUP_VARIANTS.map((v) => [`waitgroup ${v}`, models.waitGroupFromCondition({ variant: v })] as [string, Model]),
  ...models.BARRIER_VARIANTS.map((v) => [`barrier ${v}`, models.barrierMisuse({ variant: v })] as [string, Model]),
  ...models.QUEUE_VARIANTS.map((v) => [`queue ${v}`, models.producerConsumer({ variant: v })] as [string, Model]),
  ["philosophers 4", models.philosophers({ n: 4 })],
  ["philosophers 3 arbitrator", models.philosophers({ n: 3, strategy: "arbitrator" })],
  ["trains", models.trains()],
];

test("every reported schedule replays to its outcome, in every mode", () => {
  for (const [name, m] of every) {
    for (const reduction of ["none", "por", "states"] as const) {
      if (reduction === "none" && name.startsWith("trains")) continue;
      const r = exploreModel(m, { reduction });
      for (const o of r.outcomes) {
        const rp = replaySchedule(m, o.schedule);
        assert.is(rp.outcome, o.outcome, `${name} ${reduction}: ${o.outcome}`);
        assert.is(rp.grade, o.grade);
        assert.is(rp.steps.length, o.schedule.length);
      }
      for (const d of r.deadlocks) {
        const rp = replaySchedule(m, d.schedule);
        assert.is(rp.status, "deadlock", `${name} ${reduction} deadlock`);
        assert.equal(rp.blocked, d.blocked);
        assert.equal(rp.canMove, []);
      }
    }
  }
});

test("a sampled schedule replays from its seed (random and PCT)", () => {
  for (const strategy of ["random", "pct"] as const) {
    const m = models.philosophers({ n: 5 });
    const r = exploreModel(m, { sample: 300, seed: 7, strategy });
    assert.is(r.mode, "sample");
    assert.is(r.schedules, 300);
    assert.not.ok(r.complete, "a sample is never complete");
    for (const o of [...r.outcomes, ...r.deadlocks]) {
      assert.type(o.seed, "number");
      const again = sampleSchedule(m, o.seed!, { strategy });
      assert.equal(again, o.schedule, `${strategy}: seed ${o.seed} gives the same schedule`);
      const rp = replaySchedule(m, again);
      assert.is(rp.outcome, "outcome" in o ? o.outcome : "deadlock");
    }
    // Same seed, same sample; another seed, another sample.
    const same = exploreModel(m, { sample: 300, seed: 7, strategy });
    assert.equal(
      same.outcomes.map((o) => [o.outcome, o.count, o.seed]),
      r.outcomes.map((o) => [o.outcome, o.count, o.seed]),
    );
  }
  // PCT finds the philosophers' deadlock easily; so does random sampling of 2 threads' lost update.
  const pct = exploreModel(models.philosophers({ n: 3 }), { sample: 200, seed: 1, strategy: "pct" });
  assert.ok(
    pct.outcomes.some((o) => o.outcome === "deadlock"),
    "PCT finds the deadlock",
  );
  const rnd = exploreModel(models.lostUpdate({ k: 3 }), { sample: 500, seed: 3 });
  assert.ok(rnd.outcomes.length >= 3, `random sampling sees several outcomes (${rnd.outcomes.length})`);
});

test("replay gives the state after each step; a schedule that does not fit is refused", () => {
  const m = models.stingySpendy();
  const rp = replaySchedule(m, [0, 1, 0, 1]);
  assert.equal(
    rp.steps.map((s) => s.label),
    ["read balance → 100", "read balance → 100", "write balance ← 110", "write balance ← 90"],
  );
  assert.equal(
    rp.steps.map((s) => s.vars),
    [["balance=100"], ["balance=100"], ["balance=110"], ["balance=90"]],
  );
  assert.equal(
    rp.steps.map((s) => s.changed.length),
    [0, 0, 1, 1],
  );
  assert.is(rp.outcome, "90");
  assert.is(rp.grade, "forbidden");
  assert.equal(rp.initial.vars, ["balance=100"]);
  const part = replaySchedule(m, [0]);
  assert.is(part.status, "running");
  assert.equal(part.canMove, [0, 1]);
  assert.is(part.outcome, null);
  throws(() => replaySchedule(m, [0, 0, 0]), /schedule\[2\] = 0 does not fit .*t0 has finished; threads that can move there: t1/);
  throws(() => replaySchedule(m, [2]), /schedule\[0\] = 2, but .* has threads 0 … 1/);
  throws(() => replaySchedule(m, "01" as never), /schedule must be an array of thread ids/);
  const locked = models.stingySpendy({ lock: true });
  throws(() => replaySchedule(locked, [0, 1]), /t1 is blocked: it waits to lock lock \(held by t0\)/);
});

test("the decisive step: the one after which the bad outcome was certain", () => {
  const m = models.stingySpendy();
  assert.is(decisiveStep(m, [0, 1, 0, 1]), 1, "spendy reading the stale balance decides it");
  assert.is(decisiveStep(m, [0, 0, 1, 1]), null, "a good schedule has none");
  assert.is(replaySchedule(m, [0, 1, 0, 1], { decisive: true }).decisive, 1);
  const phil = models.philosophers({ n: 3 });
  assert.is(decisiveStep(phil, [0, 1, 2]), 2, "with two left forks taken t1 can still eat; the third left fork closes the cycle");
  const always = models.barrierMisuse({ variant: "too-many-parties" });
  assert.is(decisiveStep(always, exploreModel(always).deadlocks[0].schedule), null, "bad in every schedule: no step to blame");
  const data = scheduleData(replaySchedule(m, [0, 1, 0, 1], { decisive: true }));
  assert.is(data.mark, 1);
  assert.equal(data.threads, ["t0", "t1"]);
  assert.equal(data.names, ["t0 stingy", "t1 spendy"]);
});

test("the stepper: you choose the thread; it says who can move and how it ends", () => {
  const g = new Stepper(models.philosophers({ n: 2 }));
  assert.equal(g.canMove, [0, 1]);
  g.step(0);
  assert.match(g.view().message, /can move: t0, t1/);
  g.step(1);
  const v = g.view();
  assert.is(v.status, "deadlock");
  assert.match(v.message, /deadlock: t0 waits to lock forks\[1\] \(held by t1\); t1 waits to lock forks\[0\] \(held by t0\)/);
  assert.equal(
    v.threads.map((t) => t.state),
    ["blocked", "blocked"],
  );
  throws(() => g.step(0), /t0 is blocked: it waits to lock forks\[1\] \(held by t1\); nobody can move: deadlock/);
  g.undo();
  assert.equal(g.schedule, [0]);
  g.step(0, 0, 0, 1, 1, 1, 1);
  assert.is(g.status, "finished");
  assert.match(g.view().message, /finished: outcome "all ate", expected/);
  throws(() => g.step(1), /the program has finished/);
  const s = new Stepper(models.stingySpendy());
  s.step(0, 1, 0, 1);
  assert.match(s.view().message, /outcome "90", forbidden — a forbidden outcome/);
  assert.match(s.text(), /t1 spendy\s+finished/);
  throws(() => s.step(), /name the thread to move/);
  throws(() => s.reset().step(5), /has threads 0 … 1/);
});

test.run();
