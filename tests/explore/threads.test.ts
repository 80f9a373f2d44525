// The model and real threads agree: lost update run for real (2 worker threads,
// each doing k times "read the counter, write it + 1", as Atomics.load and
// Atomics.store so that each is exactly one of the model's steps) shows only
// outcomes the explorer lists. Many short rounds, each started by both threads
// together at a spin barrier, so that the two threads really interleave.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exploreModel, models } from "../../src/explore";
import { lostUpdateOnThreads } from "../../src/explore/real";

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

test.run();
