// Contracts of each primitive in one process: what blocks, what a timeout
// returns, what raises. Both memories: thread (SharedArrayBuffer) and process (shm).
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  Barrier,
  BoundedQueue,
  BoundedSemaphore,
  BrokenBarrierError,
  ClosedError,
  Condition,
  Event,
  Mutex,
  NotOwnerError,
  Semaphore,
  TimeoutError,
  WaitGroup,
  pipe,
  Channel,
  sharedArray,
  sharedValue,
} from "../../src/sync";
import { closeAllSegments, openSegments } from "../../src/shm";

const KINDS = ["thread", "process"] as const;

function elapsed(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

for (const shared of KINDS) {
  test(`[${shared}] Mutex: lock, tryLock, timeout, owner, misuse`, () => {
    const m = new Mutex({ shared, label: "m" });
    assert.is(m.locked(), false);
    assert.is(m.owner(), 0);
    assert.ok(m.lock());
    assert.ok(m.locked());
    assert.ok(m.owner() !== 0);
    assert.is(m.tryLock(), false);
    const ms = elapsed(() => assert.is(m.lock(30), false, "timeout returns false"));
    assert.ok(ms >= 25, `waited ${ms} ms`);
    assert.throws(() => m.lock(), /not reentrant/);
    m.unlock();
    assert.throws(
      () => m.unlock(),
      (e: Error) => e instanceof NotOwnerError && /not locked/.test(e.message),
    );
    assert.ok(m.tryLock());
    m.unlock();
    assert.is(
      m.withLock(() => 7),
      7,
    );
    assert.throws(() => m.lock(-1), /timeout must be a number/);
    assert.throws(() => new Mutex({ shared: "gpu" as never }), /shared must be "thread" or "process"/);
  });

  test(`[${shared}] Condition: wait timeout returns false, waitFor returns predicate, notify needs the lock`, () => {
    const c = new Condition(undefined, { shared });
    assert.throws(
      () => c.wait(1),
      (e: unknown) => e instanceof NotOwnerError,
    );
    assert.throws(
      () => c.notify(),
      (e: unknown) => e instanceof NotOwnerError,
    );
    c.acquire();
    assert.is(c.wait(20), false);
    assert.ok(c.lock.heldByMe(), "re-acquired after the wait");
    assert.is(
      c.waitFor(() => 0, 20),
      0,
    );
    assert.is(
      c.waitFor(() => "yes", 20),
      "yes",
    );
    c.notify();
    c.notifyAll();
    c.release();
    assert.throws(() => new Condition("x" as never), /lock must be a Mutex/);
  });

  test(`[${shared}] Semaphore and BoundedSemaphore`, () => {
    const s = new Semaphore(2, { shared });
    assert.ok(s.acquire());
    assert.ok(s.acquire());
    assert.is(s.acquire(20), false);
    assert.is(s.acquire(0), false);
    s.release(2);
    assert.is(s.value, 2);
    assert.throws(
      () => new Semaphore(-1),
      (e: unknown) => e instanceof RangeError,
    );
    assert.throws(
      () => s.release(0),
      (e: unknown) => e instanceof RangeError,
    );
    const b = new BoundedSemaphore(1, { shared });
    assert.throws(
      () => b.release(),
      (e: Error) => e instanceof RangeError && /exceed its initial value 1/.test(e.message),
    );
    assert.ok(b.acquire());
    b.release();
  });

  test(`[${shared}] Event and WaitGroup`, () => {
    const e = new Event({ shared });
    assert.is(e.wait(10), false);
    e.set();
    assert.ok(e.isSet());
    assert.ok(e.wait());
    e.clear();
    assert.is(e.isSet(), false);
    const wg = new WaitGroup(0, { shared });
    assert.ok(wg.wait());
    wg.add(2);
    assert.is(wg.wait(10), false);
    wg.done();
    wg.done();
    assert.ok(wg.wait(10));
    assert.throws(
      () => wg.done(),
      (x: Error) => x instanceof RangeError && /below zero/.test(x.message),
    );
    assert.is(wg.count, 0, "unchanged after the failed done");
    assert.throws(
      () => wg.add(1.5),
      (e: unknown) => e instanceof TypeError,
    );
    assert.throws(
      () => new WaitGroup(-2),
      (e: unknown) => e instanceof RangeError,
    );
  });

  test(`[${shared}] Barrier: index, timeout breaks it, abort, reset`, () => {
    const one = new Barrier(1, { shared });
    assert.is(one.wait(), 0);
    assert.is(one.wait(), 0);
    const b = new Barrier(2, { shared });
    assert.throws(
      () => b.wait(20),
      (e: unknown) => e instanceof BrokenBarrierError && /timed out after 20 ms/.test(e.message),
    );
    assert.ok(b.broken);
    assert.throws(
      () => b.wait(20),
      (e: unknown) => e instanceof BrokenBarrierError,
      "stays broken",
    );
    b.reset();
    assert.is(b.broken, false);
    assert.is(b.nWaiting, 0);
    b.abort();
    assert.throws(
      () => b.wait(),
      (e: unknown) => e instanceof BrokenBarrierError,
    );
    b.reset();
    assert.is(b.parties, 2);
    assert.throws(
      () => new Barrier(0),
      (e: unknown) => e instanceof RangeError,
    );
    assert.throws(
      () => new Barrier(1.5),
      (e: unknown) => e instanceof RangeError,
    );
  });

  test(`[${shared}] BoundedQueue: FIFO, full/empty timeouts, close, item checks`, () => {
    const q = new BoundedQueue(2, { shared, item: "int32" });
    q.put(1);
    q.put(2);
    assert.throws(
      () => q.put(3, 10),
      (e: unknown) => e instanceof TimeoutError,
    );
    assert.is(q.size, 2);
    assert.is(q.get(), 1);
    q.put(3);
    assert.is(q.get(), 2);
    assert.is(q.get(), 3);
    assert.throws(
      () => q.get(10),
      (e: unknown) => e instanceof TimeoutError,
    );
    assert.throws(
      () => q.put(1.5),
      (e: unknown) => e instanceof RangeError,
    );
    assert.throws(
      () => q.put("x" as never),
      (e: unknown) => e instanceof TypeError,
    );
    q.put(9);
    q.close();
    assert.throws(
      () => q.put(1),
      (e: unknown) => e instanceof ClosedError,
    );
    assert.is(q.get(), 9, "drains after close");
    assert.is(q.get(), undefined, "then undefined");
    const f = new BoundedQueue(4, { shared });
    f.put(0.25);
    assert.is(f.get(), 0.25);
    const r = new BoundedQueue(2, { shared, item: "bytes", recordBytes: 4 });
    r.put(new Uint8Array([1, 2, 3]));
    assert.equal(Array.from(r.get()!), [1, 2, 3]);
    assert.throws(() => r.put(new Uint8Array(5)), /exceeds recordBytes 4/);
    assert.throws(
      () => new BoundedQueue(0),
      (e: unknown) => e instanceof RangeError,
    );
    assert.throws(
      () => new BoundedQueue(2, { item: "string" as never }),
      (e: unknown) => e instanceof TypeError,
    );
    assert.throws(() => new BoundedQueue(1e9), /too large/);
  });

  test(`[${shared}] Channel and pipe`, () => {
    const ch = new Channel({ shared, capacity: 2, maxMessageBytes: 64 });
    ch.send({ a: 1 });
    ch.send([1, "two"]);
    assert.throws(
      () => ch.send(3, 10),
      (e: unknown) => e instanceof TimeoutError,
    );
    assert.equal(ch.recv(), { a: 1 });
    assert.equal(ch.recv(), [1, "two"]);
    assert.throws(() => ch.send("x".repeat(100)), /over maxMessageBytes 64/);
    // Strings travel as they are (no JSON): every text comes back unchanged, including
    // ones that look like JSON, are empty, or begin with the tag character itself.
    for (const text of ["", '"quoted"', '{"a":1}', "\u0001tagged", "é\n€ 🙂", "null"]) {
      ch.send(text);
      assert.is(ch.recv(), text);
    }
    // A string message costs its UTF-8 bytes plus one: 63 characters fit in 64 bytes, 64 do not.
    ch.send("y".repeat(63));
    assert.is(ch.recv(), "y".repeat(63));
    assert.throws(() => ch.send("y".repeat(64)), /over maxMessageBytes 64/);
    assert.throws(
      () => ch.send(undefined),
      (e: unknown) => e instanceof TypeError,
    );
    ch.close();
    assert.is(ch.recv(), undefined);
    const [a, b] = pipe({ shared });
    a.send("ping");
    assert.is(b.recv(), "ping");
    b.send("pong");
    assert.is(a.recv(), "pong");
  });

  test(`[${shared}] sharedArray / sharedValue`, () => {
    const a = sharedArray("int32", [1, 2, 3], { shared });
    assert.is(a.length, 3);
    assert.is(a.add(1, 5), 7);
    assert.equal(a.toArray(), [1, 7, 3]);
    assert.ok(a.lock instanceof Mutex);
    const v = sharedValue("float64", 1.5, { shared });
    v.value = 2.5;
    assert.is(v.add(1), 3.5);
    const nolock = sharedArray("float64", 2, { shared, lock: false });
    assert.is(nolock.lock, undefined);
    assert.throws(() => nolock.add(0, 1), /no atomic add/);
    assert.throws(() => sharedArray("int8" as never, 2), /type must be "int32" or "float64"/);
    assert.throws(
      () => sharedArray("int32", -1),
      (e: unknown) => e instanceof RangeError,
    );
    assert.throws(() => sharedArray("int32", 1e12), /too large/);
  });
}

test("async twins resolve without blocking the event loop", async () => {
  for (const shared of KINDS) {
    const m = new Mutex({ shared });
    m.lock();
    let ticked = false;
    setTimeout(() => {
      ticked = true;
      m.unlock();
    }, 20);
    assert.ok(await m.lockAsync(2000));
    assert.ok(ticked);
    m.unlock();
    assert.is(await new Event({ shared }).waitAsync(10), false);
    const q = new BoundedQueue(1, { shared });
    setTimeout(() => q.put(5), 10);
    assert.is(await q.getAsync(2000), 5);
    const s = new Semaphore(0, { shared });
    setTimeout(() => s.release(), 10);
    assert.ok(await s.acquireAsync(2000));
    const b = new Barrier(2, { shared });
    try {
      await b.waitAsync(10);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, BrokenBarrierError);
    }
    const c = new Condition(undefined, { shared });
    await c.lock.lockAsync();
    setTimeout(() => {
      c.acquire();
      c.notify();
      c.release();
    }, 10);
    // The timer runs on this thread: it can only take the lock while we wait (unlocked).
    assert.ok(await c.waitAsync(2000));
    c.release();
  }
});

test("spin fallback waiter: not-equal, timed-out, and sees a change made elsewhere", async () => {
  const { spinWaiter } = await import("../../src/sync/waiter");
  const i32 = new Int32Array(new SharedArrayBuffer(8));
  const warn = process.emitWarning;
  process.emitWarning = () => {}; // the one-time notice is expected here
  try {
    assert.is(spinWaiter.wait(i32, 0, 1), "not-equal");
    assert.is(spinWaiter.wait(i32, 0, 0, 5), "timed-out");
    setTimeout(() => Atomics.store(i32, 1, 1), 10);
    assert.is(await spinWaiter.waitAsync(i32, 1, 0, 2000), "ok");
  } finally {
    process.emitWarning = warn;
  }
});

test("process segments are listed and removed", () => {
  assert.ok(openSegments().length > 0);
  closeAllSegments();
  assert.is(openSegments().length, 0);
});

test.run();
