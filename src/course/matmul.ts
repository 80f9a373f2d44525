// Chapters 7–8: integer matrix multiply, the workload the barrier workers share.
// Matrices are flat row-major Int32Arrays (element (i, j) at i·n + j) so that a
// worker thread or process can run the kernel on views of shared memory.
import { checkInt, CourseInputError } from "./errors";
import { Rng, toRng } from "./prng";

export const MATMUL_DEFAULTS = { n: 200, rounds: 10, seed: 1, min: -5, max: 5 } as const;

/**
 * An n×n matrix of integers drawn uniformly from −5..5 (inclusive), row by row.
 * Pass a seed for a fresh sequence or an Rng to continue one (the rounds do that).
 * Writes into `out` when given (e.g. a view of shared memory), else allocates.
 */
export function randomMatrix(n: number, seed: number | Rng, out?: Int32Array): Int32Array {
  checkInt("n", n, 1, 4096);
  const m = out ?? new Int32Array(n * n);
  if (m.length < n * n) throw new CourseInputError(`out has ${m.length} elements but an ${n}×${n} matrix needs ${n * n}; allocate n*n`);
  const rng = toRng(seed);
  for (let i = 0; i < n * n; i++) m[i] = rng.int(MATMUL_DEFAULTS.min, MATMUL_DEFAULTS.max);
  return m;
}

/**
 * out[i,·] = a[i,·] × b for the rows i = rowStart, rowStart + rowStep, … < n: the share
 * of one worker among rowStep workers (worker id takes rowStart = id). Touches no other
 * rows of `out`, so workers on one shared `out` never write the same element.
 */
export function multiplyRows(a: Int32Array, b: Int32Array, out: Int32Array, n: number, rowStart = 0, rowStep = 1): void {
  if (a.length < n * n || b.length < n * n || out.length < n * n) {
    throw new CourseInputError(`multiplyRows: a, b and out need n*n = ${n * n} elements, got ${a.length}, ${b.length}, ${out.length}`);
  }
  if (!Number.isInteger(rowStart) || rowStart < 0) throw new CourseInputError(`multiplyRows: rowStart must be an integer >= 0, got ${rowStart}`);
  if (!Number.isInteger(rowStep) || rowStep < 1) throw new CourseInputError(`multiplyRows: rowStep must be an integer >= 1, got ${rowStep}`);
  for (let i = rowStart; i < n; i += rowStep) {
    const ai = i * n;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[ai + k] * b[k * n + j];
      out[ai + j] = sum;
    }
  }
}

/** The single-threaded product a × b (all rows), into `out` or a new array. */
export function matmulSingle(a: Int32Array, b: Int32Array, n: number, out: Int32Array = new Int32Array(n * n)): Int32Array {
  multiplyRows(a, b, out, n, 0, 1);
  return out;
}

/**
 * A checksum that changes when any element or its position changes:
 * h = (h·31 + x) mod 2^32 over the elements in order, continuing from `h`.
 */
export function checksum(m: Int32Array, h = 0): number {
  for (let i = 0; i < m.length; i++) h = (Math.imul(h, 31) + m[i]) >>> 0;
  return h;
}

export interface MatmulResult {
  n: number;
  rounds: number;
  seed: number;
  /** checksum() chained over the result of every round. */
  checksum: number;
  /** Sum of every element of every result. */
  sum: number;
  ms: number;
}

/**
 * The course's benchmark: `rounds` times, draw fresh a and b (a then b, from one Rng
 * seeded once) and multiply them. `multiply` lets a threaded version plug in its own
 * product; the default is matmulSingle.
 */
export function matmulRounds(
  opts: { n?: number; rounds?: number; seed?: number } = {},
  multiply: (a: Int32Array, b: Int32Array, n: number) => Int32Array = matmulSingle,
): MatmulResult {
  const n = checkInt("n", opts.n ?? MATMUL_DEFAULTS.n, 1, 4096);
  const rounds = checkInt("rounds", opts.rounds ?? MATMUL_DEFAULTS.rounds, 1, 1_000_000);
  const seed = checkInt("seed", opts.seed ?? MATMUL_DEFAULTS.seed, 0, 0xffffffff);
  const rng = new Rng(seed);
  const a = new Int32Array(n * n),
    b = new Int32Array(n * n);
  let h = 0,
    sum = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    randomMatrix(n, rng, a);
    randomMatrix(n, rng, b);
    const c = multiply(a, b, n);
    h = checksum(c, h);
    for (let i = 0; i < c.length; i++) sum += c[i];
  }
  return { n, rounds, seed, checksum: h, sum, ms: performance.now() - t0 };
}
