// Chapter 7–8: barrier meetings and the barrier matrix multiply on real threads
// and processes, checked against the single-threaded product.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { barrierMatmul, meetAtBarrier, OVERLAP_SHARES } from "../../src/course/ch07-barriers";
import { matmulRounds, matmulSingle, randomMatrix } from "../../src/course/matmul";
import { openSegments } from "../../src/shm/index";
import { stateTotals } from "../../src/course/trace-totals";
import type { TraceEvent } from "../../src/trace/types";

/** The textbook triple loop, independent of multiplyRows. */
function naive(a: Int32Array, b: Int32Array, n: number): Int32Array {
  const c = new Int32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
  return c;
}

test("matmulSingle equals the naive product", () => {
  const a = randomMatrix(17, 3),
    b = randomMatrix(17, 4);
  assert.equal(Array.from(matmulSingle(a, b, 17)), Array.from(naive(a, b, 17)));
});

test("workers meet at the barrier every round: one arrival index each, one phase per round", async () => {
  const { run, arrivals } = await meetAtBarrier({ rounds: 5, workMs: [2, 40] });
  assert.is(arrivals.length, 2);
  for (let r = 0; r < 5; r++) {
    // Exactly one arrival index each per round (who is last depends on the scheduler).
    assert.equal([arrivals[0][r], arrivals[1][r]].sort(), [0, 1]);
  }
  const phases = run.toJSON().trace.filter((e: TraceEvent) => e.type === "instant" && e.name === "phase");
  assert.is(phases.length, 5);
});

test("barrier matmul on threads equals the single-threaded rounds", async () => {
  const ref = matmulRounds({ n: 40, rounds: 3, seed: 7 });
  for (const workers of [1, 3]) {
    const r = await barrierMatmul({ workers, n: 40, rounds: 3, seed: 7 });
    assert.is(r.checksum, ref.checksum, `checksum with ${workers} workers`);
    assert.is(r.sum, ref.sum);
  }
});

test("barrier matmul on processes (shared memory segments) equals the single-threaded rounds", async () => {
  const before = openSegments().length;
  const ref = matmulRounds({ n: 30, rounds: 2, seed: 9 });
  const r = await barrierMatmul({ workers: 3, n: 30, rounds: 2, seed: 9, kind: "processes" });
  assert.is(r.checksum, ref.checksum);
  assert.is(r.sum, ref.sum);
  assert.is(openSegments().length, before, "segments released");
});

async function rejects(p: () => Promise<unknown>, re: RegExp): Promise<void> {
  const err = await p().then(
    () => null,
    (e: unknown) => e as Error,
  );
  assert.ok(err, "expected a rejection");
  assert.match(err!.message, re);
}

test("bad arguments are named", async () => {
  await rejects(() => barrierMatmul({ workers: 0 }), /workers must be an integer/);
  await rejects(() => barrierMatmul({ kind: "fibers" as never }), /kind must be "threads" or "processes"/);
  await rejects(() => meetAtBarrier({ workMs: [] }), /workMs must be a non-empty array/);
});

test("the overlapped barrier matmul (two sets, one barrier) equals the single-threaded rounds", async () => {
  for (const rounds of [1, 2, 5]) {
    const ref = matmulRounds({ n: 24, rounds, seed: 3 });
    for (const workers of [1, 2, 3]) {
      const r = await barrierMatmul({ workers, n: 24, rounds, seed: 3, overlap: true, trace: false });
      assert.is(r.checksum, ref.checksum, `${workers} workers, ${rounds} rounds`);
      assert.is(r.sum, ref.sum);
      assert.ok(r.overlap && r.serialMs >= 0 && r.serialMs <= r.computeMs);
      assert.is(
        r.run.results.reduce((x, y) => x + y, 0),
        rounds * OVERLAP_SHARES,
        "every share of every round taken once",
      );
    }
  }
  const before = openSegments().length;
  const ref = matmulRounds({ n: 20, rounds: 3, seed: 4 });
  const p = await barrierMatmul({ workers: 2, n: 20, rounds: 3, seed: 4, overlap: true, kind: "processes" });
  assert.is(p.checksum, ref.checksum);
  assert.is(openSegments().length, before, "segments released");
});

test("the two-barrier loop reports its serial part; the overlapped one meets rounds + 1 times", async () => {
  const r = await barrierMatmul({ workers: 2, n: 30, rounds: 3 });
  assert.ok(!r.overlap && r.serialMs > 0 && r.serialMs <= r.computeMs);
  const o = await barrierMatmul({ workers: 2, n: 30, rounds: 3, overlap: true });
  const phases = o.run.toJSON().trace.filter((e: TraceEvent) => e.type === "instant" && e.name === "phase");
  assert.ok(phases.length <= 4, "at most one phase per meeting (the notebook's own arrivals record none)");
  assert.ok(stateTotals(o.run, { state: "running" }).count >= 2);
});

test.run();
