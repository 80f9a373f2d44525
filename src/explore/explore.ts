// Exploration: every schedule of a model (reduction "none"), every schedule up to
// the reordering of independent steps (reduction "por": dynamic partial-order
// reduction, Flanagan & Godefroid 2005, with sleep sets), or a sample of schedules
// (random, or PCT: Burckhardt et al. 2010), each sample replayable from its seed.
//
// Stateless model checking: a schedule is the list of thread ids chosen at each
// step. The search is depth-first; to try another thread at depth d it runs the
// program again from the start along the first d choices (generators cannot be
// copied). "none" tries every enabled thread at every depth, so the number of
// schedules is the number of interleavings (C(a+b, a) for two threads of a and b
// independent steps). "por" tries a thread at depth d only when a later step of it
// races with the step taken at d (same object, one of them writes, not already
// ordered by happens-before, tracked with vector clocks); sleep sets skip orders
// already covered. Both find the same final states, hence the same outcomes and
// the same deadlocks; "por" in far fewer schedules, and its counts are of
// representatives, not of all interleavings.
import { Script } from "node:vm";
import { DONE, Engine, FAILED, RUN } from "./engine";
import { ExploreInputError } from "./errors";
import { describe, type Grade, type Model, type OutcomeGrader } from "./model";

export type Reduction = "none" | "por" | "states";
export type SampleStrategy = "random" | "pct";

export interface ExploreOptions {
  /**
   * "states" (default): state hashing, every state explored once, with the exact
   * number of schedules per outcome counted along the state graph; "por": dynamic
   * partial-order reduction with sleep sets (counts are of the representatives it
   * ran); "none": every interleaving run. Ignored when sampling.
   */
  reduction?: Reduction;
  /** Sampling mode: run this many schedules chosen by `strategy` instead of exploring all. */
  sample?: number;
  /** How samples choose the next thread: "random" (uniform, default) or "pct" (random priorities, `pctDepth` − 1 priority changes). */
  strategy?: SampleStrategy;
  /** Seed of the sampling (default 1). Sample i runs with seed sampleSeed(seed, i), reported with it. */
  seed?: number;
  /** PCT's bug depth d (default 3). */
  pctDepth?: number;
  /** Bound: steps in one schedule (default 10,000). Longer schedules are cut there (result partial). */
  maxSteps?: number;
  /** Bound: runs (schedules run to their end, cut at maxSteps or pruned; default 2,000,000; when sampling, `sample`). */
  maxSchedules?: number;
  /** Bound: milliseconds (default 30,000). */
  maxMs?: number;
  /** Only schedules that start with these thread ids. */
  prefix?: number[];
  /** Grades outcomes (overrides the model's). */
  grade?: OutcomeGrader;
  /** @internal Stop as soon as an outcome this returns true for is found. */
  stopWhen?: (outcome: string, grade: Grade) => boolean;
}

export interface OutcomeRow {
  outcome: string;
  /** Schedules that ended with it. */
  count: number;
  /** count ÷ schedules. */
  share: number;
  grade: Grade;
  /** The first schedule found that ends with it (thread ids). */
  schedule: number[];
  /** When sampling: the seed of that schedule's sample (replay with sampleSchedule). */
  seed?: number;
}

export interface DeadlockRow {
  /** Identifies the deadlock state (shared state and where each thread stands). */
  key: string;
  /** Each blocked thread and what it waits for, e.g. "t0 waits to lock fork1 (held by t1)". */
  blocked: string[];
  /** Schedules that ended in it. */
  count: number;
  /** A schedule to it (every schedule to one state has the same length; this is the first found). */
  schedule: number[];
  seed?: number;
  /** The wait-for graph, for waitForChart. */
  graph: WaitGraph;
}

/** The same shape as src/trace's WaitForGraph (workers "t0", primitives by name). */
export interface WaitGraph {
  holds: { worker: string; prim: { kind: "mutex"; id: string; label: string } }[];
  waits: { worker: string; prim: { kind: string; id: string; label: string }; since: number }[];
  cycle: string[];
}

export interface ExploreResult {
  model: string;
  mode: "exhaustive" | "sample";
  reduction: Reduction;
  strategy?: SampleStrategy;
  seed?: number;
  /** For PCT: its depth and the schedule length its change points are drawn from. */
  pct?: { depth: number; length: number };
  /** Schedules run to their end (finished, deadlocked, or a thread failed); with "states", distinct end states reached. */
  schedules: number;
  /**
   * The number of all schedules of the program, when known: "none" runs them all,
   * "states" counts them along the state graph (then outcome counts are of all
   * schedules too). Null for "por" and samples.
   */
  interleavings: number | null;
  /** "states": distinct states visited. */
  states?: number;
  /** Schedules cut at maxSteps. */
  cut: number;
  /** "por": runs stopped because every thread that could move was asleep (already covered). */
  pruned: number;
  /** Model steps executed, re-runs of prefixes included. */
  steps: number;
  outcomes: OutcomeRow[];
  deadlocks: DeadlockRow[];
  /** True when every schedule was explored (exhaustive and no bound hit). A sample is never complete. */
  complete: boolean;
  /** Which bound stopped the search, when one did, and what that means. */
  bound: { kind: "steps" | "schedules" | "time"; limit: number; message: string } | null;
  /** The thread-id prefix explored under, if any. */
  prefix: number[];
  ms: number;
}

const DEFAULTS = { maxSteps: 10_000, maxSchedules: 2_000_000, maxMs: 30_000 };
/** Extra time the watchdog gives after maxMs before it calls a thread stuck (local code that never yields). */
export const STUCK_GRACE_MS = 2_000;

/** The grade of an outcome under a grader; "deadlock" and errors are forbidden unless the grader says otherwise. */
export function gradeOf(outcome: string, grader: OutcomeGrader | undefined): Grade {
  let g: unknown;
  if (typeof grader === "function") g = grader(outcome);
  else if (grader) g = Object.hasOwn(grader, outcome) ? grader[outcome] : "forbidden";
  else g = outcome === "deadlock" || outcome.startsWith("error:") ? "forbidden" : "expected";
  if (g !== "expected" && g !== "acceptable" && g !== "forbidden") {
    throw new ExploreInputError(`grade returned ${describe(g)} for outcome ${JSON.stringify(outcome)}; grades are "expected", "acceptable" or "forbidden"`);
  }
  return g;
}

/** The seed of sample i of a run seeded with `seed` (a 32-bit mix). */
export function sampleSeed(seed: number, i: number): number {
  let z = (seed + Math.imul(i + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A small fast PRNG (mulberry32), one per sample. */
export class SampleRng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function checkOpts(m: Model, o: ExploreOptions): Required<Pick<ExploreOptions, "maxSteps" | "maxSchedules" | "maxMs">> {
  if (o === null || typeof o !== "object") throw new ExploreInputError(`explore(model, options): options must be an object, got ${describe(o)}`);
  const known = ["reduction", "sample", "strategy", "seed", "pctDepth", "maxSteps", "maxSchedules", "maxMs", "prefix", "grade", "stopWhen"];
  for (const k of Object.keys(o))
    if (!known.includes(k))
      throw new ExploreInputError(`explore: unknown option ${JSON.stringify(k)}; the options are ${known.filter((x) => x !== "stopWhen").join(", ")}`);
  const int = (name: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
      throw new ExploreInputError(`explore: ${name} must be a whole number from ${min} to ${max.toLocaleString("en")}, got ${describe(v)}`);
    return v;
  };
  if (o.reduction !== undefined && o.reduction !== "none" && o.reduction !== "por" && o.reduction !== "states")
    throw new ExploreInputError(`explore: reduction must be "none", "por" or "states", got ${describe(o.reduction)}`);
  if (o.strategy !== undefined && o.strategy !== "random" && o.strategy !== "pct")
    throw new ExploreInputError(`explore: strategy must be "random" or "pct", got ${describe(o.strategy)}`);
  if (o.sample !== undefined) int("sample", o.sample, 1, 100_000_000);
  if (o.seed !== undefined) int("seed", o.seed, 0, 0xffffffff);
  if (o.pctDepth !== undefined) int("pctDepth", o.pctDepth, 1, 100);
  if (o.prefix !== undefined && (!Array.isArray(o.prefix) || o.prefix.some((t) => !Number.isInteger(t) || t < 0 || t >= m.n))) {
    throw new ExploreInputError(`explore: prefix must be an array of thread ids 0..${m.n - 1}, got ${describe(o.prefix)}`);
  }
  return {
    maxSteps: o.maxSteps === undefined ? DEFAULTS.maxSteps : int("maxSteps", o.maxSteps, 1, 10_000_000),
    maxSchedules: o.maxSchedules === undefined ? (o.sample ?? DEFAULTS.maxSchedules) : int("maxSchedules", o.maxSchedules, 1, 1_000_000_000),
    maxMs: o.maxMs === undefined ? DEFAULTS.maxMs : int("maxMs", o.maxMs, 1, 3_600_000),
  };
}

/** Collects leaves into outcome and deadlock tables. */
class Tally {
  readonly outcomes = new Map<string, { count: number; schedule: number[]; seed?: number }>();
  readonly deadlocks = new Map<string, { count: number; schedule: number[]; seed?: number; blocked: string[]; graph: WaitGraph }>();
  schedules = 0;
  cut = 0;
  pruned = 0;
  constructor(
    readonly m: Model,
    readonly grader: OutcomeGrader | undefined,
  ) {}

  /** Records a terminal leaf (the engine stands in it); returns its outcome. */
  leaf(e: Engine, path: ArrayLike<number>, len: number, seed?: number): string {
    this.schedules++;
    let outcome: string;
    if (e.failed >= 0) {
      const err = e.errors[e.failed]!;
      outcome = `error: t${e.failed} ${err.name}: ${err.message}`;
    } else if (e.allDone()) outcome = outcomeOf(this.m, e);
    else {
      outcome = "deadlock";
      const key = e.stateKey();
      const d = this.deadlocks.get(key);
      if (d) d.count++;
      else this.deadlocks.set(key, { count: 1, schedule: Array.from({ length: len }, (_, i) => path[i]), seed, ...deadlockInfo(e) });
    }
    const r = this.outcomes.get(outcome);
    if (r) r.count++;
    else this.outcomes.set(outcome, { count: 1, schedule: Array.from({ length: len }, (_, i) => path[i]), seed });
    return outcome;
  }

  rows(): { outcomes: OutcomeRow[]; deadlocks: DeadlockRow[] } {
    const total = this.schedules || 1;
    const outcomes = [...this.outcomes].map(([outcome, r]) => ({
      outcome,
      count: r.count,
      share: r.count / total,
      grade: gradeOf(outcome, this.grader),
      schedule: r.schedule,
      ...(r.seed === undefined ? {} : { seed: r.seed }),
    }));
    outcomes.sort(compareOutcomes);
    const deadlocks = [...this.deadlocks].map(([key, d]) => ({
      key,
      blocked: d.blocked,
      count: d.count,
      schedule: d.schedule,
      ...(d.seed === undefined ? {} : { seed: d.seed }),
      graph: d.graph,
    }));
    deadlocks.sort((a, b) => a.schedule.length - b.schedule.length || (a.key < b.key ? -1 : 1));
    return { outcomes, deadlocks };
  }
}

/** Numeric outcomes in numeric order, others alphabetically, "deadlock" and errors last. */
function compareOutcomes(a: { outcome: string }, b: { outcome: string }): number {
  const rank = (s: string) => (s === "deadlock" ? 1 : s.startsWith("error:") ? 2 : 0);
  const ra = rank(a.outcome),
    rb = rank(b.outcome);
  if (ra !== rb) return ra - rb;
  const na = Number(a.outcome),
    nb = Number(b.outcome);
  if (a.outcome.trim() !== "" && b.outcome.trim() !== "" && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0;
}

/** The outcome of a finished schedule: the model's outcome function, or the vars' values. */
export function outcomeOf(m: Model, e: Engine): string {
  if (m.outcomeFn) {
    const v = m.outcomeFn(e.finalState(), e.results.slice());
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw new ExploreInputError(
        `model "${m.name}": outcome returned ${describe(v)}; return a string (or a number) that names the outcome, e.g. String(final.counter)`,
      );
    }
    return String(v);
  }
  const vars = e.varsText();
  if (vars.length === 1 && m.layout.length >= 1) {
    const only = m.layout.find((l) => !Array.isArray(l.ids) && m.objects[l.ids].kind === "var");
    if (only) return String(e.vals[only.ids as number]);
  }
  return vars.length ? vars.join(", ") : "finished";
}

/** Blocked threads in words and the wait-for graph of a deadlocked engine. */
export function deadlockInfo(e: Engine): { blocked: string[]; graph: WaitGraph } {
  const m = e.m;
  const blocked: string[] = [];
  const graph: WaitGraph = { holds: [], waits: [], cycle: [] };
  const prim = (id: number) => ({ kind: m.objects[id].kind, id: m.objects[id].name, label: m.objects[id].name });
  for (const o of m.objects) {
    if (o.kind === "mutex" && e.owner[o.id] >= 0) graph.holds.push({ worker: `t${e.owner[o.id]}`, prim: { kind: "mutex", id: o.name, label: o.name } });
  }
  const waitsFor = new Map<number, number>(); // thread → the thread holding what it waits for
  for (let t = 0; t < e.n; t++) {
    const b = e.blockedOn(t);
    if (!b) continue;
    blocked.push(`t${t} waits to ${b.why}`);
    graph.waits.push({ worker: `t${t}`, prim: prim(b.obj), since: 0 });
    if (b.holder >= 0) waitsFor.set(t, b.holder);
  }
  // A cycle: follow "waits for a lock held by" until a thread repeats.
  for (const start of waitsFor.keys()) {
    const path: number[] = [];
    let cur: number | undefined = start;
    while (cur !== undefined && !path.includes(cur)) {
      path.push(cur);
      cur = waitsFor.get(cur);
    }
    if (cur !== undefined) {
      const cyc = path.slice(path.indexOf(cur));
      for (const t of cyc) graph.cycle.push(`t${t}`, m.objects[e.blockedOn(t)!.obj].name);
      break;
    }
  }
  return { blocked, graph };
}

/**
 * Runs `fn` under a watchdog: if JavaScript runs `ms` without returning (a thread
 * whose local code never reaches a step), it is stopped and this throws an
 * ExploreInputError naming the thread. Everything else passes through.
 */
export function guarded<T>(e: Engine | null, ms: number, what: string, fn: () => T): T {
  const g = globalThis as unknown as Record<string, unknown>;
  const key = "__interleaveExploreGuarded";
  const outer = g[key];
  g[key] = fn;
  try {
    return GUARD.runInThisContext({ timeout: Math.max(1, Math.min(0x7fffffff, Math.ceil(ms))) }) as T;
  } catch (err) {
    if ((err as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      const who = e && e.current >= 0 ? `thread t${e.current}` : "the model's code";
      throw new ExploreInputError(
        `${what}: ${who} ran for more than ${Math.round(ms)} ms without reaching a step and was stopped. A model thread must yield a step ` +
          `(yield x.read(), yield lock.lock(), …) on every path through a loop; local code between steps must be short`,
      );
    }
    throw err;
  } finally {
    g[key] = outer;
  }
}
const GUARD = new Script("globalThis.__interleaveExploreGuarded()", { filename: "interleave-explore-guard" });

/** Explores a model's schedules (see the top of this file). Throws ExploreInputError on bad input. */
export function exploreModel(m: Model, opts: ExploreOptions = {}): ExploreResult {
  const b = checkOpts(m, opts);
  const e = new Engine(m);
  const t0 = performance.now();
  const run = () =>
    opts.sample !== undefined
      ? sampleRun(m, e, opts, b, t0)
      : (opts.reduction ?? "states") === "states"
        ? stateful(m, e, opts, b, t0)
        : exhaustive(m, e, opts, b, t0);
  return guarded(e, b.maxMs + STUCK_GRACE_MS, `explore "${m.name}"`, run);
}

function boundMessage(kind: "steps" | "schedules" | "time", limit: number, sampling: boolean): string {
  const partial = sampling ? "the sample is smaller than asked" : "the result is partial: outcomes and deadlocks not listed may still exist";
  if (kind === "steps") return `step bound hit: some schedules were longer than maxSteps = ${limit} and were cut there (a thread that never ends?); ${partial}`;
  if (kind === "schedules") return `schedule bound hit: stopped after maxSchedules = ${limit.toLocaleString("en")} runs; ${partial}`;
  return `time bound hit: stopped after maxMs = ${limit.toLocaleString("en")} ms; ${partial}`;
}

function exhaustive(m: Model, e: Engine, opts: ExploreOptions, b: { maxSteps: number; maxSchedules: number; maxMs: number }, t0: number): ExploreResult {
  const n = m.n,
    K = m.objects.length,
    N = b.maxSteps + 1;
  const por = opts.reduction === "por";
  const prefix = opts.prefix ?? [];
  const tally = new Tally(m, opts.grade ?? m.grader);
  const stopWhen = opts.stopWhen;
  const grader = opts.grade ?? m.grader;
  // Per depth d (the state before step d).
  const chosen = new Uint8Array(N),
    enabledAt = new Int32Array(N),
    bt = new Int32Array(N),
    doneAt = new Int32Array(N),
    sleepAt = new Int32Array(N);
  const opAt = new Int32Array(N),
    objAt = new Int32Array(N);
  // Happens-before bookkeeping for "por": vector clocks per thread, per object the
  // clock of its last write and the join of reads since, the last access index of
  // each thread per object, and for each step its thread-local clock and footprint.
  const vc = new Int32Array(n * n),
    wclk = new Int32Array(K * n),
    rclk = new Int32Array(K * n);
  const lastW = new Int32Array(K * n),
    lastR = new Int32Array(K * n);
  const stepLocal = new Int32Array(N),
    stepO1 = new Int32Array(N),
    stepO2 = new Int32Array(N),
    stepW = new Uint8Array(N);
  let steps = 0;
  let bound: ExploreResult["bound"] = null;
  let fixed = 0; // depths [0, fixed) are replayed from `chosen`
  let stop = false;

  const addBacktrack = (i: number, p: number) => {
    if (i < prefix.length) return;
    bt[i] |= enabledAt[i] & (1 << p) ? 1 << p : enabledAt[i];
  };
  const conflicts = (a1: number, a2: number, aw: boolean, c1: number, c2: number, cw: boolean) =>
    (aw || cw) && (a1 === c1 || (c2 >= 0 && a1 === c2) || (a2 >= 0 && (a2 === c1 || a2 === c2)));

  // A step touches one or two objects (o1, and o2 >= 0 for a condition's mutex);
  // the three functions below each handle one object, at row ov = o * n of the
  // per-object tables.
  // Thread p's clock joins what its access to object row ov (a write when w) synchronises with.
  const joinAccess = (p: number, ov: number, w: boolean) => {
    const pv = p * n;
    for (let q = 0; q < n; q++) {
      let x = wclk[ov + q];
      if (w && rclk[ov + q] > x) x = rclk[ov + q];
      if (x > vc[pv + q]) vc[pv + q] = x;
    }
  };
  // Records thread p's access to object row ov (a write when w), its step at depth d.
  const recordAccess = (p: number, ov: number, w: boolean, d: number) => {
    const pv = p * n;
    if (w) {
      for (let q = 0; q < n; q++) {
        wclk[ov + q] = vc[pv + q];
        rclk[ov + q] = 0;
      }
      lastW[ov + p] = d;
    } else {
      for (let q = 0; q < n; q++) if (vc[pv + q] > rclk[ov + q]) rclk[ov + q] = vc[pv + q];
      lastR[ov + p] = d;
    }
  };
  // The latest step (depth) of another thread on object row ov that races with thread
  // p's next access (a write when w): one p's clock does not order before it; `best` if none is later.
  const latestRace = (p: number, ov: number, w: boolean, best: number): number => {
    const pv = p * n;
    for (let q = 0; q < n; q++) {
      if (q === p) continue;
      let i = lastW[ov + q];
      if (w && lastR[ov + q] > i) i = lastR[ov + q];
      if (i > best && vc[pv + q] < stepLocal[i]) best = i;
    }
    return best;
  };
  // Joins thread p's clock with what its step on (o1, o2) synchronises with, records the access.
  const bookkeep = (p: number, d: number) => {
    const o1 = e.fp1(p),
      o2 = e.fp2(p),
      w = e.fpWrite(p);
    if (o1 >= 0) joinAccess(p, o1 * n, w);
    if (o2 >= 0) joinAccess(p, o2 * n, w);
    stepLocal[d] = ++vc[p * n + p];
    stepO1[d] = o1;
    stepO2[d] = o2;
    stepW[d] = w ? 1 : 0;
    if (o1 >= 0) recordAccess(p, o1 * n, w, d);
    if (o2 >= 0) recordAccess(p, o2 * n, w, d);
  };
  // Threads resumed by p's step (a barrier's release) now know everything p knew.
  const joinReleased = (p: number) => {
    let r = e.released;
    while (r) {
      const w = 31 - Math.clz32(r & -r);
      r &= r - 1;
      for (let q = 0; q < n; q++) if (vc[p * n + q] > vc[w * n + q]) vc[w * n + q] = vc[p * n + q];
    }
  };
  // After step d by thread t: for every thread, the last step it races with gets a backtrack point.
  const races = (d: number, t: number) => {
    const changed = e.changed;
    const s1 = stepO1[d],
      s2 = stepO2[d],
      sw = stepW[d] === 1;
    for (let p = 0; p < n; p++) {
      if (e.status[p] !== RUN) continue;
      const o1 = e.fp1(p),
        o2 = e.fp2(p),
        w = e.fpWrite(p);
      if (p !== t && !(changed & (1 << p))) {
        if (conflicts(o1, o2, w, s1, s2, sw)) addBacktrack(d, p);
        continue;
      }
      let best = -1;
      if (o1 >= 0) best = latestRace(p, o1 * n, w, best);
      if (o2 >= 0) best = latestRace(p, o2 * n, w, best);
      if (best >= 0) addBacktrack(best, p);
    }
  };
  // The sleep set of the state after thread p's step at depth d: sleepers whose step is independent of p's.
  const childSleep = (d: number, p: number): number => {
    let z = (sleepAt[d] | doneAt[d]) & ~(1 << p);
    if (!z) return 0;
    const o1 = e.fp1(p),
      o2 = e.fp2(p),
      w = e.fpWrite(p);
    let out = 0;
    while (z) {
      const q = 31 - Math.clz32(z & -z);
      z &= z - 1;
      if (!conflicts(e.fp1(q), e.fp2(q), e.fpWrite(q), o1, o2, w)) out |= 1 << q;
    }
    return out;
  };

  for (;;) {
    // One run from the start.
    e.reset();
    if (por) {
      vc.fill(0);
      wclk.fill(0);
      rclk.fill(0);
      lastW.fill(-1);
      lastR.fill(-1);
    }
    let d = 0;
    let cutHere = false;
    for (;;) {
      if (d < fixed) {
        const p = chosen[d];
        if (!e.isEnabled(p)) throw nondeterministic(m, d, p);
        if (opAt[d] < 0) {
          // The thread newly chosen at the backtrack depth: its step is seen only now.
          opAt[d] = e.op[p];
          objAt[d] = e.obj[p];
        } else if (e.op[p] !== opAt[d] || e.obj[p] !== objAt[d]) throw nondeterministic(m, d, p);
        let z = 0;
        if (por && d === fixed - 1) z = childSleep(d, p);
        if (por) bookkeep(p, d);
        e.execute(p);
        steps++;
        if (por) {
          joinReleased(p);
          if (d === fixed - 1) {
            sleepAt[d + 1] = z;
            races(d, p);
          }
        }
        d++;
        continue;
      }
      // A state reached for the first time on this path.
      const E = e.failed >= 0 ? 0 : e.enabledMask();
      if (E === 0) {
        const outcome = tally.leaf(e, chosen, d);
        if (stopWhen?.(outcome, gradeOf(outcome, grader))) stop = true;
        break;
      }
      if (d >= b.maxSteps) {
        tally.cut++;
        cutHere = true;
        break;
      }
      enabledAt[d] = E;
      let p: number;
      if (d < prefix.length) {
        p = prefix[d];
        if (!(E & (1 << p))) throw prefixDoesNotFit(m, e, prefix, d);
        bt[d] = doneAt[d] = 1 << p;
      } else if (por) {
        const cand = E & ~sleepAt[d];
        if (cand === 0) {
          tally.pruned++;
          break;
        }
        p = 31 - Math.clz32(cand & -cand);
        bt[d] = doneAt[d] = 1 << p;
      } else {
        p = 31 - Math.clz32(E & -E);
        bt[d] = E;
        doneAt[d] = 1 << p;
      }
      chosen[d] = p;
      opAt[d] = e.op[p];
      objAt[d] = e.obj[p];
      if (por) {
        sleepAt[d + 1] = d < prefix.length ? 0 : childSleep(d, p);
        bookkeep(p, d);
      }
      e.execute(p);
      steps++;
      if (por) {
        joinReleased(p);
        races(d, p);
      }
      d++;
      if ((steps & 0x1fff) === 0 && performance.now() - t0 > b.maxMs) {
        bound = { kind: "time", limit: b.maxMs, message: boundMessage("time", b.maxMs, false) };
        break;
      }
    }
    if (cutHere && !bound) bound = { kind: "steps", limit: b.maxSteps, message: boundMessage("steps", b.maxSteps, false) };
    if (bound?.kind === "time" || stop) break;
    if (tally.schedules + tally.cut + tally.pruned >= b.maxSchedules) {
      bound = { kind: "schedules", limit: b.maxSchedules, message: boundMessage("schedules", b.maxSchedules, false) };
      break;
    }
    if (performance.now() - t0 > b.maxMs) {
      bound = { kind: "time", limit: b.maxMs, message: boundMessage("time", b.maxMs, false) };
      break;
    }
    // Backtrack: the deepest depth with a thread still to try.
    let next = -1;
    for (let dd = d - 1; dd >= prefix.length; dd--) {
      const cand = bt[dd] & ~doneAt[dd] & ~(por ? sleepAt[dd] : 0);
      if (cand) {
        const p = 31 - Math.clz32(cand & -cand);
        doneAt[dd] |= 1 << p;
        chosen[dd] = p;
        next = dd;
        break;
      }
    }
    if (next < 0) break;
    fixed = next + 1;
    opAt[next] = -1; // the new choice's step is read from the engine when the replay reaches it
  }
  const { outcomes, deadlocks } = tally.rows();
  return {
    model: m.name,
    mode: "exhaustive",
    reduction: por ? "por" : "none",
    schedules: tally.schedules,
    interleavings: por || bound !== null || stop ? null : tally.schedules,
    cut: tally.cut,
    pruned: tally.pruned,
    steps,
    outcomes,
    deadlocks,
    complete: bound === null && !stop,
    bound,
    prefix: prefix.slice(),
    ms: performance.now() - t0,
  };
}

function nondeterministic(m: Model, d: number, p: number): ExploreInputError {
  return new ExploreInputError(
    `model "${m.name}" is not deterministic: running the same schedule again, thread t${p} did something else at step ${d} than the first time. ` +
      `A thread's code may depend only on its argument and on the results of its steps (no Math.random, no clock, no state kept outside the model between runs)`,
  );
}

function prefixDoesNotFit(m: Model, e: Engine, prefix: number[], d: number): ExploreInputError {
  const can = [];
  for (let t = 0; t < m.n; t++) if (e.isEnabled(t)) can.push(`t${t}`);
  const p = prefix[d];
  const why = e.status[p] === DONE ? "has finished" : e.status[p] === FAILED ? "has failed" : `is blocked (${e.blockedOn(p)?.why ?? "cannot move"})`;
  return new ExploreInputError(
    `explore: prefix[${d}] = ${p} does not fit the program: at step ${d} thread t${p} ${why}; threads that can move: ${can.join(", ") || "none"}`,
  );
}

// ---- State hashing --------------------------------------------------------------------------

/**
 * Per state: the number of schedules from it to each end state, as pairs
 * [end id, count, end id, count, …] (an end id names an outcome, or a deadlock
 * state, see `ends`). Most states lead to one or two ends.
 */
type Counts = number[];

function addCounts(into: Counts, from: Counts): void {
  for (let i = 0; i < from.length; i += 2) {
    const id = from[i];
    let j = 0;
    while (j < into.length && into[j] !== id) j += 2;
    if (j < into.length) into[j + 1] += from[i + 1];
    else into.push(id, from[i + 1]);
  }
}

/**
 * Visited states: an open-addressing table keyed by the state's three 32-bit hash
 * lanes (96 bits), on typed arrays so that 10^5–10^6 states cost little to keep.
 */
class StateTable {
  private a: Int32Array;
  private b: Int32Array;
  private c: Int32Array;
  private used: Uint8Array;
  private vals: (Counts | undefined)[];
  size = 0;
  constructor(private cap = 1 << 14) {
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.c = new Int32Array(cap);
    this.used = new Uint8Array(cap);
    this.vals = new Array(cap);
  }
  private slot(a: number, b: number, c: number): number {
    const mask = this.cap - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while (this.used[i] && (this.a[i] !== a || this.b[i] !== b || this.c[i] !== c)) i = (i + 1) & mask;
    return i;
  }
  get(a: number, b: number, c: number): Counts | undefined {
    const i = this.slot(a, b, c);
    return this.used[i] ? this.vals[i] : undefined;
  }
  set(a: number, b: number, c: number, v: Counts): void {
    if ((this.size + 1) * 2 > this.cap) this.grow();
    const i = this.slot(a, b, c);
    if (!this.used[i]) {
      this.used[i] = 1;
      this.a[i] = a;
      this.b[i] = b;
      this.c[i] = c;
      this.size++;
    }
    this.vals[i] = v;
  }
  private grow(): void {
    const { a, b, c, used, vals } = this;
    this.cap *= 2;
    this.a = new Int32Array(this.cap);
    this.b = new Int32Array(this.cap);
    this.c = new Int32Array(this.cap);
    this.used = new Uint8Array(this.cap);
    this.vals = new Array(this.cap);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.set(a[i], b[i], c[i], vals[i]!);
  }
}

/**
 * Depth-first search over states. A state is hashed (engine.stateHash) when first
 * reached; a state seen before is not explored again, its counts are reused. The
 * program ends, so the states form a DAG, and the number of schedules from a state
 * to each end is the sum over its successors: at the root, exactly the counts
 * "none" gives, from one run per transition instead of one per schedule.
 */
function stateful(m: Model, e: Engine, opts: ExploreOptions, b: { maxSteps: number; maxSchedules: number; maxMs: number }, t0: number): ExploreResult {
  const prefix = opts.prefix ?? [];
  const grader = opts.grade ?? m.grader;
  const stopWhen = opts.stopWhen;
  e.hashing = true;
  const seen = new StateTable();
  // End states: an outcome string, or "\u0001" + a deadlock's key; with the first path to each.
  const ends: string[] = [];
  const endId = new Map<string, number>();
  const firstPath: number[][] = [];
  const deadlockInfoOf = new Map<number, { blocked: string[]; graph: WaitGraph }>();
  const N = b.maxSteps + 1;
  const chosen = new Uint8Array(N);
  // The stack of states being explored, by depth: hash lanes, threads left to try, counts so far.
  const fa = new Int32Array(N),
    fb = new Int32Array(N),
    fc = new Int32Array(N),
    remaining = new Int32Array(N);
  const acc: Counts[] = new Array(N);
  let top = -1;
  let steps = 0,
    leaves = 0,
    cut = 0;
  let bound: ExploreResult["bound"] = null;
  let stop = false;
  // Enters the state the engine stands in at depth d: its counts when it ends here, else null (pushed).
  const enter = (d: number): Counts | null => {
    const E = e.failed >= 0 ? 0 : e.enabledMask();
    if (E === 0) {
      leaves++;
      let end: string;
      if (e.failed >= 0) {
        const err = e.errors[e.failed]!;
        end = `error: t${e.failed} ${err.name}: ${err.message}`;
      } else if (e.allDone()) end = outcomeOf(m, e);
      else end = `\u0001${e.stateKey()}`;
      let id = endId.get(end);
      if (id === undefined) {
        id = ends.length;
        ends.push(end);
        endId.set(end, id);
        firstPath.push(Array.from(chosen.subarray(0, d)));
        if (end.charCodeAt(0) === 1) deadlockInfoOf.set(id, deadlockInfo(e));
      }
      const outcome = end.charCodeAt(0) === 1 ? "deadlock" : end;
      if (stopWhen?.(outcome, gradeOf(outcome, grader))) stop = true;
      return [id, 1];
    }
    if (d >= b.maxSteps) {
      cut++;
      bound ??= { kind: "steps", limit: b.maxSteps, message: boundMessage("steps", b.maxSteps, false) };
      return [];
    }
    top = d;
    fa[d] = e.hashA;
    fb[d] = e.hashB;
    fc[d] = e.hashC;
    if (d < prefix.length) {
      if (!(E & (1 << prefix[d]))) throw prefixDoesNotFit(m, e, prefix, d);
      remaining[d] = 1 << prefix[d];
    } else remaining[d] = E;
    acc[d] = [];
    return null;
  };

  e.reset();
  e.stateHash();
  let live = true; // the engine stands in the top state
  let rootCounts: Counts | null = enter(0);
  while (top >= 0 && !stop) {
    const d = top;
    if (remaining[d] === 0) {
      seen.set(fa[d], fb[d], fc[d], acc[d]);
      top--;
      if (top >= 0) addCounts(acc[top], acc[d]);
      else rootCounts = acc[d];
      live = false;
      continue;
    }
    const r = remaining[d];
    const p = 31 - Math.clz32(r & -r);
    remaining[d] = r & (r - 1);
    if (!live) {
      // Back to this state: run the program again along the path to it.
      e.reset();
      for (let i = 0; i < d; i++) e.execute(chosen[i]);
      steps += d;
      e.stateHash();
      if (e.hashA !== fa[d] || e.hashB !== fb[d] || e.hashC !== fc[d]) throw nondeterministic(m, d, chosen[Math.max(0, d - 1)]);
    }
    chosen[d] = p;
    e.execute(p);
    steps++;
    e.stateHash();
    const known = seen.get(e.hashA, e.hashB, e.hashC);
    if (known) {
      addCounts(acc[d], known);
      live = false;
    } else {
      const ended = enter(d + 1);
      if (ended) {
        seen.set(e.hashA, e.hashB, e.hashC, ended);
        addCounts(acc[d], ended);
        live = false;
      } else live = true;
    }
    if ((steps & 0x3ff) < 64 && performance.now() - t0 > b.maxMs) {
      bound = { kind: "time", limit: b.maxMs, message: boundMessage("time", b.maxMs, false) };
      break;
    }
    if (leaves + cut >= b.maxSchedules) {
      bound = { kind: "schedules", limit: b.maxSchedules, message: boundMessage("schedules", b.maxSchedules, false) };
      break;
    }
  }
  e.hashing = false;
  const complete = bound === null && !stop && top < 0;
  // A partial search has no root counts: report what the unfinished states gathered.
  const counts: Counts = [];
  if (rootCounts && complete) addCounts(counts, rootCounts);
  else for (let d = 0; d <= top; d++) addCounts(counts, acc[d]);
  let total = 0;
  for (let i = 1; i < counts.length; i += 2) total += counts[i];
  const byOutcome = new Map<string, { count: number; schedule: number[] }>();
  const deadlocks: DeadlockRow[] = [];
  for (let i = 0; i < counts.length; i += 2) {
    const id = counts[i],
      n = counts[i + 1],
      end = ends[id];
    const outcome = end.charCodeAt(0) === 1 ? "deadlock" : end;
    const path = firstPath[id];
    const r = byOutcome.get(outcome);
    if (r) {
      r.count += n;
      if (path.length < r.schedule.length) r.schedule = path;
    } else byOutcome.set(outcome, { count: n, schedule: path });
    if (outcome === "deadlock") deadlocks.push({ key: end.slice(1), ...deadlockInfoOf.get(id)!, count: n, schedule: path });
  }
  const outcomes: OutcomeRow[] = [...byOutcome].map(([outcome, r]) => ({
    outcome,
    count: r.count,
    share: total ? r.count / total : 0,
    grade: gradeOf(outcome, grader),
    schedule: r.schedule,
  }));
  outcomes.sort(compareOutcomes);
  deadlocks.sort((x, y) => x.schedule.length - y.schedule.length || (x.key < y.key ? -1 : 1));
  return {
    model: m.name,
    mode: "exhaustive",
    reduction: "states",
    schedules: leaves,
    interleavings: complete ? total : null,
    states: seen.size,
    cut,
    pruned: 0,
    steps,
    outcomes,
    deadlocks,
    complete,
    bound,
    prefix: prefix.slice(),
    ms: performance.now() - t0,
  };
}

// ---- Sampling -------------------------------------------------------------------------------

/** Chooses threads for one sampled schedule. */
interface Chooser {
  pick(E: number, d: number): number;
}

class RandomChooser implements Chooser {
  constructor(private readonly rng: SampleRng) {}
  pick(E: number): number {
    let k = this.rng.int(popcount(E));
    let m = E;
    while (k-- > 0) m &= m - 1;
    return 31 - Math.clz32(m & -m);
  }
}

/**
 * PCT: each thread gets a random distinct priority; at `depth − 1` change points,
 * drawn from the schedule's first `length` steps, the thread about to run drops
 * below everyone. The highest-priority thread that can move runs.
 */
class PctChooser implements Chooser {
  private readonly prio: number[];
  private readonly changes: Set<number>;
  private low = 0;
  constructor(rng: SampleRng, n: number, depth: number, length: number) {
    const ids = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    this.prio = new Array(n);
    for (let i = 0; i < n; i++) this.prio[ids[i]] = depth + i;
    this.changes = new Set();
    const want = Math.min(depth - 1, Math.max(0, length - 1));
    while (this.changes.size < want) this.changes.add(1 + rng.int(Math.max(1, length - 1)));
  }
  pick(E: number, d: number): number {
    let best = -1;
    for (let m = E; m; m &= m - 1) {
      const t = 31 - Math.clz32(m & -m);
      if (best < 0 || this.prio[t] > this.prio[best]) best = t;
    }
    if (this.changes.has(d) && (E & (E - 1)) !== 0) {
      this.prio[best] = this.low--;
      return this.pick(E, -1);
    }
    return best;
  }
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

/** The schedule length PCT draws change points from: a run that always takes the lowest thread id. */
export function pctLength(e: Engine, maxSteps: number): number {
  e.reset();
  let d = 0;
  while (d < maxSteps && e.failed < 0) {
    const E = e.enabledMask();
    if (!E) break;
    e.execute(31 - Math.clz32(E & -E));
    d++;
  }
  return Math.max(1, d);
}

function chooserFor(m: Model, opts: ExploreOptions, seed: number, length: number): Chooser {
  const rng = new SampleRng(seed);
  return opts.strategy === "pct" ? new PctChooser(rng, m.n, opts.pctDepth ?? 3, length) : new RandomChooser(rng);
}

function sampleRun(m: Model, e: Engine, opts: ExploreOptions, b: { maxSteps: number; maxSchedules: number; maxMs: number }, t0: number): ExploreResult {
  const seed = opts.seed ?? 1;
  const count = Math.min(opts.sample!, b.maxSchedules);
  const prefix = opts.prefix ?? [];
  const tally = new Tally(m, opts.grade ?? m.grader);
  const grader = opts.grade ?? m.grader;
  const path = new Uint8Array(b.maxSteps + 1);
  const length = opts.strategy === "pct" ? pctLength(e, b.maxSteps) : 0;
  let steps = 0;
  let bound: ExploreResult["bound"] = null;
  let stop = false;
  for (let i = 0; i < count && !stop; i++) {
    const s = sampleSeed(seed, i);
    const r = runOne(m, e, opts, s, length, b.maxSteps, prefix, path);
    steps += r.steps;
    if (r.cut) {
      tally.cut++;
      bound ??= { kind: "steps", limit: b.maxSteps, message: boundMessage("steps", b.maxSteps, true) };
    } else {
      const outcome = tally.leaf(e, path, r.steps, s);
      if (opts.stopWhen?.(outcome, gradeOf(outcome, grader))) stop = true;
    }
    if (performance.now() - t0 > b.maxMs && i + 1 < count) {
      bound = { kind: "time", limit: b.maxMs, message: boundMessage("time", b.maxMs, true) };
      break;
    }
  }
  if (!bound && count < opts.sample!) bound = { kind: "schedules", limit: b.maxSchedules, message: boundMessage("schedules", b.maxSchedules, true) };
  const { outcomes, deadlocks } = tally.rows();
  return {
    model: m.name,
    mode: "sample",
    reduction: "none",
    strategy: opts.strategy ?? "random",
    seed,
    ...(opts.strategy === "pct" ? { pct: { depth: opts.pctDepth ?? 3, length } } : {}),
    schedules: tally.schedules,
    interleavings: null,
    cut: tally.cut,
    pruned: 0,
    steps,
    outcomes,
    deadlocks,
    complete: false,
    bound,
    prefix: prefix.slice(),
    ms: performance.now() - t0,
  };
}

/** Runs one sampled schedule with the given sample seed into `path`; the engine is left in its last state. */
function runOne(
  m: Model,
  e: Engine,
  opts: ExploreOptions,
  seed: number,
  length: number,
  maxSteps: number,
  prefix: number[],
  path: Uint8Array,
): { steps: number; cut: boolean } {
  const ch = chooserFor(m, opts, seed, length);
  e.reset();
  let d = 0;
  for (;;) {
    const E = e.failed >= 0 ? 0 : e.enabledMask();
    if (E === 0) return { steps: d, cut: false };
    if (d >= maxSteps) return { steps: d, cut: true };
    let p: number;
    if (d < prefix.length) {
      p = prefix[d];
      if (!(E & (1 << p))) throw prefixDoesNotFit(m, e, prefix, d);
    } else p = ch.pick(E, d);
    path[d] = p;
    e.execute(p);
    d++;
  }
}

/**
 * The schedule of one sample, from its seed (as reported in an OutcomeRow or
 * DeadlockRow): the same strategy options give the same schedule.
 */
export function sampleSchedule(m: Model, seed: number, opts: Pick<ExploreOptions, "strategy" | "pctDepth" | "maxSteps" | "prefix"> = {}): number[] {
  checkOpts(m, opts);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new ExploreInputError(`sampleSchedule: seed must be a whole number from 0 to 2^32 − 1, got ${describe(seed)}`);
  const e = new Engine(m);
  const maxSteps = opts.maxSteps ?? DEFAULTS.maxSteps;
  return guarded(e, DEFAULTS.maxMs, `sampleSchedule "${m.name}"`, () => {
    const length = opts.strategy === "pct" ? pctLength(e, maxSteps) : 0;
    const path = new Uint8Array(maxSteps + 1);
    const r = runOne(m, e, opts, seed, length, maxSteps, opts.prefix ?? [], path);
    return Array.from(path.subarray(0, r.steps));
  });
}

/** Outcome counts of a result, `{ outcome: schedules }`, for outcomesChart. */
export function outcomeCounts(r: ExploreResult): Record<string, number> {
  return Object.fromEntries(r.outcomes.map((o) => [o.outcome, o.count]));
}
