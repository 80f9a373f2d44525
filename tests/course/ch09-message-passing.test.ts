// Chapter 9: ping-pong over a pipe and a bounded producer/consumer queue, on threads and processes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { histogram, percentile, pingPong, producerConsumer, withQueueDepth } from "../../src/course/ch09-message-passing";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openSegments } from "../../src/shm/index";
import { ROOT } from "./helpers";

test("ping-pong between processes measures every round trip", async () => {
  const before = openSegments().length;
  const r = await pingPong({ kind: "processes", rounds: 100, warmup: 10 });
  assert.is(r.rttUs.length, 100);
  assert.ok(r.rttUs.every((x) => x > 0 && Number.isFinite(x)));
  assert.is(openSegments().length, before, "pipe segments released");
});

test("ping-pong between threads", async () => {
  const r = await pingPong({ kind: "threads", rounds: 50, warmup: 5 });
  assert.is(r.rttUs.length, 50);
});

for (const kind of ["threads", "processes"] as const) {
  test(`producer/consumer over a queue of 10 (${kind}): every item arrives once, the queue fills, the producer blocks`, async () => {
    const items = 120;
    const r = await producerConsumer({ kind, items, capacity: 10, consumeMs: 1 });
    assert.is(r.received, items);
    assert.is(r.sum, (items * (items - 1)) / 2);
    const depths = r.data.trace.filter((e) => e.type === "counter").map((e) => (e.type === "counter" ? e.value : 0));
    assert.ok(depths.length >= items, "a depth sample per put/get");
    assert.ok(Math.max(...depths) <= 10, "never above capacity");
    assert.is(Math.max(...depths), 10, "the fast producer fills the queue");
    assert.ok(r.producerBlockedMs > 0, "the producer blocked on the full queue");
    assert.ok(r.producerBlockedShare > 0 && r.producerBlockedShare <= 1, "a share of its life");
  });
}

test("the notebook's own produceConsume (chapter 9) runs through producerConsumer like the library's", async () => {
  const cells = JSON.parse(readFileSync(join(ROOT, "notebooks", "09-message-passing.ipynb"), "utf8")).cells as { source: string | string[] }[];
  const source = cells.map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).find((s) => s.startsWith("function produceConsume"));
  assert.ok(source, "a cell starting with function produceConsume");
  const fnText = source!.slice(0, source!.indexOf("\n}\n") + 2);
  const fn = new Function(`return (${fnText})`)();
  const mine = await producerConsumer({ kind: "threads", items: 50, capacity: 5, consumeMs: 0.1, fn });
  const lib = await producerConsumer({ kind: "threads", items: 50, capacity: 5, consumeMs: 0.1 });
  assert.equal([mine.received, mine.sum], [lib.received, lib.sum]);
  const e = await producerConsumer({ fn: 3 as never }).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e!.message, /fn must be a worker function/);
});

test("a payload travels with each ping", async () => {
  const r = await pingPong({ kind: "threads", rounds: 10, warmup: 1, payloadBytes: 10_000 });
  assert.is(r.rttUs.length, 10);
});

test("withQueueDepth turns queue events into counters", () => {
  const data = withQueueDepth({
    kind: "threads",
    n: 1,
    startedAt: 0,
    endedAt: 2,
    workers: [],
    trace: [{ type: "instant", worker: "t0", name: "put", at: 1, prim: { kind: "queue", id: "q", label: "jobs" }, args: { depth: 3 } }],
  });
  assert.equal(
    data.trace.filter((e) => e.type === "counter"),
    [{ type: "counter", name: "jobs", at: 1, value: 3, worker: "t0" }],
  );
});

test("histogram and percentile", () => {
  const h = histogram([1, 2, 2, 3, 10], 3);
  assert.is(
    h.reduce((s, b) => s + b.value, 0),
    5,
  );
  assert.is(h[0].value, 4);
  assert.is(percentile([5, 1, 3], 50), 3);
  assert.throws(() => histogram([]), /values must be a non-empty array/);
});

test("bad arguments are named", async () => {
  const e = await producerConsumer({ capacity: 0 }).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e!.message, /capacity must be an integer/);
  const e2 = await pingPong({ kind: "fibers" as never }).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e2!.message, /kind must be "threads" or "processes"/);
});

test.run();
