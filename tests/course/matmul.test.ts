import { test } from "uvu";
import * as assert from "uvu/assert";
import { checksum, matmulRounds, matmulSingle, multiplyRows, randomMatrix } from "../../src/course/matmul";
import { PYTHON, runPython } from "./helpers";

/** The textbook product on arrays of arrays, as the reference. */
function naive(a: Int32Array, b: Int32Array, n: number): number[][] {
  const c: number[][] = [];
  for (let i = 0; i < n; i++) {
    c.push([]);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      c[i].push(s);
    }
  }
  return c;
}

test("randomMatrix: values -5..5, reproducible, writes into a given view", () => {
  const m = randomMatrix(20, 3);
  assert.ok(m.every((v) => v >= -5 && v <= 5));
  assert.equal(randomMatrix(20, 3), m);
  const shared = new Int32Array(new SharedArrayBuffer(400 * 4));
  assert.is(randomMatrix(20, 3, shared), shared);
  assert.equal(Array.from(shared), Array.from(m));
});

test("matmulSingle equals the naive product", () => {
  for (const n of [1, 2, 7, 33]) {
    const a = randomMatrix(n, 10 + n),
      b = randomMatrix(n, 20 + n);
    const c = matmulSingle(a, b, n);
    assert.equal(Array.from(c), naive(a, b, n).flat(), `n = ${n}`);
  }
});

test("rows split among k workers (id, id+k, ...) give the same product", () => {
  const n = 25,
    a = randomMatrix(n, 1),
    b = randomMatrix(n, 2);
  const want = matmulSingle(a, b, n);
  for (const k of [1, 2, 3, 8, 30]) {
    const out = new Int32Array(new SharedArrayBuffer(n * n * 4)).fill(-999);
    for (let id = 0; id < k; id++) multiplyRows(a, b, out, n, id, k);
    assert.equal(Array.from(out), Array.from(want), `k = ${k}`);
  }
  // One worker's share touches only its own rows.
  const part = new Int32Array(n * n).fill(-999);
  multiplyRows(a, b, part, n, 1, 8);
  for (let i = 0; i < n; i++) {
    const row = Array.from(part.subarray(i * n, (i + 1) * n));
    if (i % 8 === 1) assert.equal(row, Array.from(want.subarray(i * n, (i + 1) * n)), `row ${i}`);
    else
      assert.ok(
        row.every((v) => v === -999),
        `row ${i} untouched`,
      );
  }
});

test("checksum depends on order and value", () => {
  assert.is.not(checksum(new Int32Array([1, 2])), checksum(new Int32Array([2, 1])));
  assert.is(checksum(new Int32Array([])), 0);
  assert.ok(Number.isInteger(checksum(new Int32Array([-5, 2 ** 30, -(2 ** 31)]))));
});

test("matmulRounds is deterministic; a plugged-in multiply is used", () => {
  const r1 = matmulRounds({ n: 12, rounds: 3, seed: 5 });
  const r2 = matmulRounds({ n: 12, rounds: 3, seed: 5 }, (a, b, n) => {
    const out = new Int32Array(n * n);
    for (let id = 0; id < 4; id++) multiplyRows(a, b, out, n, id, 4);
    return out;
  });
  assert.is(r1.checksum, r2.checksum);
  assert.is(r1.sum, r2.sum);
  assert.is.not(matmulRounds({ n: 12, rounds: 3, seed: 6 }).checksum, r1.checksum);
});

test("bad arguments are named", () => {
  assert.throws(() => matmulRounds({ n: 0 }), /n must be/);
  assert.throws(() => matmulRounds({ rounds: 1.5 }), /rounds must be/);
  assert.throws(() => multiplyRows(new Int32Array(4), new Int32Array(4), new Int32Array(3), 2), /n\*n/);
  assert.throws(() => multiplyRows(new Int32Array(4), new Int32Array(4), new Int32Array(4), 2, 0, 0), /rowStep/);
});

test("the Python original gives the same checksum and sum", () => {
  if (!PYTHON) return console.log("skipped: no python3");
  const ts = matmulRounds({ n: 40, rounds: 3, seed: 9 });
  const py = runPython("matmul.py", ["--n", "40", "--rounds", "3", "--seed", "9"]) as Record<string, number>;
  assert.is(py.checksum, ts.checksum);
  assert.is(py.sum, ts.sum);
});

test.run();
