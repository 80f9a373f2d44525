// The trace: recorded spans per worker, and the Chrome Trace Event JSON it saves.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threads, processes } from "../../src/spawn/index";
import { Mutex, Barrier } from "../../src/sync/index";
import type { ChromeEvent } from "../../src/trace/chrome";
import type { SpanEvent } from "../../src/trace/types";

function contended({ lock, b, counter }: { lock: Mutex; b: Barrier; counter: Int32Array }) {
  b.wait();
  for (let i = 0; i < 200; i++) {
    lock.lock();
    const t = Date.now();
    while (Date.now() - t < 1) {}
    counter[0]!++;
    lock.unlock();
  }
  return counter[0];
}

function checkChrome(file: string, labels: string[]): void {
  const json = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: ChromeEvent[] };
  const ev = json.traceEvents;
  const names = ev.filter((e) => e.ph === "M" && e.name === "thread_name");
  assert.equal(names.map((e) => e.args!.name).sort(), [...labels].sort(), "one track per worker");
  for (const track of names) {
    const mine = ev.filter((e) => e.tid === track.tid && e.ph === "X");
    assert.ok(mine.some((e) => e.name === "running"));
    // Timestamps never go back on a track.
    for (let i = 1; i < mine.length; i++) assert.ok(mine[i]!.ts >= mine[i - 1]!.ts, `ts goes back on ${track.args!.name}`);
    // Spans nest: each one ends before the span that contains it ends. ts and dur are
    // µs with 3 decimals, and ts + dur can exceed the next span's ts by a rounding error
    // (1 pair in ~350 for back-to-back spans): the same 0.001 µs of slack both ways.
    const stack: ChromeEvent[] = [];
    for (const e of mine) {
      while (stack.length && stack[stack.length - 1]!.ts + stack[stack.length - 1]!.dur! <= e.ts + 0.001) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) assert.ok(e.ts + e.dur! <= parent.ts + parent.dur! + 0.001, `${e.name} overlaps ${parent.name} on ${track.args!.name}`);
      stack.push(e);
    }
    // Holding spans are async begin/end pairs.
    const b = ev.filter((e) => e.tid === track.tid && e.ph === "b").length;
    const en = ev.filter((e) => e.tid === track.tid && e.ph === "e").length;
    assert.is(b, en);
  }
}

test("recorder: uncontended holds are timed up to the budget, then only holds after a wait", async () => {
  const { TraceRecorder, HOLD_TIMING_BUDGET } = await import("../../src/trace/recorder");
  const r = new TraceRecorder("t0");
  const prim = { kind: "mutex" as const, id: "m1", label: "m" };
  for (let i = 0; i < HOLD_TIMING_BUDGET + 500; i++) {
    r.acquired(prim);
    r.released(prim);
  }
  r.acquired(prim, 1); // after a wait: the time is known, always drawn
  r.released(prim);
  const { events } = r.take();
  const holds = events.filter((e) => e.type === "span" && e.state === "holding");
  assert.is(holds.length, HOLD_TIMING_BUDGET + 1);
  assert.ok(events.some((e) => e.type === "instant" && e.name === "uncontended-holds-untimed"));
  assert.is(r.uncontendedHolds(), 500);
  assert.equal(Object.keys(prim), ["kind", "id", "label"], "the ref's own keys are untouched");
  assert.equal(JSON.parse(JSON.stringify(prim)), { kind: "mutex", id: "m1", label: "m" });
});

test("threads: spans per worker, blocked and holding with the primitive, saved as Chrome JSON", async () => {
  const lock = new Mutex({ label: "the lock" });
  const b = new Barrier(3);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const run = await threads.run(3, contended, { lock, b, counter });
  const spans = run.trace.filter((e): e is SpanEvent => e.type === "span");
  for (const w of ["t0", "t1", "t2"]) {
    const mine = spans.filter((s) => s.worker === w);
    assert.is(mine.filter((s) => s.state === "spawning").length, 1);
    assert.is(mine.filter((s) => s.state === "running").length, 1);
    assert.is(mine.filter((s) => s.state === "holding" && s.prim?.label === "the lock").length, 200);
    const running = mine.find((s) => s.state === "running")!;
    for (const s of mine.filter((x) => x.state === "blocked" || x.state === "holding")) {
      assert.ok(s.start >= running.start - 0.01 && s.end <= running.end + 0.01, "inside running");
    }
  }
  assert.ok(
    spans.some((s) => s.state === "blocked" && s.prim?.kind === "mutex"),
    "someone blocked on the lock",
  );
  const file = join(mkdtempSync(join(tmpdir(), "trace-")), "run.json");
  assert.is(run.trace.save(file), file);
  checkChrome(file, ["t0", "t1", "t2"]);
  // JSON.stringify(run) gives plain RunData, trace included.
  const data = JSON.parse(JSON.stringify(run));
  assert.ok(Array.isArray(data.trace) && data.trace.length === run.trace.length);
});

test("processes share the clock: spans line up with the parent's run window", async () => {
  const lock = new Mutex({ label: "p-lock", shared: "process" });
  const b = new Barrier(2, { shared: "process" });
  const counter = new Int32Array(4); // not shared: each process counts its own
  const run = await processes.run(2, contended, { lock, b, counter });
  for (const e of run.trace) {
    if (e.type !== "span") continue;
    assert.ok(e.start >= run.startedAt - 5 && e.end <= run.endedAt + 5, `${e.worker} ${e.state} outside the run`);
  }
  const file = join(mkdtempSync(join(tmpdir(), "trace-")), "p.json");
  run.trace.save(file);
  checkChrome(file, ["p0", "p1"]);
});

test("trace: false records only the lifecycle spans", async () => {
  const lock = new Mutex();
  const run = await threads.run(
    2,
    ({ lock }) => {
      lock.lock();
      lock.unlock();
    },
    { lock },
    { trace: false },
  );
  assert.ok(run.trace.every((e) => e.type === "span" && (e.state === "spawning" || e.state === "running")));
});

test("save() names a bad path", () => {
  return threads
    .run(1, () => 1)
    .then((run) => {
      assert.throws(() => run.trace.save(""), /path must be a file name/);
    });
});

test.run();
