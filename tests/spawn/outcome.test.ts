// What a run records as it ends (src/spawn/outcome.ts), without starting a worker:
// how an exit is read, and how the trace is assembled from events and records.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { WorkerFailedError } from "../../src/spawn/errors";
import { assembleTrace, exitCause, lifecycleSpans, stoppedWhileBlocked, unreportedExit } from "../../src/spawn/outcome";
import type { PrimitiveRef, TraceEvent, WorkerRecord } from "../../src/trace/types";

const worker = { label: "p3", id: 3 };
const lock: PrimitiveRef = { kind: "mutex", id: "m1", label: "red" };

test("exitCause: the error that ended it, else the signal, else the exit code", () => {
  assert.is(exitCause({ code: 1, signal: null, error: "RangeError: out of memory" }), "stopped: RangeError: out of memory");
  assert.is(exitCause({ code: null, signal: "SIGKILL" }), "was killed by signal SIGKILL");
  assert.is(exitCause({ code: 3, signal: null }), "exited with code 3");
});

test("unreportedExit: a worker that exits before reporting failed, named by its label and kind", () => {
  const err = unreportedExit(worker, "process", { code: 7, signal: null }, false, false);
  assert.instance(err, WorkerFailedError);
  assert.is(err!.message, "[p3] process exited with code 7 before returning a result");
  assert.is(err!.worker, "p3");
  assert.is(err!.workerId, 3);
  assert.is(err!.exitCode, 7);
  assert.is(err!.signal, null);
  const killed = unreportedExit({ label: "t0", id: 0 }, "thread", { code: null, signal: "SIGTERM" }, false, false);
  assert.is(killed!.message, "[t0] thread was killed by signal SIGTERM before returning a result");
});

test("unreportedExit: no error of its own once the worker reported, or once the run had failed", () => {
  assert.is(unreportedExit(worker, "process", { code: 0, signal: null }, true, false), null);
  assert.is(unreportedExit(worker, "process", { code: null, signal: "SIGTERM" }, false, true), null);
});

test("stoppedWhileBlocked: closes the last wait seen, at the worker's end; nothing when it was not blocked", () => {
  assert.equal(stoppedWhileBlocked("t1", { label: "t1", waitingOn: lock, since: 100, holds: [] }, 250), {
    type: "span",
    worker: "t1",
    state: "blocked",
    start: 100,
    end: 250,
    prim: lock,
    outcome: "stopped",
  });
  assert.is(stoppedWhileBlocked("t1", { label: "t1", waitingOn: null, since: 0, holds: [] }, 250), null);
  assert.is(stoppedWhileBlocked("t1", undefined, 250), null);
});

test("lifecycleSpans: spawning until ready, running until the end; never ready means spawning throughout", () => {
  const ready: WorkerRecord = { id: 0, label: "t0", kind: "thread", spawnedAt: 10, readyAt: 15, endedAt: 40 };
  const stillRunning: WorkerRecord = { id: 1, label: "t1", kind: "thread", spawnedAt: 11, readyAt: 16 };
  const neverReady: WorkerRecord = { id: 2, label: "t2", kind: "thread", spawnedAt: 12 };
  // A worker whose end was stamped before its ready message (clocks of two threads): a running span of zero.
  const skewed: WorkerRecord = { id: 3, label: "t3", kind: "thread", spawnedAt: 12, readyAt: 20, endedAt: 19 };
  assert.equal(lifecycleSpans([ready, stillRunning, neverReady, skewed], 50), [
    { type: "span", worker: "t0", state: "spawning", start: 10, end: 15 },
    { type: "span", worker: "t0", state: "running", start: 15, end: 40 },
    { type: "span", worker: "t1", state: "spawning", start: 11, end: 16 },
    { type: "span", worker: "t1", state: "running", start: 16, end: 50 },
    { type: "span", worker: "t2", state: "spawning", start: 12, end: 50 },
    { type: "span", worker: "t3", state: "spawning", start: 12, end: 20 },
    { type: "span", worker: "t3", state: "running", start: 20, end: 20 },
  ]);
});

test("assembleTrace: worker events and lifecycle spans in time order; ties keep events first", () => {
  const events: TraceEvent[] = [
    { type: "instant", worker: "t0", name: "phase", at: 30 },
    { type: "span", worker: "t0", state: "blocked", start: 15, end: 20, prim: lock, outcome: "acquired" },
    { type: "counter", name: "depth", at: 12, value: 1 },
  ];
  const workers: WorkerRecord[] = [{ id: 0, label: "t0", kind: "thread", spawnedAt: 10, readyAt: 15, endedAt: 40 }];
  const trace = assembleTrace(events, workers, 50);
  assert.equal(
    trace.map((e) => (e.type === "span" ? `${e.state}@${e.start}` : `${e.type}@${e.at}`)),
    ["spawning@10", "counter@12", "blocked@15", "running@15", "instant@30"],
  );
  assert.is(events.length, 3, "the events given are left as they were");
});

test.run();
