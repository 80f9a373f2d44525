// The two-method waiter every primitive blocks through: wait on a 32-bit word
// while it holds an expected value, and wake waiters on that word.
//  - thread memory (SharedArrayBuffer): Atomics.wait / Atomics.notify;
//  - process memory (named shm): the addon's shared futex (Atomics.wait neither
//    accepts the addon's ArrayBuffer nor sees other processes' waiters);
//  - no futex (macOS, addon without it): spin, then back off with short sleeps.
// Async twins: Atomics.waitAsync for thread memory, polling with backoff otherwise.
import { addon } from "../shm/native";

export type WaitResult = "ok" | "not-equal" | "timed-out";

/** A wake count that wakes every waiter (the largest count a futex takes). */
export const WAKE_ALL = 0x7fffffff;

export interface Waiter {
  /** Blocks while i32[index] === expected, at most timeoutMs (undefined or Infinity: forever). May return "ok" spuriously. */
  wait(i32: Int32Array, index: number, expected: number, timeoutMs?: number): WaitResult;
  /** Wakes up to `count` waiters on i32[index] (WAKE_ALL: all); returns how many were woken (0 if unknown). */
  wake(i32: Int32Array, index: number, count: number): number;
  /** Promise form of wait, for the main thread. */
  waitAsync(i32: Int32Array, index: number, expected: number, timeoutMs?: number): Promise<WaitResult>;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls i32[index] with growing sleeps (0.25 → 8 ms): the async form for memory Atomics.waitAsync cannot watch. */
async function pollAsync(i32: Int32Array, index: number, expected: number, timeoutMs?: number): Promise<WaitResult> {
  if (Atomics.load(i32, index) !== expected) return "not-equal";
  const end = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
  let pause = 0.25;
  for (;;) {
    const left = end - performance.now();
    if (left <= 0) return "timed-out";
    await delay(Math.min(pause, left));
    if (Atomics.load(i32, index) !== expected) return "ok";
    pause = Math.min(pause * 2, 8);
  }
}

// Atomics.waitAsync is in Node 20 but only in TypeScript's ES2024 lib; typed here
// so the declarations stay readable by older compilers (tslab's TypeScript 5.0).
type WaitAsync = (
  i32: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export const atomicsWaiter: Waiter = {
  wait(i32, index, expected, timeoutMs) {
    return Atomics.wait(i32, index, expected, timeoutMs ?? Infinity);
  },
  wake(i32, index, count) {
    return Atomics.notify(i32, index, count);
  },
  async waitAsync(i32, index, expected, timeoutMs) {
    const r = waitAsync(i32, index, expected, timeoutMs ?? Infinity);
    if (!r.async) return r.value;
    // A pending Atomics.waitAsync does not keep Node's event loop alive: hold it
    // open with a timer until the wait settles, as a blocking wait would.
    const keep = setInterval(() => {}, 1 << 30);
    try {
      return await r.value;
    } finally {
      clearInterval(keep);
    }
  },
};

const FUTEX_RESULT: WaitResult[] = ["ok", "not-equal", "timed-out"];

function futexWaiter(shm: NonNullable<ReturnType<typeof addon>>): Waiter {
  return {
    wait(i32, index, expected, timeoutMs) {
      return FUTEX_RESULT[shm.futexWait(i32, index, expected, timeoutMs === undefined || timeoutMs === Infinity ? -1 : timeoutMs)];
    },
    wake(i32, index, count) {
      return shm.futexWake(i32, index, Math.min(count, WAKE_ALL));
    },
    waitAsync: pollAsync,
  };
}

let noticed = false;
/** Spin briefly, then sleep 0.05 → 2 ms between looks: correct, slower, no wake-up needed. */
export const spinWaiter: Waiter = {
  wait(i32, index, expected, timeoutMs) {
    if (!noticed) {
      noticed = true;
      process.emitWarning("interleave: no shared futex here; processes block by polling (correct but slower).", "InterleaveNotice");
    }
    const end = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
    for (let k = 0; k < 200; k++) if (Atomics.load(i32, index) !== expected) return "not-equal";
    let pause = 0.05;
    for (;;) {
      const left = end - performance.now();
      if (left <= 0) return "timed-out";
      sleepMs(Math.min(pause, left));
      if (Atomics.load(i32, index) !== expected) return "ok";
      pause = Math.min(pause * 2, 2);
    }
  },
  wake() {
    return 0;
  },
  waitAsync: pollAsync,
};

let processWaiterCache: Waiter | undefined;
/** The waiter for memory shared between processes. */
export function processWaiter(): Waiter {
  if (!processWaiterCache) {
    const shm = addon();
    processWaiterCache = shm?.hasFutex ? futexWaiter(shm) : spinWaiter;
  }
  return processWaiterCache;
}
