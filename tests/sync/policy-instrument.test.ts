// Main-thread policy and the instrumentation hook.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Barrier, BoundedQueue, Condition, Event, Mutex, Semaphore, WaitGroup, setMainThreadPolicy, setSyncObserver, type SyncObserver } from "../../src/sync";
import { reportUntimedHolds, untimedHoldsReported } from "../../src/sync/instrument";
import type { PrimitiveRef } from "../../src/trace/types";
import { threads } from "./fixtures/spawn";

test("refuse: blocking on the main thread without a timeout points to the async form", () => {
  setMainThreadPolicy("refuse");
  try {
    const m = new Mutex();
    assert.ok(m.lock(), "uncontended lock does not block, so it is allowed");
    const other = new Mutex();
    other.lock();
    // held by us, so lock() would deadlock: the reentrancy error comes first
    assert.throws(() => other.lock(), /not reentrant/);
    m.unlock();
    other.unlock();
    assert.throws(() => new Event().wait(), /await event\.waitAsync\(\)/);
    assert.is(new Event().wait(5), false, "with a timeout it works");
    assert.throws(() => new Semaphore(0).acquire(), /sem\.acquireAsync/);
    assert.throws(() => new WaitGroup(1).wait(), /wg\.waitAsync/);
    assert.throws(() => new Barrier(2).wait(), /barrier\.waitAsync/);
    assert.throws(() => new BoundedQueue(1).get(), /queue\.getAsync/);
    const c = new Condition();
    c.acquire();
    assert.throws(() => c.wait(), /cond\.waitAsync/);
    assert.is(c.wait(5), false);
    c.release();
    assert.throws(() => setMainThreadPolicy("never" as never), /"allow" or "refuse"/);
  } finally {
    setMainThreadPolicy("allow");
  }
});

test("refuse: a contended lock without timeout raises, with a timeout it waits", async () => {
  const m = new Mutex();
  const held = new Event();
  const release = new Event();
  const worker = threads(1, "holdLock", { m, held, release });
  assert.ok(await held.waitAsync(20000));
  setMainThreadPolicy("refuse");
  try {
    assert.throws(() => m.lock(), /mutex\.lockAsync\(\)/);
    assert.is(m.lock(20), false);
    release.set();
    assert.ok(m.lock(10000));
    m.unlock();
  } finally {
    setMainThreadPolicy("allow");
    release.set();
    await worker;
  }
});

test("observer: waitStart/waitEnd only when blocking; acquired/released; queue depth; barrier phase", async () => {
  const log: string[] = [];
  const obs: SyncObserver = {
    waitStart: (p: PrimitiveRef) => log.push(`waitStart ${p.kind}`),
    waitEnd: (p: PrimitiveRef, _t, o) => log.push(`waitEnd ${p.kind} ${o}`),
    acquired: (p: PrimitiveRef) => log.push(`acquired ${p.kind} ${p.label ?? ""}`.trim()),
    released: (p: PrimitiveRef) => log.push(`released ${p.kind} ${p.label ?? ""}`.trim()),
    event: (p: PrimitiveRef, name, _t, args) => log.push(`event ${p.kind} ${name} ${JSON.stringify(args ?? {})}`),
  };
  setSyncObserver(obs);
  try {
    const m = new Mutex({ label: "A" });
    m.lock();
    m.unlock();
    assert.equal(log, ["acquired mutex A", "released mutex A"], "fast path: no wait events");
    log.length = 0;
    m.lock();
    assert.is(m.lock(10), false);
    m.unlock();
    assert.equal(log, ["acquired mutex A", "waitStart mutex", "waitEnd mutex timed-out", "released mutex A"]);
    log.length = 0;
    const q = new BoundedQueue(2);
    q.put(1);
    q.get();
    assert.equal(log, ['event queue put {"depth":1}', 'event queue get {"depth":0}'], "internal queue lock is quiet");
    log.length = 0;
    new Barrier(1).wait();
    assert.equal(log, ['event barrier phase {"generation":0}']);
  } finally {
    setSyncObserver(null);
  }
});

test("observer: with untimed holds off, only holds after a wait are reported, each with its released", async () => {
  const log: string[] = [];
  const obs: SyncObserver = {
    waitStart: () => log.push("waitStart"),
    waitEnd: (_p, _t, o) => log.push(`waitEnd ${o}`),
    acquired: (_p, at) => log.push(at === undefined ? "acquired" : "acquired after wait"),
    released: () => log.push("released"),
  };
  setSyncObserver(obs);
  const m = new Mutex({ label: "B" });
  const held = new Event();
  const release = new Event();
  try {
    m.lock(); // reported: the switch is still on
    reportUntimedHolds(false);
    m.unlock(); // owed: its acquisition was reported
    m.lock();
    m.unlock();
    assert.ok(m.tryLock());
    m.unlock();
    const s = new Semaphore(1);
    s.acquire();
    assert.equal(log, ["acquired", "released"], "uncontended holds not reported once off");
    log.length = 0;
    const worker = threads(1, "holdLock", { m, held, release });
    assert.ok(await held.waitAsync(20000));
    log.length = 0; // the event wait's own report
    const got = m.lockAsync(20000); // finds it held (its synchronous part runs first): a hold after a wait
    release.set();
    assert.ok(await got);
    m.unlock();
    await worker;
    assert.equal(log, ["waitStart", "waitEnd acquired", "acquired after wait", "released"]);
    setSyncObserver(obs);
    assert.ok(untimedHoldsReported(), "installing an observer turns them back on");
  } finally {
    release.set();
    setSyncObserver(null);
  }
});

test.run();
