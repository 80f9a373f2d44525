// Chapter 4 on real threads: "stingy and spendy" race on one shared balance, and the
// Mutex that fixes it. Two worker threads run bankWorker on one SharedArrayBuffer;
// the functions here start them, repeat the race, and time each way of guarding it.
import { threads } from "../spawn/api";
import type { Run } from "../spawn/run";
import { Mutex } from "../sync/mutex";
import { RACE } from "./bank";
import { CourseInputError, checkInt } from "./errors";

/** How each update of the balance is guarded: not at all (the race), a Mutex, or Atomics.add. */
export type BankGuard = "none" | "mutex" | "atomic";
export const BANK_GUARDS: readonly BankGuard[] = ["none", "mutex", "atomic"];

export interface BankWorkerArgs {
  id: number;
  n: number;
  /** [0] the balance, [1] the start gate (how many workers have arrived). */
  shared: Int32Array;
  times: number;
  amount: number;
  guard: BankGuard;
  lock: Mutex | null;
}

/**
 * Runs inside a worker (shipped as source: it uses only its argument). Even ids are
 * stingy (+amount), odd ids spendy (−amount), `times` updates each. All workers first
 * meet at a gate so that their loops really overlap (starting a thread takes longer
 * than a million additions). Returns the ms its loop took.
 */
export function bankWorker({ id, n, shared, times, amount, guard, lock }: BankWorkerArgs): number {
  const delta = id % 2 === 0 ? amount : -amount;
  if (Atomics.add(shared, 1, 1) + 1 === n) Atomics.notify(shared, 1);
  else while (Atomics.load(shared, 1) < n) Atomics.wait(shared, 1, Atomics.load(shared, 1), 50);
  const t0 = performance.now();
  if (guard === "mutex" && lock) {
    for (let i = 0; i < times; i++) {
      lock.lock();
      shared[0] = shared[0] + delta; // the same unsafe read-modify-write, now alone
      lock.unlock();
    }
  } else if (guard === "atomic") {
    for (let i = 0; i < times; i++) Atomics.add(shared, 0, delta);
  } else {
    for (let i = 0; i < times; i++) shared[0] = shared[0] + delta; // load, add, store: the race window
  }
  return performance.now() - t0;
}

export interface BankOptions {
  /** Updates per worker (default 1,000,000 as in the course). */
  times?: number;
  guard?: BankGuard;
  /** Workers: half stingy, half spendy (default 2; must be even so the books balance). */
  workers?: number;
  /** Record the trace (every lock/unlock as a span). Default false: a million spans cost more than the work. */
  trace?: boolean;
}

export interface BankResult {
  /** The balance after every worker finished; RACE.start when no update was lost. */
  final: number;
  expected: number;
  guard: BankGuard;
  times: number;
  /** Wall time of the slowest worker's loop, ms (thread start-up excluded). */
  loopMs: number;
  run: Run<number>;
}

function checkBank(opts: BankOptions): Required<BankOptions> {
  if (opts === null || typeof opts !== "object") throw new CourseInputError('options must be an object such as { times: 1000000, guard: "mutex" }');
  const guard = opts.guard ?? "none";
  if (!BANK_GUARDS.includes(guard)) throw new CourseInputError(`guard must be one of ${BANK_GUARDS.join(", ")}, got ${JSON.stringify(guard)}`);
  const workers = checkInt("workers", opts.workers ?? 2, 2, 64);
  if (workers % 2) throw new CourseInputError(`workers must be even (half stingy, half spendy), got ${workers}`);
  return { times: checkInt("times", opts.times ?? RACE.times, 1, 100_000_000), guard, workers, trace: opts.trace ?? false };
}

/**
 * One round of stingy and spendy on worker threads. Resolves when both have ended
 * (never blocks the calling thread). With guard "none" the final balance is usually
 * wrong; with "mutex" or "atomic" it is always RACE.start.
 */
export async function stingySpendy(opts: BankOptions = {}): Promise<BankResult> {
  const o = checkBank(opts);
  const shared = new Int32Array(new SharedArrayBuffer(8));
  shared[0] = RACE.start;
  const lock = o.guard === "mutex" ? new Mutex({ label: "balance" }) : null;
  const run = await threads.run(o.workers, bankWorker, { shared, times: o.times, amount: RACE.amount, guard: o.guard, lock }, { trace: o.trace });
  return { final: shared[0], expected: RACE.start, guard: o.guard, times: o.times, loopMs: Math.max(...run.results), run };
}

export interface RaceTally {
  /** Final balance of each round, in order. */
  finals: number[];
  /** Rounds whose final balance was wrong. */
  wrong: number;
  /** 1-based round of the first wrong balance, or null if every round was right. */
  firstWrong: number | null;
}

/**
 * Repeats stingySpendy `rounds` times (sequentially) and tallies the final balances.
 * With `untilWrong`, stops after the first wrong balance (or after `rounds`).
 */
export async function raceRounds(rounds: number, opts: BankOptions & { untilWrong?: boolean } = {}): Promise<RaceTally> {
  checkInt("rounds", rounds, 1, 100_000);
  const finals: number[] = [];
  let firstWrong: number | null = null;
  for (let r = 1; r <= rounds; r++) {
    const { final } = await stingySpendy(opts);
    finals.push(final);
    if (final !== RACE.start && firstWrong === null) {
      firstWrong = r;
      if (opts.untilWrong) break;
    }
  }
  return { finals, wrong: finals.filter((f) => f !== RACE.start).length, firstWrong };
}

export interface GuardCost {
  /** Median over the rounds of the slowest worker's loop, ms (thread start-up excluded). */
  ms: number;
  /** Each round's end balance (RACE.start when no update was lost). */
  ends: number[];
}

/**
 * The price of each guard: `rounds` rounds (default 3) of stingy and spendy with
 * `times` updates each, per guard in `guards` (default none, atomic, mutex).
 */
export async function guardCosts(times: number, rounds = 3, guards: readonly BankGuard[] = ["none", "atomic", "mutex"]): Promise<Record<BankGuard, GuardCost>> {
  checkInt("rounds", rounds, 1, 100);
  const out = {} as Record<BankGuard, GuardCost>;
  for (const guard of guards) {
    if (!BANK_GUARDS.includes(guard)) throw new CourseInputError(`guards must be among ${BANK_GUARDS.join(", ")}, got ${JSON.stringify(guard)}`);
    const runs: BankResult[] = [];
    for (let r = 0; r < rounds; r++) runs.push(await stingySpendy({ guard, times }));
    const sorted = runs.map((r) => r.loopMs).sort((a, b) => a - b);
    out[guard] = { ms: sorted[sorted.length >> 1], ends: runs.map((r) => r.final) };
  }
  return out;
}
