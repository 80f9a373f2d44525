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

/** A blocked situation for one primitive: the sync and async forms of the call that blocks. */
interface Case {
  name: string;
  make(shared: Sharing): SharedObject;
  sync(p: SharedObject, timeoutMs: number): unknown;
  async(p: SharedObject, timeoutMs: number): Promise<unknown>;
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

const CASES: Case[] = [
  {
    name: "Mutex.lock",
    make: (shared) => new Mutex({ shared }),
    sync: (m, t) => (m as Mutex).lock(t),
    async: (m, t) => (m as Mutex).lockAsync(t),
    act: "unlock",
    woken: ["waitStart mutex", "waitEnd mutex acquired", "acquired mutex after wait", "returned true"],
  },
  {
    name: "Semaphore.acquire",
    make: (shared) => new Semaphore(0, { shared }),
    sync: (s, t) => (s as Semaphore).acquire(t),
    async: (s, t) => (s as Semaphore).acquireAsync(t),
    act: "release",
    woken: ["waitStart semaphore", "waitEnd semaphore acquired", "acquired semaphore after wait", "returned true"],
  },
  {
    name: "Event.wait",
    make: (shared) => new Event({ shared }),
    sync: (e, t) => (e as Event).wait(t),
    async: (e, t) => (e as Event).waitAsync(t),
    act: "set",
    woken: ["waitStart event", "waitEnd event woken", "returned true"],
  },
  {
    name: "WaitGroup.wait",
    make: (shared) => new WaitGroup(1, { shared }),
    sync: (g, t) => (g as WaitGroup).wait(t),
    async: (g, t) => (g as WaitGroup).waitAsync(t),
    act: "done",
    woken: ["waitStart waitgroup", "waitEnd waitgroup woken", "returned true"],
  },
  {
    name: "Barrier.wait",
    make: (shared) => new Barrier(2, { shared }),
    sync: (b, t) => (b as Barrier).wait(t),
    async: (b, t) => (b as Barrier).waitAsync(t),
    act: "wait",
    woken: ["waitStart barrier", "waitEnd barrier woken", "returned 0"],
  },
  {
    name: "Condition.wait",
    make: (shared) => new Condition(undefined, { shared }),
    sync: (c, t) => {
      const cond = c as Condition;
      cond.acquire();
      try {
        return cond.wait(t);
      } finally {
        cond.release();
      }
    },
    async: async (c, t) => {
      const cond = c as Condition;
      cond.acquire();
      try {
        return await cond.waitAsync(t);
      } finally {
        cond.release();
      }
    },
    act: "notify",
    woken: ["waitStart condition", "waitEnd condition woken", "returned true"],
  },
  {
    name: "BoundedQueue.put",
    make: full,
    sync: (q, t) => (q as BoundedQueue).put(2, t),
    async: (q, t) => (q as BoundedQueue).putAsync(2, t),
    act: "get",
    woken: ["waitStart queue", "event queue put", "waitEnd queue woken", "returned undefined"],
  },
  {
    name: "BoundedQueue.get",
    make: (shared) => new BoundedQueue(1, { shared }),
    sync: (q, t) => (q as BoundedQueue).get(t),
    async: (q, t) => (q as BoundedQueue).getAsync(t),
    act: "close",
    woken: ["waitStart queue", "waitEnd queue closed", "returned undefined"],
  },
  {
    name: "BoundedQueue.put (closed while waiting)",
    make: full,
    sync: (q, t) => (q as BoundedQueue).put(2, t),
    async: (q, t) => (q as BoundedQueue).putAsync(2, t),
    act: "close",
    woken: ["waitStart queue", "waitEnd queue closed", "raised ClosedError"],
  },
];

for (const shared of KINDS) {
  test(`[${shared}] a wait that times out: the sync and async forms report the same`, async () => {
    for (const c of CASES) {
      // The mutex is held by this thread: with a timeout, lock() waits it out.
      const prepare = (p: SharedObject) => (c.act === "unlock" ? (p as Mutex).lock() : undefined);
      const a = c.make(shared);
      prepare(a);
      const sync = await observed(() => c.sync(a, 5));
      const b = c.make(shared);
      prepare(b);
      const async = await observed(() => c.async(b, 5));
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
        const log = await observed(() => (form === "sync" ? c.sync(p, 20000) : c.async(p, 20000)), blocked);
        const [done] = await other;
        assert.is(done, c.act, `${c.name} (${form}): the other thread acted`);
        assert.equal(own(log, p), c.woken, `${c.name} (${form})`);
      }
    }
    closeAllSegments();
  });
}

test.run();
