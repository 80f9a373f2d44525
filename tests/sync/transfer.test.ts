// Primitives crossing to real workers and child processes, and the errors of
// sending thread memory where it cannot go.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  Barrier,
  Channel,
  Event,
  Condition,
  Mutex,
  Semaphore,
  encodeShared,
  pipe,
  reviveShared,
  sharedArray,
  sharedValue,
  ownerToken,
  decodeOwnerToken,
} from "../../src/sync";
import { closeAllSegments } from "../../src/shm";
import { processes, threads } from "./fixtures/spawn";

test("encodeShared/reviveShared round-trip in one thread gives the same classes over the same memory", () => {
  const m = new Mutex({ label: "L" });
  const arr = sharedArray("int32", 3);
  const c = new Condition(m);
  const enc = encodeShared({ m, list: [arr, 5, "x"], nested: { c }, plain: new Date(0) }, "thread") as Record<string, unknown>;
  assert.is((enc.list as unknown[])[1], 5);
  assert.instance(enc.plain, Date, "non-plain objects untouched");
  const back = reviveShared(structuredClone(enc)) as { m: Mutex; list: [typeof arr]; nested: { c: Condition } };
  assert.instance(back.m, Mutex);
  assert.is(back.m.id, m.id);
  assert.is(back.m.label, "L");
  m.lock();
  assert.ok(back.m.locked(), "same memory");
  m.unlock();
  back.list[0].values[2] = 9;
  assert.is(arr.values[2], 9);
  assert.instance(back.nested.c, Condition);
  assert.is(back.nested.c.lock.id, m.id, "a given lock travels with its condition");
});

test("thread memory sent to a process is a clear TypeError", () => {
  const m = new Mutex({ label: "counter lock" });
  assert.throws(
    () => encodeShared({ deep: [m] }, "process"),
    (e: unknown) => e instanceof TypeError && /was created for threads/.test(e.message) && /shared: "process"/.test(e.message),
  );
  assert.throws(() => encodeShared(1, "gpu" as never), /target must be "thread" or "process"/);
});

test("process memory descriptors are JSON-safe and revive in this process too", () => {
  const s = new Semaphore(3, { shared: "process" });
  const json = JSON.parse(JSON.stringify(encodeShared({ s }, "process")));
  const back = reviveShared(json) as { s: Semaphore };
  assert.ok(back.s.acquire(0));
  assert.is(s.value, 2);
  s.dispose();
  assert.throws(() => reviveShared(json), /no shared-memory segment named/);
});

test("unlock by a non-owner raises in the other thread and the other process", async () => {
  const m = new Mutex();
  m.lock();
  const [r] = (await threads(1, "unlockForeign", { m })) as string[];
  assert.match(r, /NotOwnerError: .*held by another thread/);
  const [owner] = (await threads(1, "ownerOf", { m })) as number[];
  assert.is(owner, ownerToken());
  assert.is(decodeOwnerToken(owner).pid, process.pid & 0x3fff);
  m.unlock();
  const pm = new Mutex({ shared: "process" });
  pm.lock();
  const [pr] = (await processes(1, "unlockForeign", { m: pm })) as string[];
  assert.match(pr, /NotOwnerError/);
  pm.unlock();
});

test("process memory reaches worker threads too (reopened by name)", async () => {
  const arr = sharedArray("int32", 1, { shared: "process" });
  const val = sharedValue("float64", 0, { shared: "process" });
  await threads(2, "adds", { arr, val, n: 1000 });
  assert.is(arr.values[0], 2000);
  assert.is(val.value, 1000);
});

test("a pipe between the main thread and a child process", async () => {
  const [mine, theirs] = pipe({ shared: "process" });
  const done = processes(1, "echo", { p: theirs });
  for (let i = 0; i < 20; i++) {
    await mine.sendAsync({ i });
    assert.equal(await mine.recvAsync(5000), { echo: { i } });
  }
  await mine.sendAsync(null);
  assert.equal(await done, [20]);
  const ch = new Channel();
  assert.instance(reviveShared(encodeShared(ch, "thread")), Channel);
});

test("barrier across processes", async () => {
  const b = new Barrier(3, { shared: "process" });
  const marks = sharedArray("int32", 3, { shared: "process" });
  const rs = (await processes(3, "barrier", { b, marks, gens: 200 })) as { early: number; zeros: number }[];
  assert.is(
    rs.reduce((s, r) => s + r.early, 0),
    0,
  );
  assert.is(
    rs.reduce((s, r) => s + r.zeros, 0),
    200,
    "exactly one index 0 per generation",
  );
});

test("barrier abort and reset wake a waiting worker with BrokenBarrierError; reset makes it usable", async () => {
  for (const how of ["abort", "reset"] as const) {
    const b = new Barrier(2);
    const ready = new Event();
    const w = threads(1, "barrierOnce", { b, ready });
    assert.ok(await ready.waitAsync(20000));
    while (b.nWaiting === 0) await new Promise((r) => setTimeout(r, 5));
    b[how]();
    assert.equal(await w, ["BrokenBarrierError"]);
    if (how === "abort") b.reset();
    assert.is(b.broken, false);
    const again = threads(1, "barrierOnce", { b, ready: new Event() });
    const mine = await b.waitAsync(20000);
    const [theirs] = (await again) as string[];
    assert.equal([`index ${mine}`, theirs].sort(), ["index 0", "index 1"]);
  }
});

test.after(() => closeAllSegments());
test.run();
