// Worker functions for the sync group, run by the library's own threads.run /
// processes.run given this module's path (the library bundles it). Each carries
// its own bare-Atomics baseline.
// Every one alternates baseline and candidate windows (ABAB…) inside one run,
// all workers meeting at `gate` (a library Barrier, untimed) between windows.

/** Data every contended-mutex worker gets. */
export interface MutexData {
  gate: any;
  m: any;
  bare: Int32Array | null;
  windows: number;
  ms: number;
  counter: Int32Array | null;
}

/**
 * Contended mutex: each window, lock/unlock in a tight loop for `ms`; windows
 * alternate bare (even) and library (odd) when `bare` is given, else all use
 * the library. Returns ops per window and the ops this worker did.
 */
export function contendedMutex({ gate, m, bare, windows, ms, counter }: MutexData & { id: number }) {
  // Drepper's futex mutex: 0 free, 1 held, 2 held with possible sleepers.
  const lockBare = (a: Int32Array) => {
    let c = Atomics.compareExchange(a, 0, 0, 1);
    if (c === 0) return;
    if (c !== 2) c = Atomics.exchange(a, 0, 2);
    while (c !== 0) {
      Atomics.wait(a, 0, 2);
      c = Atomics.exchange(a, 0, 2);
    }
  };
  const unlockBare = (a: Int32Array) => {
    if (Atomics.sub(a, 0, 1) !== 1) {
      Atomics.store(a, 0, 0);
      Atomics.notify(a, 0, 1);
    }
  };
  const ops: number[] = [];
  const took: number[] = [];
  for (let w = 0; w < windows; w++) {
    gate.wait();
    const useBare = bare !== null && w % 2 === 0;
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      for (let k = 0; k < 64; k++) {
        if (useBare) {
          lockBare(bare!);
          if (counter) counter[0]++;
          unlockBare(bare!);
        } else {
          m.lock();
          if (counter) counter[0]++;
          m.unlock();
        }
      }
      n += 64;
      t = performance.now();
    }
    ops.push(n);
    took.push(t - t0);
  }
  return { ops, took };
}

/** Barrier: `rounds` waits per window; windows alternate bare (even) and library (odd). µs per wait. */
export function barrierRounds({ gate, b, bare, windows, rounds, n }: { gate: any; b: any; bare: Int32Array; windows: number; rounds: number; n: number; id: number }) {
  // Generation barrier: [arrived, generation].
  const waitBare = (a: Int32Array, parties: number) => {
    const g = Atomics.load(a, 1);
    if (Atomics.add(a, 0, 1) === parties - 1) {
      Atomics.store(a, 0, 0);
      Atomics.add(a, 1, 1);
      Atomics.notify(a, 1);
    } else {
      while (Atomics.load(a, 1) === g) Atomics.wait(a, 1, g);
    }
  };
  const us: number[] = [];
  for (let w = 0; w < windows; w++) {
    gate.wait();
    const t0 = performance.now();
    if (w % 2 === 0) for (let r = 0; r < rounds; r++) waitBare(bare, n);
    else for (let r = 0; r < rounds; r++) b.wait();
    us.push(((performance.now() - t0) * 1000) / rounds);
  }
  return us;
}

/** The module's entry: `job` picks the measurement. */
export default function main(args: any) {
  if (args.job === "mutex") return contendedMutex(args);
  if (args.job === "barrier") return barrierRounds(args);
  throw new Error(`sync-work: unknown job ${args.job}`);
}
