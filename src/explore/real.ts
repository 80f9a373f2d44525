// The lost update on real threads, step for step the model of models/races.ts:
// two worker threads each do k times "read the counter (Atomics.load), write it
// + 1 (Atomics.store)". A round is tiny, so both threads start each round
// together at a spin barrier; many rounds run and each round's final counter is
// counted. The result is what real runs saw, to set beside the explorer's list.
//
// The worker function is shipped as source: it uses only its argument and
// declares no named inner functions.
import { threads } from "../spawn/index";
import { checkInt } from "../course/errors";

export interface RealRounds {
  k: number;
  /** Rounds run. */
  rounds: number;
  /** Final counter → rounds that ended with it. */
  counts: Record<string, number>;
  ms: number;
}

/** Runs lost update for real: rounds until `maxRounds` or `maxMs`; counts each round's final value. */
export async function lostUpdateOnThreads(opts: { k?: number; maxRounds?: number; maxMs?: number } = {}): Promise<RealRounds> {
  const k = checkInt("k", opts.k ?? 2, 1, 20);
  const maxRounds = checkInt("maxRounds", opts.maxRounds ?? 100_000, 1, 10_000_000);
  const maxMs = checkInt("maxMs", opts.maxMs ?? 1_000, 1, 600_000);
  const HIST = 8;
  const shared = new Int32Array(new SharedArrayBuffer(4 * (HIST + 2 * k + 1)));
  const t0 = performance.now();
  await threads.run(2, ({ id, shared, k, maxRounds, maxMs }: { id: number; shared: Int32Array; k: number; maxRounds: number; maxMs: number }) => {
    const C = 0, ARRIVE = 1, GEN = 2, STOP = 3, HIST = 8;
    const end = performance.now() + maxMs;
    let seed = 0x9e3779b9 ^ (id * 0x85ebca6b);
    for (let r = 0; r < maxRounds; r++) {
      let stop = false;
      for (let phase = 0; phase < 2 && !stop; phase++) {
        // Both threads leave here together: a two-party barrier on a generation word.
        const g = Atomics.load(shared, GEN);
        if (Atomics.add(shared, ARRIVE, 1) === 1) {
          Atomics.store(shared, ARRIVE, 0);
          Atomics.add(shared, GEN, 1);
          Atomics.notify(shared, GEN);
        } else {
          let spins = 0;
          while (Atomics.load(shared, GEN) === g) if (++spins > 5000) Atomics.wait(shared, GEN, g, 1);
        }
        if (phase === 0) {
          if (Atomics.load(shared, STOP)) stop = true;
          else {
            // A random pause of 0 to ~1 µs: local work, free in the model, that shifts
            // the threads against each other so that their steps interleave in many ways.
            seed ^= seed << 13;
            seed ^= seed >>> 17;
            seed ^= seed << 5;
            for (let s = (seed >>> 0) % 256; s > 0; s--) Atomics.load(shared, STOP);
            for (let i = 0; i < k; i++) {
              const v = Atomics.load(shared, C); // the model's read step
              Atomics.store(shared, C, v + 1); // and its write step
            }
          }
        } else if (id === 0) {
          // Both are done: count the round's end value, reset for the next.
          Atomics.add(shared, HIST + Atomics.load(shared, C), 1);
          Atomics.store(shared, C, 0);
          if (performance.now() > end) Atomics.store(shared, STOP, 1);
        }
      }
      if (stop) break;
    }
  }, { shared, k, maxRounds, maxMs }, { trace: false });
  const counts: Record<string, number> = {};
  let rounds = 0;
  for (let v = 0; v <= 2 * k; v++) {
    if (shared[HIST + v]) counts[String(v)] = shared[HIST + v];
    rounds += shared[HIST + v];
  }
  return { k, rounds, counts, ms: performance.now() - t0 };
}
