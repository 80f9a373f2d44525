// The model and real threads agree: lost update run for real (2 worker threads,
// each doing k times "read the counter, write it + 1", as Atomics.load and
// Atomics.store so that each is exactly one of the model's steps) shows only
// outcomes the explorer lists. Many short rounds, each started by both threads
// together at a spin barrier, so that the two threads really interleave.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { threads } from "../../src/spawn/index";
import { exploreModel, models } from "../../src/explore";

async function realLostUpdate(k: number, maxRounds: number, maxMs: number): Promise<Record<string, number>> {
  const HIST = 8;
  const shared = new Int32Array(new SharedArrayBuffer(4 * (HIST + 2 * k + 1)));
  await threads.run(2, ({ id, shared, k, maxRounds, maxMs }) => {
    // No named inner functions: the worker gets this function as source (tsx would add a helper).
    const C = 0, ARRIVE = 1, GEN = 2, STOP = 3, HIST = 8;
    const end = performance.now() + maxMs;
    for (let r = 0; r < maxRounds; r++) {
      let stop = false;
      for (let phase = 0; phase < 2 && !stop; phase++) {
        // Both threads leave this point together (a two-party barrier on a generation word).
        const g = Atomics.load(shared, GEN);
        if (Atomics.add(shared, ARRIVE, 1) === 1) {
          Atomics.store(shared, ARRIVE, 0);
          Atomics.add(shared, GEN, 1);
          Atomics.notify(shared, GEN);
        } else {
          let spins = 0;
          while (Atomics.load(shared, GEN) === g) if (++spins > 5000) Atomics.wait(shared, GEN, g, 1);
        }
        if (phase === 0) {
          if (Atomics.load(shared, STOP)) stop = true;
          else {
            for (let i = 0; i < k; i++) {
              const v = Atomics.load(shared, C); // the model's read step
              Atomics.store(shared, C, v + 1); // its write step
            }
          }
        } else if (id === 0) {
          Atomics.add(shared, HIST + Atomics.load(shared, C), 1);
          Atomics.store(shared, C, 0);
          if (performance.now() > end) Atomics.store(shared, STOP, 1);
        }
      }
      if (stop) break;
    }
  }, { shared, k, maxRounds, maxMs }, { trace: false });
  const out: Record<string, number> = {};
  for (let v = 0; v <= 2 * k; v++) if (shared[HIST + v]) out[String(v)] = shared[HIST + v];
  return out;
}

test("every outcome a real run shows is one the explorer lists", async () => {
  for (const k of [1, 2, 3]) {
    const explored = new Set(exploreModel(models.lostUpdate({ k }), { reduction: "states" }).outcomes.map((o) => o.outcome));
    const real = await realLostUpdate(k, 40_000, 1_000);
    const rounds = Object.values(real).reduce((a, b) => a + b, 0);
    console.log(`k = ${k}: ${rounds} real rounds, outcomes ${JSON.stringify(real)}; explorer: ${[...explored].join(", ")}`);
    assert.ok(rounds >= 50, `enough rounds ran (${rounds})`);
    for (const v of Object.keys(real)) assert.ok(explored.has(v), `k = ${k}: the real run ended at ${v}, which the explorer does not list`);
    assert.ok(real[String(2 * k)] > 0, "most rounds lose nothing");
  }
});

test.run();
