// Chapter 1's job: counting the primes below a limit by trial division, split so that
// every worker gets the same mix of work.
//
// The numbers are cut into blocks of `block` consecutive numbers. Each block holds odd
// and even numbers of about the same size, so the blocks cost about the same. The
// workers either take the next block nobody has taken from a shared counter (what the
// notebook does: a worker on a faster or less busy core takes more blocks), or have the
// blocks dealt like cards: worker `id` of `n` takes blocks id, id + n, id + 2n, …
// (Dealing single numbers instead, 2 + id, 2 + id + n, …, gives an even-id worker of an
// even n only even numbers, each rejected at once: the other worker does nearly all the
// work.)
//
// A designed serial part: with `serialShare` s, blocks are set aside evenly (block i is
// serial when ⌊(i+1)·s⌋ > ⌊i·s⌋) and counted on one thread alone before the workers
// start; the workers share the remaining blocks. The serial blocks are spread over the
// whole range, so they are the stated share of the work, not only of the numbers.
import { threads } from "../spawn/api";
import { atomicsWaiter } from "../sync/waiter";
import { CourseInputError, checkInt } from "./errors";

export interface PrimeJob {
  /** Count the primes below this. */
  limit: number;
  /** Consecutive numbers per block (default 1000). */
  block?: number;
  /** Share of the blocks counted alone, before the workers (0 ≤ s < 1, default 0). */
  serialShare?: number;
}

/** What one worker (or the serial part) did: its primes, how many numbers it tested, how many divisions that took, and how long it was busy. */
export interface PrimeShare {
  primes: number;
  /** Numbers tested for primality. */
  tests: number;
  /** Trial divisions made: the work, in units that do not depend on the machine. */
  divisions: number;
  /** Time spent testing, ms (excludes starting the worker). */
  busyMs: number;
  /** When the testing began, ms since the epoch (performance.timeOrigin + now(): comparable across threads). */
  startedAt: number;
}

/** The default block: small enough for a fair deal, large enough to hold every residue many times. */
export const PRIME_BLOCK = 1000;

/** Checks a job and fills in the defaults (CourseInputError on bad input). */
export function primeJob(job: PrimeJob): Required<PrimeJob> {
  if (job === null || typeof job !== "object") throw new CourseInputError("the prime job must be an object such as { limit: 4_000_000 }");
  const limit = checkInt("limit", job.limit, 3, 2 ** 31 - 1);
  const block = checkInt("block", job.block ?? Math.min(PRIME_BLOCK, limit), 1, limit);
  const s = job.serialShare ?? 0;
  if (typeof s !== "number" || !(s >= 0 && s < 1))
    throw new CourseInputError(
      `serialShare must be a number from 0 up to (not including) 1, got ${JSON.stringify(s)}; e.g. 0.2 for a fifth of the work counted alone`,
    );
  return { limit, block, serialShare: s };
}

/** Whether block `i` belongs to the serial part (spread evenly: ⌊(i+1)·s⌋ > ⌊i·s⌋). */
export function isSerialBlock(i: number, serialShare: number): boolean {
  return Math.floor((i + 1) * serialShare) > Math.floor(i * serialShare);
}

/** The blocks worker `id` of `n` counts (serial blocks excluded), as [from, to) ranges; for `id` = -1, the serial part's blocks. */
export function primeBlocks(id: number, n: number, job: PrimeJob): [number, number][] {
  const { limit, block, serialShare } = primeJob(job);
  checkInt("n", n, 1, 1024);
  checkInt("id", id, -1, n - 1);
  const out: [number, number][] = [];
  for (let i = 0, dealt = 0; 2 + i * block < limit; i++) {
    const range: [number, number] = [2 + i * block, Math.min(limit, 2 + (i + 1) * block)];
    if (isSerialBlock(i, serialShare)) {
      if (id === -1) out.push(range);
    } else if (dealt++ % n === id) out.push(range);
  }
  return out;
}

/**
 * Counts the primes in worker `id`'s blocks (id = -1: the serial part's). Runs in a
 * worker as shipped source, so it is self-contained: no helpers, no imports.
 * Blocks its thread until done; returns its PrimeShare. Without `next` it counts the
 * blocks dealt to it like cards (primeBlocks); with `next` (blockCounter()), each
 * worker takes the next block nobody has taken from that shared counter, until none
 * is left, so a worker on a faster or less busy core takes more. With a `gate`, it first
 * counts itself ready in gate[1] and blocks until gate[0] is no longer 0 (see
 * countWithSerialPart); busyMs starts after.
 */
export function countPrimeShare({
  id,
  n,
  limit,
  block = 1000,
  serialShare = 0,
  gate,
  next,
}: {
  id: number;
  n: number;
  limit: number;
  block?: number;
  serialShare?: number;
  gate?: Int32Array;
  next?: Int32Array;
}): PrimeShare {
  if (gate) {
    Atomics.add(gate, 1, 1);
    Atomics.notify(gate, 1);
    Atomics.wait(gate, 0, 0);
  }
  const started = performance.now();
  const startedAt = performance.timeOrigin + started;
  let primes = 0,
    tests = 0,
    divisions = 0;
  const shared = next !== undefined && id !== -1; // take blocks from the shared counter
  const blocks = Math.ceil((limit - 2) / block);
  for (let i = shared ? Atomics.add(next!, 0, 1) : 0, dealt = 0; i < blocks; i = shared ? Atomics.add(next!, 0, 1) : i + 1) {
    const serial = Math.floor((i + 1) * serialShare) > Math.floor(i * serialShare);
    if (serial !== (id === -1)) continue; // serial blocks are the serial part's, the others the workers'
    if (!shared && id !== -1 && dealt++ % n !== id) continue; // dealt like cards: every n-th of the workers' blocks
    const end = Math.min(limit, 2 + (i + 1) * block);
    for (let k = 2 + i * block; k < end; k++) {
      tests++;
      let prime = true;
      for (let d = 2; d * d <= k; d++) {
        divisions++;
        if (k % d === 0) {
          prime = false;
          break;
        }
      }
      if (prime) primes++;
    }
  }
  return { primes, tests, divisions, busyMs: performance.now() - started, startedAt };
}

/** A counter the workers of one run share, to take the next block from (countPrimeShare's `next`): one per run. */
export function blockCounter(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** The serial part of a job, counted on the calling thread (blocks it). */
export function countSerialPart(job: PrimeJob): PrimeShare {
  const j = primeJob(job);
  return countPrimeShare({ id: -1, n: 1, ...j });
}

/** A run with a serial part: the serial part's share, each worker's, and the time from the serial part's start to the end. */
export interface SerialPartRun {
  serial: PrimeShare;
  shares: PrimeShare[];
  /** From the start of the serial part (every worker ready) to the end of the last share, ms: starting the workers is not in it. */
  ms: number;
}

/**
 * Counts a job with a serial part: starts `workers` threads and waits until every one
 * is ready at a gate, then counts the serial blocks on the calling thread (blocking
 * it) while they wait, then opens the gate and the threads share the rest, each taking
 * the next block from a shared counter. `ms` runs
 * from the serial part's start to the end: what Amdahl's law is about, the work, with
 * starting the threads left out (as in a program that starts its threads once, before
 * it reads its input). Rejects as threads.run does; the gate opens whatever happens,
 * so no thread is left waiting.
 */
export async function countWithSerialPart(workers: number, job: PrimeJob): Promise<SerialPartRun> {
  const checked = primeJob(job);
  const gate = new Int32Array(new SharedArrayBuffer(8)); // [0] open, [1] threads ready
  const running = threads.run(workers, countPrimeShare, { ...checked, gate, next: blockCounter() });
  let serial: PrimeShare;
  let started: number;
  try {
    await Promise.race([allReady(gate, workers), running]); // a thread that fails to start rejects here
    started = performance.now();
    serial = countSerialPart(checked);
  } finally {
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
  }
  const shares = (await running).results;
  return { serial, shares, ms: performance.now() - started };
}

/** Resolves once gate[1] reaches n (the threads count themselves there). */
async function allReady(gate: Int32Array, n: number): Promise<void> {
  for (let seen = Atomics.load(gate, 1); seen < n; seen = Atomics.load(gate, 1)) await atomicsWaiter.waitAsync(gate, 1, seen);
}

/** Sums shares (the whole job's count when given every worker's share and the serial part); startedAt is the earliest. */
export function sumShares(shares: PrimeShare[]): PrimeShare {
  return shares.reduce(
    (a, b) => ({
      primes: a.primes + b.primes,
      tests: a.tests + b.tests,
      divisions: a.divisions + b.divisions,
      busyMs: a.busyMs + b.busyMs,
      startedAt: Math.min(a.startedAt, b.startedAt),
    }),
    { primes: 0, tests: 0, divisions: 0, busyMs: 0, startedAt: Infinity },
  );
}
