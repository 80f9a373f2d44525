// Chapter 12 on real threads: the red and blue robots (a guaranteed two-lock
// deadlock that the run's watchdog catches), the four trains at four crossings with
// crossings as Mutexes (no strategy / resource hierarchy / arbitrator), and dining
// philosophers with the two fixes, measured for throughput and fairness.
//
// Worker functions are shipped as source: they use only their argument and
// require("kernel-helpers"), and declare no named inner functions (see ch07).
import { threads } from "../spawn/api";
import type { Run } from "../spawn/run";
import { DeadlockError } from "../spawn/deadlock";
import { Barrier, Condition, Mutex } from "../sync/index";
import type { WaitForGraph } from "../trace/types";
import { workerColor } from "../charts/palette";
import { checkInt, CourseInputError } from "./errors";
import { TRAIN_STRATEGIES, trainLayout, trackPoint, type TrainFrame, type TrainLayout, type TrainStrategy } from "./trains";

function checkStrategy(s: unknown, fn: string): TrainStrategy {
  if (!(TRAIN_STRATEGIES as readonly unknown[]).includes(s)) {
    throw new CourseInputError(`${fn}: strategy must be one of ${TRAIN_STRATEGIES.join(", ")}, got ${JSON.stringify(s)}`);
  }
  return s as TrainStrategy;
}

export interface RobotsResult {
  deadlocked: boolean;
  /** The watchdog's wait-for graph when deadlocked (cycle: [worker, lock, worker, lock]). */
  graph: WaitForGraph | null;
  error: DeadlockError | null;
  ms: number;
}

/**
 * Red takes lock A then B, blue takes B then A. Both take their first lock, then
 * meet at a barrier, so each holds what the other needs next: the deadlock happens
 * on every run, not just on unlucky ones. The run's watchdog sees the cycle and
 * stops both threads; this resolves (it never hangs) with the graph. With
 * `sameOrder: true` both take A then B (the fix) and the run completes.
 */
export async function robots(opts: { sameOrder?: boolean; deadlockAfter?: number } = {}): Promise<RobotsResult> {
  const deadlockAfter = opts.deadlockAfter ?? 500;
  if (typeof deadlockAfter !== "number" || !(deadlockAfter > 0)) {
    throw new CourseInputError(`robots: deadlockAfter must be a positive number of ms, got ${String(deadlockAfter)}`);
  }
  const a = new Mutex({ label: "lock A" });
  const b = new Mutex({ label: "lock B" });
  const meet = new Barrier(2, { label: "both hold one" });
  const t0 = performance.now();
  try {
    await threads.run(
      2,
      ({ id, a, b, meet, sameOrder }) => {
        // id 0 is the red robot, id 1 the blue one.
        const first = id === 0 || sameOrder ? a : b;
        const second = id === 0 || sameOrder ? b : a;
        first.lock();
        if (!sameOrder) meet.wait(); // both now hold their first lock
        second.lock();
        second.unlock();
        first.unlock();
        return id === 0 ? "red done" : "blue done";
      },
      { a, b, meet, sameOrder: !!opts.sameOrder },
      { deadlockAfter },
    );
    return { deadlocked: false, graph: null, error: null, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof DeadlockError) return { deadlocked: true, graph: e.graph, error: e, ms: performance.now() - t0 };
    throw e;
  }
}

/** What each train's thread gets: its id, the layout, the strategy, the locks and the shared tables. */
export interface TrainArgs {
  id: number;
  n: number;
  layout: TrainLayout;
  strategy: TrainStrategy;
  /** Pause after each unit step, ms. */
  stepMs: number;
  /** One Mutex per crossing ("none", "hierarchy"). */
  crossings: Mutex[];
  /** The arbitrator: a Condition bound to its own Mutex ("arbitrator"). */
  arbiter: Condition;
  /** The common green light: every train waits here when its front reaches `signalAt`. */
  signal: Barrier;
  signalAt: number;
  /** front[id]: where train id's front is (written by the train, sampled by the caller). */
  front: Int32Array;
  /** owner[c]: the train holding crossing c, -1 when free (drawn, and checked for violations). */
  owner: Int32Array;
  /** violations[0]: times a train found a crossing it needed to own held by another. */
  violations: Int32Array;
}

/**
 * The course's train: every step it asks `stepPlan` what to take, takes it (locks
 * in plan order, or everything at once from the arbitrator), moves its front one
 * unit, checks that every crossing under its body is its own, and gives back what
 * its back has left. Sent to the worker as source (no outside names).
 */
export function courseTrain({ id, layout, strategy, crossings, arbiter, signal, signalAt, front, owner, violations, stepMs }: TrainArgs): number {
  const { stepPlan } = require("kernel-helpers");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const held: number[] = [];
  const L = layout.trainLength;
  const mine = layout.tracks[id].crossings;
  for (let f = 1; f <= layout.trackLength; f++) {
    if (f === signalAt) signal.wait();
    const plan = stepPlan(layout, id, f, strategy, held);
    if (plan.acquire.length && strategy === "arbitrator") {
      arbiter.lock.lock();
      while (plan.acquire.some((c: number) => Atomics.load(owner, c) !== -1)) arbiter.wait();
      for (const c of plan.acquire) {
        Atomics.store(owner, c, id);
        held.push(c);
      }
      arbiter.lock.unlock();
    } else {
      for (const c of plan.acquire) {
        crossings[c].lock(); // blocks while another train holds it
        if (Atomics.compareExchange(owner, c, -1, id) !== -1) Atomics.add(violations, 0, 1);
        held.push(c);
      }
    }
    Atomics.store(front, id, f);
    // The invariant: every crossing under this train's body is ours.
    for (const x of mine) if (x.at <= f && x.at > f - L && Atomics.load(owner, x.crossing) !== id) Atomics.add(violations, 0, 1);
    for (const c of plan.release) {
      held.splice(held.indexOf(c), 1);
      if (strategy === "arbitrator") {
        arbiter.lock.lock();
        Atomics.store(owner, c, -1);
        arbiter.notifyAll();
        arbiter.lock.unlock();
      } else {
        Atomics.store(owner, c, -1);
        crossings[c].unlock();
      }
    }
    if (stepMs > 0) Atomics.wait(pause, 0, 0, stepMs);
  }
  return id;
}

export interface TrainsOptions {
  layout?: TrainLayout;
  /** Pause after each unit step, ms (default 1): sets the trains' speed. */
  stepMs?: number;
  /** The notebook samples positions this often, ms (default 25). */
  sampleMs?: number;
  /** Watchdog patience, ms (default 800). */
  deadlockAfter?: number;
  /** Called with every sample as it is taken (live drawing). */
  onSample?: (frame: TrainFrame) => void;
  /** The function each train's thread runs (default `courseTrain`); a notebook passes its own to run the train it wrote. */
  train?: (args: TrainArgs) => unknown;
}

export interface ThreadTrainsResult {
  strategy: TrainStrategy;
  deadlocked: boolean;
  graph: WaitForGraph | null;
  /** Times a train found a crossing it needed owned by another, after it had "acquired" it, or covered one it did not own (must be 0). */
  violations: number;
  /** Positions sampled while the run went on, the last one taken after it ended. */
  frames: TrainFrame[];
  /** Where each train's front ended. */
  fronts: number[];
  ms: number;
  run: Run<unknown> | null;
}

/**
 * Four trains, one thread each, on the course's square of four crossings. Every
 * crossing is a Mutex (labelled "crossing C0" …); a shared owner table records
 * who holds which (checked with compare-and-swap, so two holders at once would be
 * counted as a violation). All trains wait at a common signal just before the
 * square, so they enter it together: the worst case, on every run. The caller
 * samples the trains' positions every `sampleMs` into `frames` (an animation).
 *
 * - "none": lock each crossing as the front reaches it, release it when the back
 *   leaves: the four trains each hold one crossing and wait for the next. The
 *   watchdog reports the cycle; resolves with deadlocked = true.
 * - "hierarchy": on reaching the first crossing, lock every crossing of the
 *   reservation (front … front + length) in increasing crossing id.
 * - "arbitrator": one Mutex + Condition: wait until every needed crossing is free,
 *   take them all at once; releases notify everyone.
 * Rejects only on unexpected worker errors (a bad `train` included); never hangs.
 */
export async function trainsOnThreads(strategy: TrainStrategy, opts: TrainsOptions = {}): Promise<ThreadTrainsResult> {
  checkStrategy(strategy, "trainsOnThreads");
  const layout = opts.layout ?? trainLayout();
  const stepMs = opts.stepMs ?? 1;
  if (typeof stepMs !== "number" || !(stepMs >= 0) || stepMs > 100) {
    throw new CourseInputError(`trainsOnThreads: stepMs must be a number of ms from 0 to 100, got ${String(stepMs)}`);
  }
  const sampleMs = checkInt("sampleMs", opts.sampleMs ?? 25, 1, 10_000);
  const train = opts.train ?? courseTrain;
  if (typeof train !== "function")
    throw new CourseInputError(`trainsOnThreads: train must be a function ({ id, layout, strategy, … }) => …, got ${typeof train}`);
  const n = layout.tracks.length;
  const crossings = layout.crossings.map((c) => new Mutex({ label: `crossing C${c.id}` }));
  const arbiter = new Condition(new Mutex({ label: "arbitrator" }), { label: "crossings freed" });
  const signal = new Barrier(n, { label: "signal" });
  const front = new Int32Array(new SharedArrayBuffer(4 * n));
  const owner = new Int32Array(new SharedArrayBuffer(4 * layout.crossings.length)).fill(-1);
  const violations = new Int32Array(new SharedArrayBuffer(4));
  // The signal stands where the first crossing is reached (the same spot on every track).
  const signalAt = Math.min(...layout.tracks.map((t) => Math.min(...t.crossings.map((c) => c.at))));
  const frames: TrainFrame[] = [];
  const t0 = performance.now();
  const sample = (): void => {
    const f: TrainFrame = {
      t: Math.round(performance.now() - t0),
      trains: Array.from(front, (fr, id) => ({ id, front: fr, back: fr - layout.trainLength })),
      crossings: Array.from(owner, (o, id) => ({ id, owner: o < 0 ? null : o })),
    };
    frames.push(f);
    opts.onSample?.(f);
  };
  const timer = setInterval(sample, sampleMs);
  let run: Run<unknown> | null = null;
  let graph: WaitForGraph | null = null;
  try {
    run = await threads.run(
      n,
      train as (args: TrainArgs) => unknown,
      { layout, strategy, crossings, arbiter, signal, signalAt, front, owner, violations, stepMs },
      { deadlockAfter: opts.deadlockAfter ?? 800 },
    );
  } catch (e) {
    if (!(e instanceof DeadlockError)) throw e;
    graph = e.graph;
  } finally {
    clearInterval(timer);
  }
  sample();
  return {
    strategy,
    deadlocked: graph !== null,
    graph,
    violations: violations[0],
    frames,
    fronts: Array.from(front),
    ms: performance.now() - t0,
    run,
  };
}

/** Colours of trains 0–3 (and of the crossings they hold): those of threads t0–t3 in every chart. */
export const TRAIN_COLORS = [0, 1, 2, 3].map((i) => workerColor(`t${i}`));

/** The legend of a train animation: "train 0" … "train 3" in their colours. */
export const TRAIN_LEGEND: { label: string; color: string }[] = TRAIN_COLORS.map((color, i) => ({ label: `train ${i}`, color }));

/**
 * One animation frame (shapes in pixels) of a train frame: tracks in light grey,
 * each train a thick line from its back to its front in its colour, each crossing
 * a square filled with its holder's colour (white when free). `scale` maps track
 * units to pixels.
 */
export function trainShapes(
  layout: TrainLayout,
  frame: TrainFrame,
  scale = 0.5,
  caption?: string,
): { label?: string; shapes: ({ type: string } & Record<string, unknown>)[] } {
  if (!frame || !Array.isArray(frame.trains) || !Array.isArray(frame.crossings)) {
    throw new CourseInputError("trainShapes: frame must have trains and crossings (a TrainFrame)");
  }
  const far = layout.trackLength - layout.trainLength;
  const shapes: ({ type: string } & Record<string, unknown>)[] = [];
  const p = (train: number, s: number) => {
    const q = trackPoint(layout, train, s);
    return { x: 10 + q.x * scale, y: 10 + q.y * scale };
  };
  for (const t of layout.tracks) {
    const a = p(t.train, 0),
      b = p(t.train, far);
    shapes.push({ type: "line", x: a.x, y: a.y, x2: b.x, y2: b.y, stroke: "#cccccc", width: 2 });
  }
  for (const tr of frame.trains) {
    const from = Math.max(0, tr.back),
      to = Math.min(far, tr.front);
    if (to <= from) continue;
    const a = p(tr.id, from),
      b = p(tr.id, to);
    shapes.push({ type: "line", x: a.x, y: a.y, x2: b.x, y2: b.y, stroke: TRAIN_COLORS[tr.id % 4], width: 7 });
  }
  for (const c of layout.crossings) {
    const o = frame.crossings.find((x) => x.id === c.id)?.owner ?? null;
    const s = 14;
    shapes.push({
      type: "rect",
      x: 10 + c.x * scale - s / 2,
      y: 10 + c.y * scale - s / 2,
      w: s,
      h: s,
      fill: o === null ? "#ffffff" : TRAIN_COLORS[o % 4],
      stroke: "#333333",
    });
    shapes.push({ type: "text", x: 10 + c.x * scale + 10, y: 10 + c.y * scale - 10, text: `C${c.id}`, size: 11, fill: "#333333" });
  }
  return { label: caption ?? `t = ${frame.t} ms`, shapes };
}

export interface PhilosophersResult {
  strategy: "hierarchy" | "arbitrator";
  meals: number[];
  ms: number;
  /** Meals per second, all philosophers together. */
  throughput: number;
  /** Jain's fairness index of the meal counts: 1 = perfectly even, 1/n = one philosopher ate everything. */
  fairness: number;
}

/** Jain's index (Σx)² / (n·Σx²) of non-negative counts (1 when all are zero). */
export function jainIndex(xs: readonly number[]): number {
  const s = xs.reduce((a, b) => a + b, 0),
    q = xs.reduce((a, b) => a + b * b, 0);
  return q === 0 ? 1 : (s * s) / (xs.length * q);
}

/** What each philosopher's thread gets. */
export interface DinerArgs {
  id: number;
  n: number;
  /** forks[i]: the Mutex of fork i; philosopher id uses forks id and (id + 1) % n ("hierarchy"). */
  forks: Mutex[];
  /** The waiter: a Condition bound to its own Mutex ("arbitrator"). */
  arbiter: Condition;
  /** taken[i]: 1 while fork i is in use, under the arbitrator ("arbitrator"). */
  taken: Int32Array;
  /** Everyone starts together. */
  start: Barrier;
  strategy: "hierarchy" | "arbitrator";
  /** How long the dinner lasts, ms. */
  ms: number;
  thinkMs: number;
  eatMs: number;
}

/** The course's philosopher: think, take both forks by the strategy, eat, put them down, until time is up; returns the meals. Sent as source. */
export function courseDiner({ id, n, forks, arbiter, taken, start, strategy, ms, thinkMs, eatMs }: DinerArgs): number {
  const left = id,
    right = (id + 1) % n;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let meals = 0;
  start.wait();
  const end = performance.now() + ms;
  while (performance.now() < end) {
    Atomics.wait(pause, 0, 0, thinkMs);
    if (strategy === "hierarchy") {
      const lo = Math.min(left, right),
        hi = Math.max(left, right);
      forks[lo].lock();
      forks[hi].lock();
      Atomics.wait(pause, 0, 0, eatMs);
      meals++;
      forks[hi].unlock();
      forks[lo].unlock();
    } else {
      arbiter.lock.lock();
      while (Atomics.load(taken, left) || Atomics.load(taken, right)) arbiter.wait();
      Atomics.store(taken, left, 1);
      Atomics.store(taken, right, 1);
      arbiter.lock.unlock();
      Atomics.wait(pause, 0, 0, eatMs);
      meals++;
      arbiter.lock.lock();
      Atomics.store(taken, left, 0);
      Atomics.store(taken, right, 0);
      arbiter.notifyAll();
      arbiter.lock.unlock();
    }
  }
  return meals;
}

/**
 * n philosopher threads eat for `ms` milliseconds: think `thinkMs`, take both forks
 * (Mutexes), eat `eatMs`, put them down, repeat. "hierarchy" takes the lower-numbered
 * fork first; "arbitrator" waits on one Condition until both forks are free and takes
 * them together. `dine` replaces the course's philosopher (`courseDiner`) with the
 * caller's own (it must return its meal count); `deadlockAfter` is the watchdog's
 * patience (default 5000 ms). Returns meals per philosopher, throughput and fairness.
 */
export async function philosophersOnThreads(
  strategy: "hierarchy" | "arbitrator",
  opts: { n?: number; ms?: number; thinkMs?: number; eatMs?: number; dine?: (args: DinerArgs) => number; deadlockAfter?: number } = {},
): Promise<PhilosophersResult> {
  if (strategy !== "hierarchy" && strategy !== "arbitrator") {
    throw new CourseInputError(
      `philosophersOnThreads: strategy must be "hierarchy" or "arbitrator" (no strategy can deadlock), got ${JSON.stringify(strategy)}`,
    );
  }
  const n = checkInt("n", opts.n ?? 5, 2, 64);
  const ms = checkInt("ms", opts.ms ?? 400, 1, 60_000);
  const thinkMs = opts.thinkMs ?? 0.2,
    eatMs = opts.eatMs ?? 0.5;
  for (const [k, v] of [
    ["thinkMs", thinkMs],
    ["eatMs", eatMs],
  ] as const) {
    if (typeof v !== "number" || !(v >= 0) || v > 1000)
      throw new CourseInputError(`philosophersOnThreads: ${k} must be a number of ms from 0 to 1000, got ${String(v)}`);
  }
  const dine = opts.dine ?? courseDiner;
  if (typeof dine !== "function")
    throw new CourseInputError(`philosophersOnThreads: dine must be a function ({ id, n, forks, … }) => meals, got ${typeof dine}`);
  const forks = Array.from({ length: n }, (_, i) => new Mutex({ label: `fork ${i}` }));
  const arbiter = new Condition(new Mutex({ label: "waiter" }), { label: "forks freed" });
  const taken = new Int32Array(new SharedArrayBuffer(4 * n));
  const start = new Barrier(n, { label: "dinner starts" });
  const run = await threads.run(n, dine, { forks, arbiter, taken, start, strategy, ms, thinkMs, eatMs }, { deadlockAfter: opts.deadlockAfter ?? 5000 });
  const meals = run.results.map(Number);
  if (meals.some((m) => !Number.isInteger(m) || m < 0))
    throw new CourseInputError(`philosophersOnThreads: every philosopher must return its meal count (a whole number), got ${JSON.stringify(run.results)}`);
  const total = meals.reduce((a, b) => a + b, 0);
  return { strategy, meals, ms, throughput: (1000 * total) / ms, fairness: jainIndex(meals) };
}
