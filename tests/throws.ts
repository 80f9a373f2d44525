// One check for "this call is refused with that error", shared by the suites.
import * as assert from "uvu/assert";

/** Asserts that `fn` throws an instance of `cls` whose message matches `pattern` (a RegExp, or text it must contain). */
export function throwsError(fn: () => unknown, cls: abstract new (...args: never[]) => unknown, pattern: RegExp | string): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, cls, `${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected ${cls.name} with a message matching ${pattern}`);
}
