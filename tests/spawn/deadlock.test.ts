// The deadlock watchdog: opposite lock order is caught with its cycle; slow is not deadlocked.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { threads, processes, DeadlockError } from "../../src/spawn/index";
import { detectDeadlock, findCycle, type LiveWorker } from "../../src/spawn/deadlock";
import { Mutex, Barrier } from "../../src/sync/index";
import { threadCount } from "./helpers";

// Red robot takes red then blue; blue robot takes blue then red. The barrier makes
// sure each holds its first lock before reaching for the second: a certain deadlock.
function robots({ id, red, blue, both }: { id: number; red: Mutex; blue: Mutex; both: Barrier }) {
  const [first, second] = id === 0 ? [red, blue] : [blue, red];
  first.lock();
  both.wait();
  second.lock();
  second.unlock();
  first.unlock();
}

test("warm-up: the first shipping loads the TypeScript parser", async () => {
  await threads.run(1, () => 0);
});

test("red and blue robots: DeadlockError within 2 s with a two-node cycle", async () => {
  const red = new Mutex({ label: "red" });
  const blue = new Mutex({ label: "blue" });
  const both = new Barrier(2);
  const t = Date.now();
  const err = await threads.run(2, robots, { red, blue, both }).then(
    () => null,
    (e) => e,
  );
  const took = Date.now() - t;
  assert.instance(err, DeadlockError);
  assert.ok(took < 2000, `took ${took} ms`);
  const g = (err as DeadlockError).graph;
  assert.is(g.cycle.length, 4, JSON.stringify(g));
  assert.equal(new Set(g.cycle.filter((_, i) => i % 2 === 0)), new Set(["t0", "t1"]));
  assert.equal(g.holds.map((h) => `${h.worker}:${h.prim.label}`).sort(), ["t0:red", "t1:blue"]);
  assert.equal(g.waits.map((w) => `${w.worker}:${w.prim.label}`).sort(), ["t0:blue", "t1:red"]);
  assert.match(err.message, /t0 holds 'red' and waits for 'blue'/);
  assert.match(err.message, /t1 holds 'blue' and waits for 'red'/);
  // The blocked spans up to the stop are in the trace that comes with the error.
  const blocked = (err.run.trace as { state?: string; worker: string }[]).filter((e) => e.state === "blocked");
  assert.ok(blocked.some((e) => e.worker === "t0") && blocked.some((e) => e.worker === "t1"));
});

test("the kernel stays usable: the next run works", async () => {
  const run = await threads.run(2, ({ id }) => id + 1);
  assert.equal(run.results, [1, 2]);
});

test("every worker blocked past deadlockAfter (no cycle) is reported", async () => {
  const b = new Barrier(3, { label: "meeting" });
  const t = Date.now();
  const err = await threads.run(2, ({ b }) => b.wait(), { b }, { deadlockAfter: 300 }).catch((e) => e);
  assert.instance(err, DeadlockError);
  assert.match(err.message, /every live worker is blocked/);
  assert.match(err.message, /waits for 'meeting'/);
  assert.ok(Date.now() - t < 2000);
});

test("a slow run with heavy lock traffic is not reported", async () => {
  const lock = new Mutex({ label: "busy" });
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const run = await threads.run(
    3,
    ({ lock, counter }) => {
      const end = Date.now() + 1500;
      while (Date.now() < end) {
        lock.lock();
        const t = Date.now();
        while (Date.now() - t < 2) {} // hold it a while: the others really block
        counter[0]!++;
        lock.unlock();
      }
      return counter[0];
    },
    { lock, counter },
    { deadlockAfter: 300 },
  );
  assert.is(run.results.length, 3);
});

test("processes: robots with process-shared locks deadlock too", async () => {
  const red = new Mutex({ label: "red", shared: "process" });
  const blue = new Mutex({ label: "blue", shared: "process" });
  const both = new Barrier(2, { shared: "process" });
  const t = Date.now();
  const err = await processes.run(2, robots, { red, blue, both }).then(
    () => null,
    (e) => e,
  );
  assert.instance(err, DeadlockError);
  assert.ok(Date.now() - t < 3000, `took ${Date.now() - t}`);
  assert.equal(new Set(err.graph.cycle.filter((_: string, i: number) => i % 2 === 0)), new Set(["p0", "p1"]));
});

test("pure rules: cycles need owned primitives; running workers break 'all blocked'", () => {
  const m = (id: string) => ({ kind: "mutex" as const, id, label: id });
  const live: LiveWorker[] = [
    { label: "t0", waitingOn: m("b"), since: 0, holds: [m("a")] },
    { label: "t1", waitingOn: m("a"), since: 0, holds: [m("b")] },
  ];
  assert.equal(findCycle(live, 1000, 100), ["t0", "b", "t1", "a"]);
  assert.equal(findCycle(live, 50, 100), []); // too young
  assert.ok(detectDeadlock(live, 1000, 1000));
  const slow: LiveWorker[] = [
    { label: "t0", waitingOn: null, since: 0, holds: [m("a")] },
    { label: "t1", waitingOn: m("a"), since: 0, holds: [] },
  ];
  assert.is(detectDeadlock(slow, 10_000, 1000), null);
  assert.is(detectDeadlock(live, 10_000, Infinity), null);
});

test("nothing left behind", async () => {
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(threadCount() < 20);
});

test.run();
