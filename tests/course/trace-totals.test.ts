// stateTotals: the spans of one state (and worker, primitive) summed from a run's trace.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stateTotals } from "../../src/course/trace-totals";
import { CourseInputError } from "../../src/course/errors";
import type { RunData } from "../../src/trace/types";

const run: RunData = {
  kind: "threads",
  n: 2,
  startedAt: 0,
  endedAt: 100,
  workers: [
    { id: 0, label: "t0", kind: "thread", spawnedAt: 0 },
    { id: 1, label: "t1", kind: "thread", spawnedAt: 0 },
  ],
  trace: [
    { type: "span", worker: "t0", state: "running", start: 0, end: 100 },
    { type: "span", worker: "t0", state: "blocked", start: 10, end: 30, prim: { kind: "barrier", id: "b" } },
    { type: "span", worker: "t0", state: "blocked", start: 40, end: 45, prim: { kind: "mutex", id: "m" } },
    { type: "span", worker: "t1", state: "holding", start: 40, end: 41.5, prim: { kind: "mutex", id: "m" } },
    { type: "span", worker: "t1", state: "holding", start: 50, end: 50.5, prim: { kind: "mutex", id: "m" } },
    { type: "instant", worker: "t1", name: "phase", at: 30 },
  ],
};

test("sums the matching spans and finds the longest", () => {
  assert.equal(stateTotals(run, { state: "holding" }), { count: 2, totalMs: 2, longestMs: 1.5 });
  assert.equal(stateTotals(run, { state: "blocked", worker: "t0" }), { count: 2, totalMs: 25, longestMs: 20 });
  assert.equal(stateTotals(run, { state: "blocked", worker: "t0", prim: "barrier" }), { count: 1, totalMs: 20, longestMs: 20 });
  assert.equal(stateTotals(run, { state: "blocked", worker: "t1" }), { count: 0, totalMs: 0, longestMs: 0 });
});

test("takes a Run (anything with toJSON) as well as its data", () => {
  assert.is(stateTotals({ toJSON: () => run }, { state: "running" }).totalMs, 100);
});

test("bad input is named", () => {
  assert.throws(
    () => stateTotals(null as never, { state: "running" }),
    (e: Error) => e instanceof CourseInputError && /finished Run/.test(e.message),
  );
  assert.throws(() => stateTotals(run, {} as never), /needs a state/);
});

test.run();
