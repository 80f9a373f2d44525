// Chapter 12: the small deadlock cases. Red and blue robots take two locks in
// opposite orders; dining philosophers share one fork with each neighbour. The
// simulation is lock-step and deterministic (like simulateTrains) so notebooks can
// show the cycle and the fixes without depending on thread timing.
import { checkInt, CourseInputError } from "./errors";
import type { TrainStrategy } from "./trains";

/** The two robots and the order they take the two locks in: opposite orders, hence the deadlock. */
export const ROBOTS = { red: ["A", "B"], blue: ["B", "A"] } as const;

/**
 * The forks philosopher i of n takes, in order: left (i) then right ((i+1) mod n) with
 * "none"; lower number first with "hierarchy" (the last philosopher reverses, which
 * breaks the cycle); with "arbitrator" both at once (order irrelevant).
 */
export function forkOrder(i: number, n: number, strategy: TrainStrategy): [number, number] {
  checkInt("n", n, 2, 1000);
  checkInt("i", i, 0, n - 1);
  const left = i,
    right = (i + 1) % n;
  return strategy === "hierarchy" ? [Math.min(left, right), Math.max(left, right)] : [left, right];
}

export interface PhilosopherRun {
  strategy: TrainStrategy;
  deadlocked: boolean;
  ticks: number;
  meals: number[];
  /** Ticks each philosopher spent hungry (waiting for forks). */
  waited: number[];
}

/**
 * n philosophers each think `think` ticks, take their forks (one per tick, in
 * forkOrder; the arbitrator gives both at once or none), eat `eat` ticks, put both
 * down, until each has eaten `meals` times. Stops with deadlocked = true when a tick
 * changes nothing while meals remain.
 */
export function simulatePhilosophers(
  strategy: TrainStrategy,
  opts: { n?: number; meals?: number; think?: number; eat?: number; maxTicks?: number } = {},
): PhilosopherRun {
  if (!["none", "hierarchy", "arbitrator"].includes(strategy)) {
    throw new CourseInputError(`strategy must be none, hierarchy or arbitrator, got ${JSON.stringify(strategy)}`);
  }
  const n = checkInt("n", opts.n ?? 5, 2, 1000);
  const target = checkInt("meals", opts.meals ?? 10, 1);
  const think = checkInt("think", opts.think ?? 3, 0);
  const eat = checkInt("eat", opts.eat ?? 3, 1);
  const maxTicks = checkInt("maxTicks", opts.maxTicks ?? 10_000_000, 1);
  const fork: (number | null)[] = new Array(n).fill(null);
  const meals = new Array(n).fill(0),
    waited = new Array(n).fill(0);
  const left = new Array(n).fill(think); // ticks left in the current thinking/eating phase
  const phase: ("think" | "hungry" | "eat" | "done")[] = new Array(n).fill("think");
  let t = 0;
  while (t < maxTicks) {
    t++;
    let changed = false;
    for (let i = 0; i < n; i++) {
      const [f1, f2] = forkOrder(i, n, strategy);
      if (phase[i] === "think" || phase[i] === "eat") {
        if (left[i] > 0) {
          left[i]--;
          changed = true;
          continue;
        }
        if (phase[i] === "eat") {
          fork[f1] = fork[f2] = null;
          meals[i]++;
          phase[i] = meals[i] >= target ? "done" : "think";
          left[i] = think;
        } else phase[i] = "hungry";
        changed = true;
        continue;
      }
      if (phase[i] !== "hungry") continue;
      if (strategy === "arbitrator") {
        if (fork[f1] === null && fork[f2] === null) {
          fork[f1] = fork[f2] = i;
          phase[i] = "eat";
          left[i] = eat;
          changed = true;
        } else waited[i]++;
      } else if (fork[f1] !== i) {
        if (fork[f1] === null) {
          fork[f1] = i;
          changed = true;
        } else waited[i]++;
      } else if (fork[f2] === null) {
        fork[f2] = i;
        phase[i] = "eat";
        left[i] = eat;
        changed = true;
      } else waited[i]++;
    }
    if (phase.every((p) => p === "done")) return { strategy, deadlocked: false, ticks: t, meals, waited };
    if (!changed) return { strategy, deadlocked: true, ticks: t, meals, waited };
  }
  throw new Error(`simulatePhilosophers: no end after maxTicks = ${maxTicks}; raise maxTicks`);
}
