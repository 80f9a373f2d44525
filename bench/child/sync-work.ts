// Worker functions for the sync group, run by the library's own threads.run /
// processes.run given this module's path (the library bundles it). Each carries
// the bare-Atomics baseline of ../bare.ts.
// Every one alternates baseline and candidate windows (ABAB…) inside one run,
// all workers meeting at `gate` (a library Barrier, untimed) between windows.
import { bareBarrier, bareMutex } from "../bare";

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
  const bm = bare ? bareMutex(bare) : null;
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
          bm!.lock();
          if (counter) counter[0]++;
          bm!.unlock();
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
export function barrierRounds({
  gate,
  b,
  bare,
  windows,
  rounds,
  n,
}: {
  gate: any;
  b: any;
  bare: Int32Array;
  windows: number;
  rounds: number;
  n: number;
  id: number;
}) {
  const waitBare = bareBarrier(bare, n);
  const us: number[] = [];
  for (let w = 0; w < windows; w++) {
    gate.wait();
    const t0 = performance.now();
    if (w % 2 === 0) for (let r = 0; r < rounds; r++) waitBare();
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
