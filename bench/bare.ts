// The bare-Atomics baselines of the sync group, written once: bench/sync.ts runs
// them on raw workers and child processes, bench/child/sync-work.ts inside the
// library's threads.run / processes.run. Both compare against the same code.

/** Block on a[i] while it holds v / wake up to n sleepers on a[i]. */
export interface BareWaiter {
  wait(a: Int32Array, i: number, v: number): void;
  wake(a: Int32Array, i: number, n: number): void;
}

/** Atomics.wait / notify: memory of one process (SharedArrayBuffer). */
export const atomicsWaiter: BareWaiter = {
  wait: (a, i, v) => void Atomics.wait(a, i, v),
  wake: (a, i, n) => void Atomics.notify(a, i, n),
};

/** Drepper's futex mutex on a[0]: 0 free, 1 held, 2 held with possible sleepers. */
export function bareMutex(a: Int32Array, w: BareWaiter = atomicsWaiter) {
  return {
    lock() {
      let c = Atomics.compareExchange(a, 0, 0, 1);
      if (c === 0) return;
      if (c !== 2) c = Atomics.exchange(a, 0, 2);
      while (c !== 0) {
        w.wait(a, 0, 2);
        c = Atomics.exchange(a, 0, 2);
      }
    },
    unlock() {
      if (Atomics.sub(a, 0, 1) !== 1) {
        Atomics.store(a, 0, 0);
        w.wake(a, 0, 1);
      }
    },
  };
}

/** Counter + generation barrier: a[0] arrivals, a[1] generation. Returns the wait. */
export function bareBarrier(a: Int32Array, parties: number, w: BareWaiter = atomicsWaiter): () => void {
  return () => {
    const g = Atomics.load(a, 1);
    if (Atomics.add(a, 0, 1) === parties - 1) {
      Atomics.store(a, 0, 0);
      Atomics.add(a, 1, 1);
      w.wake(a, 1, 0x7fffffff);
    } else while (Atomics.load(a, 1) === g) w.wait(a, 1, g);
  };
}
