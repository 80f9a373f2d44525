// One list of the public API: kernel-helpers re-exports each area's public index as
// is, so whatever an area exports reaches notebooks, and the package adds only what
// needs a notebook (displays, claims, exercises). Internal hooks stay out.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as kh from "../../kernel-helpers/src/index";
import * as sync from "../../src/sync";
import * as spawn from "../../src/spawn";
import * as trace from "../../src/trace";
import * as charts from "../../src/charts";
import * as course from "../../src/course";

test("every name of each area's public index reaches notebooks, as the same object", () => {
  for (const [area, mod] of Object.entries({ sync, spawn, trace, charts, course })) {
    for (const [name, value] of Object.entries(mod)) {
      assert.ok(name in kh, `${area}'s ${name} is missing from kernel-helpers`);
      assert.is((kh as Record<string, unknown>)[name], value, `${area}'s ${name} is another object in kernel-helpers`);
    }
  }
});

test("a Run draws itself and a DeadlockError shows its graph", () => {
  assert.type(kh.Run.prototype.timeline, "function");
  assert.type(kh.Run.prototype.contention, "function");
  assert.type(kh.DeadlockError.prototype.show, "function");
});

test("the tslab adapter and the worker entry's hooks are not API", () => {
  for (const name of [
    "installTslabAdapter",
    "expandShorthands",
    "interruptLine",
    "useTypeScript",
    "setWorkerBundle",
    "__interleavePoolTask",
    "__interleaveWorkerMain",
  ]) {
    assert.not.ok(name in kh, `${name} is exported`);
  }
});

test.run();
