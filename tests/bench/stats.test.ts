// The benchmark's arithmetic and command line: pure functions, no timing asserted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { meets, paired, pairedFrom, quantile, summarize } from "../../bench/stats";
import { parseArgs, UsageError } from "../../bench/args";

test("summarize: median and interquartile range", () => {
  const s = summarize([5, 1, 3, 2, 4]);
  assert.is(s.median, 3);
  assert.is(s.p25, 2);
  assert.is(s.p75, 4);
  assert.is(s.min, 1);
  assert.is(s.max, 5);
  assert.is(s.reps, 5);
  assert.is(quantile([1, 2], 0.5), 1.5);
});

test("summarize refuses empty and non-finite samples, naming the problem", () => {
  assert.throws(() => summarize([]), /empty sample/);
  assert.throws(() => summarize([1, NaN]), /not a finite number/);
});

test("paired alternates the order (AB BA …) and takes the median of per-pair ratios", async () => {
  const order: string[] = [];
  let i = 0;
  const p = await paired(
    () => {
      order.push("A");
      return 10;
    },
    () => {
      order.push("B");
      return 10 + ++i; // candidate drifts: 11, 12, 13, 14 after warm-up
    },
    { warmup: 1, reps: 4 },
  );
  assert.equal(order.join(""), "AB" + "AB" + "BA" + "AB" + "BA");
  assert.is(p.base.median, 10);
  assert.is(p.ratio, (1.3 + 1.4) / 2);
  const s = await paired(
    () => 10,
    () => 5,
    { warmup: 0, reps: 2 },
    "speedup",
  );
  assert.is(s.ratio, 2);
  assert.throws(() => pairedFrom([1], [1, 2]), /as many baseline as candidate/);
});

test("paired refuses bad repetition counts", async () => {
  try {
    await paired(
      () => 1,
      () => 1,
      { warmup: 0, reps: 0 },
    );
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /reps must be an integer ≥ 1, got 0/);
  }
});

test("meets checks ratio and median targets both ways", () => {
  assert.is(meets({ on: "ratio", op: "<=", value: 1.2 }, { median: 1, ratio: 1.1 }), true);
  assert.is(meets({ on: "ratio", op: "<=", value: 1.2 }, { median: 1, ratio: 1.3 }), false);
  assert.is(meets({ on: "ratio", op: ">=", value: 1.8 }, { median: 1 }), false);
  assert.is(meets({ on: "median", op: "<=", value: 500 }, { median: 400 }), true);
  assert.is(meets(undefined, { median: 1 }), undefined);
});

test("parseArgs: groups, flags, workers, and clear errors", () => {
  const o = parseArgs(["sync", "course", "--smoke", "--workers", "4,2,16", "--out", "/tmp/x"], "/d");
  assert.equal(o.groups, ["sync", "course"]);
  assert.is(o.smoke, true);
  assert.equal(o.workers, [1, 2, 4, 16]);
  assert.is(o.out, "/tmp/x");
  assert.equal(parseArgs([], "/d").groups, ["sync", "spawn", "course", "notes", "charts"]);
  assert.throws(
    () => parseArgs(["sink"], "/d"),
    (e: Error) => e instanceof UsageError && /unknown group "sink"/.test(e.message),
  );
  assert.throws(() => parseArgs(["--fast"], "/d"), /unknown flag --fast/);
  assert.throws(() => parseArgs(["--workers", "2,x"], "/d"), /"x" is not a worker count/);
  assert.throws(() => parseArgs(["--workers"], "/d"), /--workers needs a value/);
  assert.throws(() => parseArgs(["--smoke", "--check"], "/d"), /do not go together/);
});

test.run();
