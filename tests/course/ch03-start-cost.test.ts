// Start-up cost measurements: the shape of what they return (one positive figure per
// thread, the median among them); no speed is asserted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { pythonThreadStartCost, workerStartCost } from "../../src/course/ch03-start-cost";

test("workerStartCost: one start-up per thread, the median among them", async () => {
  const c = await workerStartCost(3);
  assert.is(c.perThreadMs.length, 3);
  assert.ok(c.perThreadMs.every((ms) => ms > 0));
  assert.ok(c.perThreadMs.includes(c.medianMs));
});

test("pythonThreadStartCost: figures where python3 is installed, null otherwise", () => {
  const c = pythonThreadStartCost(5);
  if (!existsSync("/usr/bin/python3")) return;
  assert.ok(c, "python3 is installed");
  assert.is(c!.perThreadMs.length, 5);
  assert.match(c!.version, /^3\./);
  assert.ok(c!.perThreadMs.every((ms) => ms > 0));
});

test("bad counts are refused", async () => {
  assert.throws(() => pythonThreadStartCost(0), /count must be an integer from 1/);
  await workerStartCost(0).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /count must be an integer from 1 to 64/),
  );
});

test.run();
