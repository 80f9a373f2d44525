// Exploration without reduction runs every interleaving: the counts are the closed
// forms (binomials, multinomials), and lost update's outcome distribution is the
// one a brute-force enumeration gives. State hashing counts the same numbers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exploreModel, model, models, type ExploreResult } from "../../src/explore";

const binom = (n: number, k: number): number => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
};
const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
const multinomial = (ks: number[]): number => Math.round(fact(ks.reduce((a, b) => a + b, 0)) / ks.reduce((a, k) => a * fact(k), 1));
const counts = (r: ExploreResult) => Object.fromEntries(r.outcomes.map((o) => [o.outcome, o.count]));

/** Threads of the given step counts, each writing its own var (no blocking, every order possible). */
function independent(steps: number[]) {
  return model({
    name: `threads of ${steps.join(", ")} steps`,
    shared: { cells: steps.map(() => 0) },
    params: { steps },
    threads: function* ({ id, cells, steps }): Generator<any, void, any> {
      for (let i = 0; i < steps[id]; i++) yield cells[id].write(i + 1);
    },
    n: steps.length,
  });
}

test("two threads of a and b steps: C(a+b, a) schedules", () => {
  for (const [a, b] of [
    [1, 1],
    [2, 1],
    [3, 3],
    [4, 2],
    [5, 5],
    [7, 3],
  ]) {
    const r = exploreModel(independent([a, b]), { reduction: "none" });
    assert.is(r.schedules, binom(a + b, a), `${a}, ${b}`);
    assert.is(r.interleavings, binom(a + b, a));
    assert.ok(r.complete);
    assert.is(r.steps, r.schedules * (a + b), "each schedule re-runs every step");
  }
});

test("three and four threads: the multinomial", () => {
  for (const ks of [
    [1, 1, 1],
    [2, 2, 2],
    [3, 2, 1],
    [2, 2, 2, 2],
  ]) {
    const r = exploreModel(independent(ks), { reduction: "none" });
    assert.is(r.schedules, multinomial(ks), ks.join(","));
    const s = exploreModel(independent(ks), { reduction: "states" });
    assert.is(s.interleavings, multinomial(ks), `states counts ${ks.join(",")}`);
    // Independent threads: one representative schedule covers them all.
    assert.is(exploreModel(independent(ks), { reduction: "por" }).schedules, 1);
  }
});

/** Every interleaving of two threads' "read; write read+1" k times, simulated without the explorer. */
function bruteForceLostUpdate(k: number): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (i: number, j: number, counter: number, local: [number, number]) => {
    if (i === 2 * k && j === 2 * k) {
      out[counter] = (out[counter] ?? 0) + 1;
      return;
    }
    if (i < 2 * k) {
      if (i % 2 === 0) walk(i + 1, j, counter, [counter, local[1]]);
      else walk(i + 1, j, local[0] + 1, local);
    }
    if (j < 2 * k) {
      if (j % 2 === 0) walk(i, j + 1, counter, [local[0], counter]);
      else walk(i, j + 1, local[1] + 1, local);
    }
  };
  walk(0, 0, 0, [0, 0]);
  return out;
}

test("lost update k = 1, 2, 3: 6, 70, 924 schedules and the full distributions", () => {
  const expected: Record<number, Record<string, number>> = {
    1: { 1: 4, 2: 2 },
    2: { 2: 32, 3: 32, 4: 6 },
    3: { 2: 8, 3: 300, 4: 416, 5: 180, 6: 20 },
  };
  for (const k of [1, 2, 3]) {
    const r = exploreModel(models.lostUpdate({ k }), { reduction: "none" });
    assert.is(r.schedules, binom(4 * k, 2 * k), `k = ${k}`);
    assert.equal(counts(r), expected[k], `distribution k = ${k}`);
    assert.equal(counts(r), bruteForceLostUpdate(k), `brute force k = ${k}`);
    const total = r.outcomes.reduce((s, o) => s + o.share, 0);
    assert.ok(Math.abs(total - 1) < 1e-12, "shares add up to 1");
    assert.is(r.outcomes.find((o) => o.outcome === String(2 * k))!.grade, "expected");
    assert.ok(r.outcomes.filter((o) => o.outcome !== String(2 * k)).every((o) => o.grade === "forbidden"));
  }
  // k = 4 by brute force only (12,870 schedules)
  assert.equal(counts(exploreModel(models.lostUpdate({ k: 4 }), { reduction: "none" })), bruteForceLostUpdate(4));
});

test("state hashing counts exactly what no reduction runs, in far fewer runs", () => {
  for (const k of [1, 2, 3, 4]) {
    const m = models.lostUpdate({ k });
    const none = exploreModel(m, { reduction: "none" });
    const states = exploreModel(m, { reduction: "states" });
    assert.equal(counts(states), counts(none), `k = ${k}`);
    assert.is(states.interleavings, none.schedules);
    assert.ok(states.complete);
    if (k >= 3) assert.ok(states.steps * 3 < none.steps, `k = ${k}: ${states.steps} steps vs ${none.steps}`);
  }
  // Big ones no enumeration could do: philosophers, 5 at the table.
  const p = exploreModel(models.philosophers({ n: 5 }), { reduction: "states" });
  assert.ok(p.complete);
  assert.is(p.interleavings, 66_468_720);
  assert.equal(counts(p), { "all ate": 66_468_600, deadlock: 120 });
});

test.run();
