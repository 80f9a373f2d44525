import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng } from "../../src/course/prng";
import { PYTHON } from "./helpers";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

test("same seed, same sequence; different seeds differ", () => {
  const a = new Rng(42),
    b = new Rng(42),
    c = new Rng(43);
  const xs = Array.from({ length: 50 }, () => a.nextU32());
  assert.equal(
    Array.from({ length: 50 }, () => b.nextU32()),
    xs,
  );
  assert.not.equal(
    Array.from({ length: 50 }, () => c.nextU32()),
    xs,
  );
  assert.ok(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
});

test("int(lo, hi) covers the whole range and nothing outside it", () => {
  const r = new Rng(7);
  const seen = new Map<number, number>();
  for (let i = 0; i < 11_000; i++) {
    const v = r.int(-5, 5);
    seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  assert.equal(
    [...seen.keys()].sort((x, y) => x - y),
    [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5],
  );
  for (const n of seen.values()) assert.ok(n > 800 && n < 1200, `roughly uniform, got ${n}`);
});

test("bad seeds are refused with the argument named", () => {
  assert.throws(() => new Rng(-1), /seed/);
  assert.throws(() => new Rng(1.5), /seed/);
  assert.throws(() => new Rng(2 ** 32), /seed/);
});

test("the Python port draws the same numbers", () => {
  if (!PYTHON) return console.log("skipped: no python3");
  const code =
    "import sys; sys.path.insert(0, sys.argv[1]); from prng import Rng; r = Rng(12345); print(' '.join(str(r.next_u32()) for _ in range(20)), ' '.join(str(r.int(-5, 5)) for _ in range(20)))";
  const out = execFileSync(PYTHON, ["-c", code, join(__dirname, "..", "..", "bench", "python")], { encoding: "utf8" }).trim();
  const r = new Rng(12345);
  const u = Array.from({ length: 20 }, () => r.nextU32()).join(" ");
  const i = Array.from({ length: 20 }, () => r.int(-5, 5)).join(" ");
  assert.is(out, `${u} ${i}`);
});

test.run();
