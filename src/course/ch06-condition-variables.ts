// Chapter 6 on real threads and processes: stingy and spendy with a condition
// variable (spendy waits until it can afford to spend), a WaitGroup built from a
// Condition, the file search with a wait group instead of joins, and a wait group
// shared by three child processes.
import { processes, threads } from "../spawn/api";
import type { Run } from "../spawn/run";
import { Condition } from "../sync/condition";
import { WaitGroup } from "../sync/waitgroup";
import { now, type RunData, type SpanEvent } from "../trace/types";
import { CONDITION } from "./bank";
import { newSharedLog, readSharedLog, type SharedLog } from "./ch05-joins";
import { CourseInputError, checkInt } from "./errors";
import { searchStats } from "./search";

// ---------------------------------------------------------------- stingy and spendy

export interface CondBankArgs {
  id: number;
  /** [0] balance, [1] lowest balance spendy saw, [2] the start gate (workers arrived). */
  state: Int32Array;
  cond: Condition;
  earnTimes: number;
  spendTimes: number;
  /** false: spendy spends whether or not the money is there (under the lock, so no update is lost). */
  useCondition: boolean;
  /** Spendy records the balance after every `sampleEvery`-th spend. */
  sampleEvery: number;
  /** Stingy's busy work before each deposit, µs (default 0): earning takes time, spendy runs out. */
  earnWorkUs?: number;
}

/**
 * Runs inside a worker (shipped as source). Worker 0 is stingy: adds CONDITION.earn
 * `earnTimes` times, notifying after each deposit. Worker 1 is spendy: takes
 * CONDITION.spend `spendTimes` times; with `useCondition` it first waits (releasing
 * the lock) until the balance covers it. Both change the balance only under the lock.
 * Spendy returns the sampled balances after its spends; stingy returns [].
 */
export function condBankWorker({ id, state, cond, earnTimes, spendTimes, useCondition, sampleEvery, earnWorkUs = 0 }: CondBankArgs): number[] {
  const samples: number[] = [];
  // Start gate (as in chapter 4): both begin together, so that they really interleave.
  if (Atomics.add(state, 2, 1) + 1 === 2) Atomics.notify(state, 2);
  else while (Atomics.load(state, 2) < 2) Atomics.wait(state, 2, Atomics.load(state, 2), 50);
  if (id === 0) {
    for (let i = 0; i < earnTimes; i++) {
      if (earnWorkUs > 0) {
        const paid = performance.now() + earnWorkUs / 1000;
        while (performance.now() < paid); // earning takes time
      }
      cond.acquire();
      state[0] += 10;
      cond.notify(); // wake spendy if it is waiting for money
      cond.release();
    }
  } else {
    for (let i = 0; i < spendTimes; i++) {
      cond.acquire();
      if (useCondition) while (state[0] < 20) cond.wait(); // releases the lock while asleep
      state[0] -= 20;
      if (state[0] < state[1]) state[1] = state[0];
      if (i % sampleEvery === 0) samples.push(state[0]);
      cond.release();
    }
  }
  return samples;
}

export interface CondBankResult {
  final: number;
  lowest: number;
  samples: number[];
  run: Run<number[]>;
}

/**
 * Stingy and spendy with a condition variable (or, with useCondition false, with the
 * lock only). Final balance is always CONDITION.start; the lowest balance is never
 * negative with the condition, usually negative without.
 */
export async function conditionBank(
  opts: { earnTimes?: number; spendTimes?: number; useCondition?: boolean; sampleEvery?: number; earnWorkUs?: number; trace?: boolean } = {},
): Promise<CondBankResult> {
  const earnTimes = checkInt("earnTimes", opts.earnTimes ?? CONDITION.earnTimes, 2, 100_000_000);
  const spendTimes = checkInt("spendTimes", opts.spendTimes ?? Math.floor(earnTimes / 2), 1, 100_000_000);
  if (earnTimes * CONDITION.earn !== spendTimes * CONDITION.spend) {
    throw new CourseInputError(
      `earnTimes × ${CONDITION.earn} must equal spendTimes × ${CONDITION.spend} so the books balance; got ${earnTimes} and ${spendTimes} (use spendTimes = earnTimes / 2)`,
    );
  }
  const sampleEvery = checkInt("sampleEvery", opts.sampleEvery ?? Math.max(1, Math.floor(spendTimes / 1000)), 1, 100_000_000);
  const earnWorkUs = checkInt("earnWorkUs", opts.earnWorkUs ?? 0, 0, 1_000_000);
  const state = new Int32Array(new SharedArrayBuffer(12));
  state[0] = state[1] = CONDITION.start;
  const cond = new Condition(undefined, { label: "balance changed" });
  const run = await threads.run(
    2,
    condBankWorker,
    { state, cond, earnTimes, spendTimes, useCondition: opts.useCondition ?? true, sampleEvery, earnWorkUs },
    { trace: opts.trace ?? false },
  );
  return { final: state[0], lowest: state[1], samples: run.results[1], run };
}

/**
 * Groups values into about `bins` bins of a round width (1, 2 or 5 × a power of ten)
 * for an outcome histogram: each value becomes the start of its bin, so a negative
 * balance stays in a negative bin.
 */
export function binValues(values: readonly number[], bins = 15): number[] {
  checkInt("bins", bins, 1, 1000);
  if (values.length === 0) return [];
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const raw = Math.max(1, (hi - lo) / bins),
    mag = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 5, 10].map((m) => m * mag).find((w) => w >= raw)!;
  return values.map((v) => Math.floor(v / width) * width);
}

// ---------------------------------------------------------------- a WaitGroup from a Condition

/** What a CondWaitGroup is made of: plain shareable data (send it to workers, then `CondWaitGroup.from`). */
export interface CondWaitGroupState {
  cond: Condition;
  count: Int32Array;
}

/**
 * A wait group built from a Condition and one shared counter, as the course builds it.
 * - `add(n)`: counter += n under the lock; below zero raises RangeError (unchanged).
 * - `done()`: add(-1); reaching zero wakes every waiter (notifyAll).
 * - `wait()`: blocks while the counter is above zero; `waitAsync()` on the main thread.
 */
export class CondWaitGroup {
  readonly state: CondWaitGroupState;

  constructor(state?: CondWaitGroupState) {
    this.state = state ?? { cond: new Condition(undefined, { label: "wait group" }), count: new Int32Array(new SharedArrayBuffer(4)) };
  }

  /** Rebuilds one in a worker from the state it was sent. */
  static from(state: CondWaitGroupState): CondWaitGroup {
    if (!state || !(state.cond instanceof Condition) || !(state.count instanceof Int32Array)) {
      throw new TypeError("CondWaitGroup.from: state must be a wait group's .state ({ cond, count }) sent to this worker");
    }
    return new CondWaitGroup(state);
  }

  add(n = 1): void {
    if (!Number.isInteger(n)) throw new TypeError(`CondWaitGroup.add: n must be an integer, got ${String(n)}`);
    const { cond, count } = this.state;
    cond.acquire();
    try {
      if (count[0] + n < 0) throw new RangeError(`CondWaitGroup.add: counter would go below zero (${count[0] + n}); call done() once per add()`);
      count[0] += n;
      if (count[0] === 0) cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  done(): void {
    this.add(-1);
  }

  wait(): void {
    const { cond, count } = this.state;
    cond.acquire();
    try {
      while (count[0] > 0) cond.wait();
    } finally {
      cond.release();
    }
  }

  async waitAsync(): Promise<void> {
    const { cond, count } = this.state;
    await cond.lock.lockAsync();
    try {
      while (count[0] > 0) await cond.waitAsync();
    } finally {
      cond.release();
    }
  }

  get count(): number {
    return Atomics.load(this.state.count, 0);
  }
}

// ---------------------------------------------------------------- file search with a wait group

export interface WgSearchArgs {
  dir: string;
  name: string;
  log: SharedLog;
  wg: WaitGroup;
}

/**
 * One directory's thread (shipped as source). Lists `dir`, logs matches under the
 * log's mutex, and for each subdirectory does wg.add(1) and starts a thread — it
 * joins nobody. Then wg.done() for its own directory and wg.wait(): in Node a
 * thread's own child threads end with it, so every thread stays until the whole
 * search is done. Returns the number of subdirectories it handed out.
 */
export function wgSearchWorker({ dir, name, log, wg }: WgSearchArgs): number {
  const fs = require("node:fs");
  const path = require("node:path");
  const { threads } = require("kernel-helpers");
  let entries: { name: string; isDirectory(): boolean }[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    entries = [];
  }
  const found: string[] = [];
  let handed = 0;
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.name === name) found.push(full);
    if (e.isDirectory()) {
      wg.add(1); // before the thread starts, so the count can never reach zero early
      threads.spawn(wgSearchWorker, { dir: full, name, log, wg });
      handed++;
    }
  }
  require("kernel-helpers").appendSharedLog(log, found);
  wg.done();
  wg.wait();
  return handed;
}

/**
 * The file search with a wait group: the caller waits (asynchronously) until every
 * directory has been searched, not for particular threads. Same answer as
 * searchSequential. Refuses trees with more than maxThreads directories; after timeoutMs
 * without finishing, stops every thread and raises CourseInputError.
 */
export async function searchWaitGroup(
  root: string,
  name: string,
  maxThreads = 64,
  timeoutMs = 120_000,
): Promise<{ matches: string[]; threads: number; ms: number }> {
  checkInt("maxThreads", maxThreads, 1, 256);
  checkInt("timeoutMs", timeoutMs, 1, 3_600_000);
  const { dirs } = searchStats(root, name);
  if (dirs > maxThreads)
    throw new CourseInputError(
      `root ${JSON.stringify(root)} has ${dirs} directories, more than maxThreads (${maxThreads}); pick a smaller tree or raise maxThreads`,
    );
  const log = newSharedLog();
  const wg = new WaitGroup(1, { label: "directories left" });
  const t0 = now();
  const top = threads.spawn(wgSearchWorker, { dir: root, name, log, wg });
  const rootEnded = top.join();
  rootEnded.catch(() => undefined); // observed below
  // A failing thread never calls done(): bound the wait, then stopping the root ends the whole tree.
  const allDone = await Promise.race([wg.waitAsync(timeoutMs), rootEnded.then(() => true)]);
  if (!allDone) {
    await top.stop();
    throw new CourseInputError(
      `searchWaitGroup: the search of ${JSON.stringify(root)} did not finish within ${timeoutMs} ms (${wg.count} directories left); its threads were stopped`,
    );
  }
  await rootEnded; // the root returns once everyone passed wg.wait(); rethrows its error if it failed
  return { matches: readSharedLog(log).sort(), threads: dirs, ms: now() - t0 };
}

// ---------------------------------------------------------------- a wait group across processes

/**
 * Three (or more) child processes sleep `sleepsMs[i]` each, then call done() on one
 * WaitGroup in shared memory; the parent waits on it (without blocking its thread).
 * Returns when the parent woke, and a RunData with one lane per process plus "main"
 * blocked on the wait group. Every process has exited and the segment is unlinked when
 * it settles; a child that fails rejects it (WorkerFailedError) instead of hanging.
 */
export async function processWaitGroup(sleepsMs: number[] = [2000, 5000, 7000]): Promise<{ wokeAfterMs: number; run: RunData }> {
  if (!Array.isArray(sleepsMs) || sleepsMs.length === 0 || sleepsMs.length > 16) {
    throw new CourseInputError(`sleepsMs must be an array of 1 to 16 durations in ms, got ${JSON.stringify(sleepsMs)}`);
  }
  sleepsMs.forEach((ms, i) => {
    checkInt(`sleepsMs[${i}]`, ms, 0, 600_000);
  });
  const wg = new WaitGroup(sleepsMs.length, { shared: "process", label: "sleepers" });
  const t0 = now();
  const handles = sleepsMs.map((ms) =>
    processes.spawn(
      ({ wg, ms }: { wg: WaitGroup; ms: number }) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); // "work": sleep
        wg.done();
        return ms;
      },
      { wg, ms },
    ),
  );
  let woke = t0;
  const exited = Promise.all(handles.map((h) => h.run));
  exited.catch(() => undefined); // observed below
  try {
    // A child that dies before done() would leave the count above zero: stop waiting when one fails.
    await Promise.race([wg.waitAsync(), exited]);
    woke = now();
    await exited; // rethrows a child's failure
  } finally {
    await Promise.all(handles.filter((h) => !h.done).map((h) => h.stop()));
    wg.dispose(); // unlink the shared-memory segment now (the children have exited)
  }
  const runs = await exited;
  const workers = runs.flatMap((r) => r.toJSON().workers);
  const trace = runs.flatMap((r) => r.toJSON().trace);
  const waitSpan: SpanEvent = {
    type: "span",
    worker: "main",
    state: "blocked",
    start: t0,
    end: woke,
    prim: { kind: "waitgroup", id: wg.id, label: "sleepers" },
    outcome: "woken",
  };
  workers.unshift({ id: -1, label: "main", kind: "main", spawnedAt: t0, readyAt: t0, endedAt: woke });
  return {
    wokeAfterMs: woke - t0,
    run: { kind: "processes", n: sleepsMs.length, startedAt: t0, endedAt: Math.max(woke, ...runs.map((r) => r.endedAt)), workers, trace: [...trace, waitSpan] },
  };
}
