// Chapter 1's prime count: the block deal gives every worker the same mix (each
// worker's share of prime tests and of trial divisions within 10 % of the others'),
// the shares add up to the right count, the serial part is its stated share of the
// work, and the worker function runs as shipped source on real threads. No timing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  blockCounter,
  countPrimeShare,
  countSerialPart,
  countWithSerialPart,
  isSerialBlock,
  primeBlocks,
  sumShares,
  type PrimeShare,
} from "../../src/course/ch01-primes";
import { CourseInputError } from "../../src/course/errors";
import { threads } from "../../src/spawn/api";

/** π(limit - 1) by a sieve: the reference count. */
function primesBelow(limit: number): number {
  const composite = new Uint8Array(limit);
  let count = 0;
  for (let k = 2; k < limit; k++) {
    if (composite[k]) continue;
    count++;
    for (let m = k * k; m < limit; m += k) composite[m] = 1;
  }
  return count;
}

const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / Math.min(...xs);

for (const limit of [200_000, 1_000_003]) {
  for (const n of [1, 2, 3, 4, 8]) {
    test(`limit ${limit}, ${n} workers: shares add up to π, each within 10 % of the others in tests and divisions`, () => {
      const shares: PrimeShare[] = Array.from({ length: n }, (_, id) => countPrimeShare({ id, n, limit }));
      assert.is(sumShares(shares).primes, primesBelow(limit));
      assert.is(sumShares(shares).tests, limit - 2);
      if (n > 1) {
        assert.ok(spread(shares.map((s) => s.tests)) <= 0.1, `tests ${shares.map((s) => s.tests)}`);
        assert.ok(spread(shares.map((s) => s.divisions)) <= 0.1, `divisions ${shares.map((s) => s.divisions)}`);
      }
    });
  }
}

test("the old deal (2 + id, 2 + id + n, …) is what the block deal fixes: its even worker does almost nothing", () => {
  // Kept here as the measured reason for the blocks: one number per card.
  const byNumber = (id: number, n: number, limit: number) => {
    let divisions = 0;
    for (let k = 2 + id; k < limit; k += n)
      for (let d = 2; d * d <= k; d++) {
        divisions++;
        if (k % d === 0) break;
      }
    return divisions;
  };
  const [even, odd] = [byNumber(0, 2, 200_000), byNumber(1, 2, 200_000)];
  assert.ok(odd > 50 * even, `${odd} vs ${even}`);
});

for (const s of [0.1, 0.2, 0.25, 0.5]) {
  test(`serialShare ${s}: the serial part is ${s} of the work (±0.02 in divisions), and with it the count is still π`, () => {
    const limit = 1_000_003;
    const serial = countSerialPart({ limit, serialShare: s });
    const shares = [0, 1].map((id) => countPrimeShare({ id, n: 2, limit, serialShare: s }));
    const all = sumShares([serial, ...shares]);
    assert.is(all.primes, primesBelow(limit));
    assert.is(all.tests, limit - 2);
    const share = serial.divisions / all.divisions;
    assert.ok(Math.abs(share - s) <= 0.02, `serial share of divisions ${share}`);
    assert.ok(spread(shares.map((x) => x.divisions)) <= 0.1);
  });
}

test("primeBlocks lists exactly the blocks countPrimeShare tests, serial ones apart", () => {
  const job = { limit: 50_000, block: 700, serialShare: 0.2 };
  const count = (rs: [number, number][]) => rs.reduce((a, [from, to]) => a + to - from, 0);
  for (const id of [-1, 0, 1, 2]) assert.is(count(primeBlocks(id, 3, job)), countPrimeShare({ id, n: 3, ...job }).tests);
  assert.equal(primeBlocks(0, 2, { limit: 5000 }).slice(0, 2), [
    [2, 1002],
    [2002, 3002],
  ]);
  assert.equal(
    [0, 1, 2, 3, 4, 5, 9].map((i) => isSerialBlock(i, 0.2)),
    [false, false, false, false, true, false, true],
  );
  assert.equal(primeBlocks(-1, 2, { limit: 5000 }), [], "no serial part without a serialShare");
});

test("bad jobs are refused with what to pass", () => {
  assert.throws(
    () => primeBlocks(0, 2, { limit: 2 }),
    (e: unknown) => e instanceof CourseInputError && /limit must be an integer from 3/.test((e as Error).message),
  );
  assert.throws(() => primeBlocks(0, 2, { limit: 100, serialShare: 1 }), /serialShare must be a number from 0 up to \(not including\) 1/);
  assert.throws(() => primeBlocks(2, 2, { limit: 100 }), /id must be an integer from -1 to 1/);
  assert.throws(() => countSerialPart({ limit: 1.5 } as never), /limit must be an integer/);
  assert.throws(() => primeBlocks(0, 2, null as never), /must be an object/);
});

test("countPrimeShare runs as shipped source on real threads", async () => {
  const limit = 300_000;
  const run = await threads.run(2, countPrimeShare, { limit, serialShare: 0 });
  const shares = run.results as PrimeShare[];
  assert.is(sumShares(shares).primes, primesBelow(limit));
  for (const s of shares) assert.ok(s.busyMs >= 0 && s.divisions > 0);
});

test("countWithSerialPart: the serial part and the shares add up to π; no worker counted before the serial part ended", async () => {
  const limit = 400_000;
  for (const workers of [1, 2]) {
    const { serial, shares, ms } = await countWithSerialPart(workers, { limit, serialShare: 0.2 });
    assert.is(shares.length, workers);
    assert.is(sumShares([serial, ...shares]).primes, primesBelow(limit));
    const serialShareOfWork = serial.divisions / sumShares([serial, ...shares]).divisions;
    assert.ok(Math.abs(serialShareOfWork - 0.2) <= 0.02, `serial part ${serialShareOfWork} of the divisions`);
    const serialEnd = serial.startedAt + serial.busyMs;
    assert.ok(ms >= serial.busyMs && ms < 60_000, `ms ${ms} covers the serial part`);
    for (const s of shares) assert.ok(s.startedAt >= serialEnd - 1, `a worker began ${(serialEnd - s.startedAt).toFixed(1)} ms before the serial part ended`);
  }
  let refused: unknown;
  await countWithSerialPart(0, { limit }).catch((e) => (refused = e));
  assert.match(String(refused), /threads\.run/);
});

test("with a shared counter, workers on real threads take every block once: the shares add up to π, with and without a serial part", async () => {
  const limit = 500_000;
  for (const serialShare of [0, 0.2]) {
    const next = blockCounter();
    const run = await threads.run(3, countPrimeShare, { limit, serialShare, next });
    const shares = run.results as PrimeShare[];
    const serial = serialShare ? [countSerialPart({ limit, serialShare })] : [];
    assert.is(sumShares([...serial, ...shares]).primes, primesBelow(limit));
    assert.is(sumShares([...serial, ...shares]).tests, limit - 2, "every number tested once");
  }
  // In one thread, the first caller takes every block: the counter hands out each once.
  const next = blockCounter();
  const first = countPrimeShare({ id: 0, n: 2, limit, next });
  const second = countPrimeShare({ id: 1, n: 2, limit, next });
  assert.is(first.tests, limit - 2);
  assert.is(second.tests, 0);
});

test.run();
