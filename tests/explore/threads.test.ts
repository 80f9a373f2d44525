// The model and real threads agree: lost update run for real (2 worker threads,
// each doing k times "read the counter, write it + 1", as Atomics.load and
// Atomics.store so that each is exactly one of the model's steps) shows only
// outcomes the explorer lists. Many short rounds, each started by both threads
// together at a spin barrier, so that the two threads really interleave.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exploreModel, models } from "../../src/explore";
import { lostUpdateOnThreads, runOnThreads } from "../../src/explore/real";
import { ExploreInputError, model } from "../../src/explore";

test("every outcome a real run shows is one the explorer lists", async () => {
  for (const k of [1, 2, 3]) {
    const explored = new Set(exploreModel(models.lostUpdate({ k }), { reduction: "states" }).outcomes.map((o) => o.outcome));
    const { counts: real, rounds } = await lostUpdateOnThreads({ k, maxRounds: 40_000, maxMs: 1_000 });
    console.log(`k = ${k}: ${rounds} real rounds, outcomes ${JSON.stringify(real)}; explorer: ${[...explored].join(", ")}`);
    assert.ok(rounds >= 50, `enough rounds ran (${rounds})`);
    for (const v of Object.keys(real)) assert.ok(explored.has(v), `k = ${k}: the real run ended at ${v}, which the explorer does not list`);
    assert.ok(real[String(2 * k)] > 0, "most rounds lose nothing");
  }
});

test("the same model bodies on real threads: every round's outcome is one the explorer lists", async () => {
  const cases = [
    models.stingySpendy(),
    models.stingySpendy({ lock: true }),
    models.conditionBank({ variant: "if" }),
    models.barrierMisuse({ variant: "one-barrier" }),
    models.philosophers({ n: 3, strategy: "hierarchy" }),
    models.producerConsumer({ variant: "quits-early" }),
  ];
  for (const m of cases) {
    const explored = new Set(exploreModel(m).outcomes.map((o) => o.outcome));
    const real = await runOnThreads(m, { rounds: 150, maxMs: 700 });
    console.log(`${m.name}: ${real.rounds} real rounds in ${Math.round(real.ms)} ms, ${JSON.stringify(real.counts)}`);
    assert.ok(real.rounds >= 1);
    for (const o of Object.keys(real.counts))
      assert.ok(explored.has(o), `${m.name}: a real round ended with ${JSON.stringify(o)}, which the explorer does not list`);
  }
  // Locked: every real round ends at 100, as every explored schedule does.
  const locked = await runOnThreads(models.stingySpendy({ lock: true }), { rounds: 100, maxMs: 500 });
  assert.equal(Object.keys(locked.counts), ["100"]);
});

test("runOnThreads refuses what cannot run on real threads", async () => {
  const notInt = model({
    name: "s",
    shared: { s: "text" },
    threads: function* ({ s }): Generator<any, void, any> {
      yield s.read();
    },
  });
  let err: unknown;
  try {
    await runOnThreads(notInt);
  } catch (e) {
    err = e;
  }
  assert.instance(err, ExploreInputError);
  assert.match(String(err), /vars are whole numbers/);
  const outside = 3;
  const closure = model({
    name: "c",
    shared: { x: 0 },
    threads: function* ({ x }): Generator<any, void, any> {
      yield x.write(outside);
    },
  });
  err = undefined;
  try {
    await runOnThreads(closure);
  } catch (e) {
    err = e;
  }
  assert.match(String(err), /`outside` is a variable from outside the function/);
});

test.run();
