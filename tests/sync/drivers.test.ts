// Every blocking call and its async twin go through the same drivers (src/sync/drive.ts):
// they must tell the observer the same story. Each primitive's sync and async forms
// are run against the same situation and their observer events compared: a wait that
// times out (one thread), and a wait another thread ends (a worker acts once the
// parent's observer has seen the parent block, so the events do not depend on timing).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Barrier, BoundedQueue, Condition, Event, Mutex, Semaphore, WaitGroup, setSyncObserver, type SharedObject, type SyncObserver } from "../../src/sync";
import { closeAllSegments } from "../../src/shm";
import { threads } from "./fixtures/spawn";

const KINDS = ["thread", "process"] as const;
type Sharing = (typeof KINDS)[number];

/** Records what the observer hears; `onBlock` runs at each waitStart. */
function recorder(onBlock: () => void = () => {}): { log: string[]; obs: SyncObserver } {
  const log: string[] = [];
  const obs: SyncObserver = {
    waitStart: (p) => {
      log.push(`waitStart ${p.kind}`);
      onBlock();
    },
    waitEnd: (p, at, o) => log.push(`waitEnd ${p.kind} ${o}${typeof at === "number" && at > 0 ? "" : " (no time)"}`),
    acquired: (p, at) => log.push(`acquired ${p.kind}${at === undefined ? "" : " after wait"}`),
    released: (p) => log.push(`released ${p.kind}`),
    event: (p, name) => log.push(`event ${p.kind} ${name}`),
  };
  return { log, obs };
}

/** The outcome of a call as text: its value or its error's name. */
async function settle(call: () => unknown): Promise<string> {
  try {
    return `returned ${JSON.stringify(await call())}`;
  } catch (e) {
    return `raised ${(e as Error).name}`;
  }
}

async function observed(call: () => unknown, onBlock?: () => void): Promise<string[]> {
  const { log, obs } = recorder(onBlock);
  setSyncObserver(obs);
  try {
    log.push(await settle(call));
  } finally {
    setSyncObserver(null);
  }
  return log;
}

/**
 * The events about `p` itself and the call's outcome; holds end with the caller's
 * unlock, and a condition's lock may or may not be contended when it is re-taken.
 */
function own(log: string[], p: SharedObject): string[] {
  return log.filter((l) => /^(returned|raised)/.test(l) || ((l.endsWith(` ${p.ref.kind}`) || l.includes(` ${p.ref.kind} `)) && !l.startsWith("released")));
}

/** A blocked situation for one primitive: the call that blocks, in its sync and async forms. */
interface Case {
  name: string;
  make(shared: Sharing): SharedObject;
  /** The blocking method and its arguments before the timeout: `p.method(...args, t)`, its twin `p.methodAsync(...args, t)`. */
  call: [method: string, ...args: unknown[]];
  /** What the other thread does to end the wait (a method of the primitive; "notify" takes the lock around it). */
  act: string;
  /** The events expected when the other thread ends the wait. */
  woken: string[];
}

const full = (shared: Sharing): BoundedQueue => {
  const q = new BoundedQueue(1, { shared });
  q.put(1);
  return q;
};

const row = (name: string, make: Case["make"], call: Case["call"], act: string, woken: string[]): Case => ({ name, make, call, act, woken });

// name, the primitive, its blocking call, what the other thread does, the events expected then.
const CASES: Case[] = [
  row("Mutex.lock", (shared) => new Mutex({ shared }), ["lock"], "unlock", [
    "waitStart mutex",
    "waitEnd mutex acquired",
    "acquired mutex after wait",
    "returned true",
  ]),
  row("Semaphore.acquire", (shared) => new Semaphore(0, { shared }), ["acquire"], "release", [
    "waitStart semaphore",
    "waitEnd semaphore acquired",
    "acquired semaphore after wait",
    "returned true",
  ]),
  row("Event.wait", (shared) => new Event({ shared }), ["wait"], "set", ["waitStart event", "waitEnd event woken", "returned true"]),
  row("WaitGroup.wait", (shared) => new WaitGroup(1, { shared }), ["wait"], "done", ["waitStart waitgroup", "waitEnd waitgroup woken", "returned true"]),
  row("Barrier.wait", (shared) => new Barrier(2, { shared }), ["wait"], "wait", ["waitStart barrier", "waitEnd barrier woken", "returned 0"]),
  row("Condition.wait", (shared) => new Condition(undefined, { shared }), ["wait"], "notify", [
    "waitStart condition",
    "waitEnd condition woken",
    "returned true",
  ]),
  row("BoundedQueue.put", full, ["put", 2], "get", ["waitStart queue", "event queue put", "waitEnd queue woken", "returned undefined"]),
  row("BoundedQueue.get", (shared) => new BoundedQueue(1, { shared }), ["get"], "close", ["waitStart queue", "waitEnd queue closed", "returned undefined"]),
  row("BoundedQueue.put (closed while waiting)", full, ["put", 2], "close", ["waitStart queue", "waitEnd queue closed", "raised ClosedError"]),
];

/** Makes a case's call in one form; a condition is waited on with its lock held, as its wait requires. */
async function callCase(c: Case, p: SharedObject, form: "sync" | "async", timeoutMs: number): Promise<unknown> {
  const [method, ...args] = c.call;
  const blocking = p as unknown as Record<string, (...a: unknown[]) => unknown>;
  const cond = p instanceof Condition ? p : null;
  cond?.acquire();
  try {
    return await blocking[form === "sync" ? method : `${method}Async`]!(...args, timeoutMs);
  } finally {
    cond?.release();
  }
}

for (const shared of KINDS) {
  test(`[${shared}] a wait that times out: the sync and async forms report the same`, async () => {
    for (const c of CASES) {
      // The mutex is held by this thread: with a timeout, lock() waits it out.
      const prepare = (p: SharedObject) => (c.act === "unlock" ? (p as Mutex).lock() : undefined);
      const a = c.make(shared);
      prepare(a);
      const sync = await observed(() => callCase(c, a, "sync", 5));
      const b = c.make(shared);
      prepare(b);
      const async = await observed(() => callCase(c, b, "async", 5));
      assert.equal(async, sync, `${c.name}: async form`);
      const mine = own(sync, a);
      assert.equal(mine[0], `waitStart ${a.ref.kind}`, `${c.name}: a wait was reported`);
      assert.equal(mine[1], `waitEnd ${a.ref.kind} timed-out`, `${c.name}: ended by the timeout`);
    }
    const cond = new Condition(undefined, { shared });
    cond.acquire();
    const sync = await observed(() => cond.waitFor(() => false, 5));
    const async = await observed(() => cond.waitForAsync(() => false, 5));
    cond.release();
    assert.equal(own(async, cond), own(sync, cond), "Condition.waitFor: async form");
    assert.ok(sync.includes("waitEnd condition timed-out"), sync.join(", "));
    closeAllSegments();
  });

  test(`[${shared}] a wait another thread ends: the sync and async forms report the same`, async () => {
    for (const c of CASES) {
      for (const form of ["sync", "async"] as const) {
        const p = c.make(shared);
        const ctl = new Int32Array(new SharedArrayBuffer(8));
        const other = threads(1, "endWait", { ctl, p, act: c.act });
        // The worker is ready (holding the mutex, for Mutex.lock) before we block.
        while (Atomics.load(ctl, 0) === 0) await new Promise((r) => setTimeout(r, 1));
        const blocked = () => {
          Atomics.store(ctl, 1, 1);
          Atomics.notify(ctl, 1);
        };
        const log = await observed(() => callCase(c, p, form, 20000), blocked);
        const [done] = await other;
        assert.is(done, c.act, `${c.name} (${form}): the other thread acted`);
        assert.equal(own(log, p), c.woken, `${c.name} (${form})`);
      }
    }
    closeAllSegments();
  });
}

test.run();
