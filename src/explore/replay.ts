// Replay and stepping: run one schedule and keep the state after each step;
// find the step that made a bad outcome certain; and the you-are-the-scheduler
// stepper, where the learner picks the next thread.
import { DONE, Engine, FAILED, RUN } from "./engine";
import { ExploreInputError } from "./errors";
import { STUCK_GRACE_MS, exploreModel, gradeOf, guarded, outcomeOf } from "./explore";
import { OP, describe, show, type Grade, type Model, type OutcomeGrader } from "./model";

export interface ReplayStep {
  /** Position in the schedule, from 0. */
  index: number;
  thread: number;
  /** What the step did, in the learner's words: "read balance → 100", "lock m", "wait c". */
  label: string;
  /** The step's result as the thread received it (undefined for steps without one). */
  result: unknown;
  /** What else it did: "wakes t1", "no waiter: the notify is lost", "releases lock, sleeps". */
  note: string;
  /** The vars after the step ("balance=110"), and the primitives ("lock: held by t0"). */
  vars: string[];
  primitives: string[];
  /** Vars this step changed. */
  changed: string[];
}

export type RunStatus = "running" | "finished" | "deadlock" | "error";

export interface ReplayResult {
  model: string;
  /** Thread labels ("t0", "t0 stingy"). */
  threads: string[];
  schedule: number[];
  /** Vars and primitives before the first step. */
  initial: { vars: string[]; primitives: string[] };
  steps: ReplayStep[];
  /** "running" when the schedule stops before the program ends. */
  status: RunStatus;
  /** The outcome ("90", "deadlock", "error: …"), null while running. */
  outcome: string | null;
  grade: Grade | null;
  /** Threads that can move after the last step. */
  canMove: number[];
  /** Blocked threads after the last step and what they wait for. */
  blocked: string[];
  /** The index of the step after which the bad outcome was certain (see decisiveStep), when asked for and found. */
  decisive: number | null;
}

const RESULT_OPS = new Set<number>([OP.READ, OP.ADD, OP.CAS, OP.TRYLOCK, OP.TRYACQUIRE, OP.BWAIT, OP.GET, OP.SIZE]);

/** Performs thread t's step on the engine and describes it. */
function stepOnce(e: Engine, t: number, index: number, before: string[]): ReplayStep {
  const op = e.op[t];
  let label = e.pendingText(t);
  if (op === OP.CWAIT) label = `wait ${e.m.objects[e.obj[t]].name}`;
  if (op === OP.CREACQ) label = `woken on ${e.m.objects[e.obj[t]].name}`;
  e.execute(t);
  const result = e.lastResult;
  if (RESULT_OPS.has(op) && !(op === OP.BWAIT && e.op[t] === OP.BWAITING)) label += ` → ${show(result)}`;
  const vars = e.varsText();
  const changed = vars.filter((v, i) => v !== before[i]).map((v) => v.slice(0, v.indexOf("=")));
  return { index, thread: t, label, result, note: e.lastNote, vars, primitives: e.primitivesText(), changed };
}

function checkSchedule(m: Model, schedule: unknown, fn: string): number[] {
  if (!Array.isArray(schedule) || schedule.some((t) => !Number.isInteger(t))) {
    throw new ExploreInputError(`${fn}: schedule must be an array of thread ids (0 … ${m.n - 1}), e.g. [0, 1, 1, 0]; got ${describe(schedule)}`);
  }
  const bad = schedule.findIndex((t) => t < 0 || t >= m.n);
  if (bad >= 0) throw new ExploreInputError(`${fn}: schedule[${bad}] = ${schedule[bad]}, but "${m.name}" has threads 0 … ${m.n - 1}`);
  return schedule as number[];
}

/** Why thread t cannot move now, in words. */
function cannotMove(e: Engine, t: number): string {
  if (e.status[t] === DONE) return `t${t} has finished`;
  if (e.status[t] === FAILED) return `t${t} has failed`;
  return `t${t} is blocked: it waits to ${e.blockedOn(t)?.why ?? "move"}`;
}

function movers(e: Engine): number[] {
  const out: number[] = [];
  if (e.failed >= 0) return out;
  for (let t = 0; t < e.n; t++) if (e.isEnabled(t)) out.push(t);
  return out;
}

function statusOf(e: Engine): RunStatus {
  if (e.failed >= 0) return "error";
  if (e.allDone()) return "finished";
  return e.enabledMask() === 0 ? "deadlock" : "running";
}

function endOf(m: Model, e: Engine, grader: OutcomeGrader | undefined): { outcome: string | null; grade: Grade | null } {
  const s = statusOf(e);
  if (s === "running") return { outcome: null, grade: null };
  let outcome: string;
  if (s === "error") {
    const err = e.errors[e.failed]!;
    outcome = `error: t${e.failed} ${err.name}: ${err.message}`;
  } else outcome = s === "deadlock" ? "deadlock" : outcomeOf(m, e);
  return { outcome, grade: gradeOf(outcome, grader) };
}

function blockedList(e: Engine): string[] {
  const out: string[] = [];
  for (let t = 0; t < e.n; t++) {
    const b = e.blockedOn(t);
    if (b) out.push(`t${t} waits to ${b.why}`);
  }
  return out;
}

/**
 * Re-runs one schedule (thread ids, one per step) and returns the state after
 * each step. A schedule may stop before the program ends (status "running").
 * A schedule that does not fit (a thread that is blocked, finished or absent at
 * its step) is an ExploreInputError naming the step and the threads that could
 * move. `decisive: true` also looks for the step that made a bad outcome certain.
 */
export function replaySchedule(m: Model, schedule: number[], opts: { grade?: OutcomeGrader; decisive?: boolean } = {}): ReplayResult {
  const sched = checkSchedule(m, schedule, "replay");
  const grader = opts.grade ?? m.grader;
  const e = new Engine(m);
  const r = guarded(e, 5_000 + STUCK_GRACE_MS, `replay "${m.name}"`, () => {
    e.reset();
    const initial = { vars: e.varsText(), primitives: e.primitivesText() };
    const steps: ReplayStep[] = [];
    let before = initial.vars;
    sched.forEach((t, i) => {
      if (e.failed >= 0 || !e.isEnabled(t)) {
        const can = movers(e);
        throw new ExploreInputError(
          `replay: schedule[${i}] = ${t} does not fit "${m.name}": at step ${i} ${e.failed >= 0 ? `the run has ended (t${e.failed} failed)` : cannotMove(e, t)}; ` +
            `threads that can move there: ${can.length ? can.map((x) => `t${x}`).join(", ") : "none (the run has ended)"}`,
        );
      }
      const s = stepOnce(e, t, i, before);
      before = s.vars;
      steps.push(s);
    });
    return { initial, steps, ...endOf(m, e, grader), status: statusOf(e), canMove: movers(e), blocked: blockedList(e) };
  });
  const result: ReplayResult = {
    model: m.name,
    threads: Array.from({ length: m.n }, (_, t) => m.threadLabel(t)),
    schedule: sched.slice(),
    ...r,
    decisive: null,
  };
  if (opts.decisive && result.grade === "forbidden") result.decisive = decisiveStep(m, sched, { grade: grader });
  return result;
}

/**
 * The step after which the bad outcome could no longer be avoided: the smallest j
 * such that every schedule starting with schedule[0 … j] ends with a forbidden
 * outcome (or a deadlock). Null when the outcome is not forbidden, when every
 * schedule of the program is bad (no single step is to blame), or when the search
 * needs more than `maxMs`. Found by bisection on the prefix, each probe an
 * exploration that stops at the first good outcome.
 */
export function decisiveStep(m: Model, schedule: number[], opts: { grade?: OutcomeGrader; maxMs?: number } = {}): number | null {
  const sched = checkSchedule(m, schedule, "decisiveStep");
  const grader = opts.grade ?? m.grader;
  const end = performance.now() + (opts.maxMs ?? 3_000);
  // allBad(j): no schedule that starts with the first j steps ends well (null: unknown, out of time).
  const allBad = (j: number): boolean | null => {
    const left = end - performance.now();
    if (left <= 0) return null;
    const r = exploreModel(m, {
      reduction: "states",
      prefix: sched.slice(0, j),
      grade: grader,
      maxMs: Math.max(1, Math.floor(left)),
      stopWhen: (_, g) => g !== "forbidden",
    });
    if (r.outcomes.some((o) => o.grade !== "forbidden")) return false;
    return r.complete ? true : null;
  };
  const last = allBad(sched.length);
  if (last !== true) return null; // not a bad schedule (or unknown)
  const first = allBad(0);
  if (first !== false) return null; // every schedule is bad, or unknown
  let lo = 0,
    hi = sched.length; // allBad(lo) false, allBad(hi) true
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const v = allBad(mid);
    if (v === null) return null;
    if (v) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

export interface ThreadView {
  id: number;
  label: string;
  /** "can move", "blocked", "finished", "failed". */
  state: "can move" | "blocked" | "finished" | "failed";
  /** Its next step ("read balance"), or why it is blocked, or how it ended. */
  next: string;
}

export interface StepperView {
  model: string;
  schedule: number[];
  steps: ReplayStep[];
  initial: { vars: string[]; primitives: string[] };
  threads: ThreadView[];
  vars: string[];
  primitives: string[];
  canMove: number[];
  status: RunStatus;
  outcome: string | null;
  grade: Grade | null;
  /** One line for the learner: who can move, or how the run ended. */
  message: string;
}

/**
 * You are the scheduler (as in The Deadlock Empire): `step(1)` runs thread 1's
 * next step, `step(0, 0, 1)` several. It says which threads can move, and when a
 * forbidden outcome or a deadlock is reached. A thread that cannot move is an
 * ExploreInputError that says why and who can. `undo()` takes back steps.
 */
export class Stepper {
  readonly model: Model;
  readonly #grader: OutcomeGrader | undefined;
  readonly #e: Engine;
  #schedule: number[] = [];
  #steps: ReplayStep[] = [];
  #initial: { vars: string[]; primitives: string[] } = { vars: [], primitives: [] };

  constructor(m: Model, opts: { grade?: OutcomeGrader } = {}) {
    this.model = m;
    this.#grader = opts.grade ?? m.grader;
    this.#e = new Engine(m);
    this.reset();
  }

  #guard<T>(fn: () => T): T {
    return guarded(this.#e, STUCK_GRACE_MS, `stepper "${this.model.name}"`, fn);
  }

  /** Back to the start. */
  reset(): this {
    this.#guard(() => this.#e.reset());
    this.#schedule = [];
    this.#steps = [];
    this.#initial = { vars: this.#e.varsText(), primitives: this.#e.primitivesText() };
    return this;
  }

  /** Runs the next step of each thread given, in order. */
  step(...threads: number[]): this {
    if (threads.length === 0)
      throw new ExploreInputError(`step(): name the thread to move, e.g. step(0); can move: ${this.canMove.map((t) => `t${t}`).join(", ") || "none"}`);
    const e = this.#e,
      m = this.model;
    for (const t of threads) {
      if (!Number.isInteger(t) || t < 0 || t >= m.n) throw new ExploreInputError(`step(${describe(t)}): "${m.name}" has threads 0 … ${m.n - 1}`);
      if (e.failed >= 0 || !e.isEnabled(t)) {
        const can = movers(e);
        const st = statusOf(e);
        const why = st === "running" || st === "deadlock" ? cannotMove(e, t) : st === "finished" ? "the program has finished" : "a thread has failed";
        throw new ExploreInputError(
          `step(${t}): ${why}; ${can.length ? `can move: ${can.map((x) => `t${x}`).join(", ")}` : st === "deadlock" ? "nobody can move: deadlock" : "nobody can move"}`,
        );
      }
      const before = this.#steps.length ? this.#steps[this.#steps.length - 1].vars : this.#initial.vars;
      const s = this.#guard(() => stepOnce(e, t, this.#schedule.length, before));
      this.#schedule.push(t);
      this.#steps.push(s);
    }
    return this;
  }

  /** Takes back the last n steps (re-runs the schedule without them). */
  undo(n = 1): this {
    if (!Number.isInteger(n) || n < 0) throw new ExploreInputError(`undo(n): n must be a whole number >= 0, got ${describe(n)}`);
    const keep = this.#schedule.slice(0, Math.max(0, this.#schedule.length - n));
    this.reset();
    if (keep.length) this.step(...keep);
    return this;
  }

  get schedule(): number[] {
    return this.#schedule.slice();
  }
  get canMove(): number[] {
    return movers(this.#e);
  }
  get status(): RunStatus {
    return statusOf(this.#e);
  }

  /** Everything a display needs, as plain data. */
  view(): StepperView {
    const e = this.#e,
      m = this.model;
    const { outcome, grade } = this.#guard(() => endOf(m, e, this.#grader));
    const status = statusOf(e);
    const threads: ThreadView[] = Array.from({ length: m.n }, (_, t) => {
      const label = m.threadLabel(t);
      if (e.status[t] === DONE) return { id: t, label, state: "finished", next: "finished" };
      if (e.status[t] === FAILED) return { id: t, label, state: "failed", next: `${e.errors[t]?.name}: ${e.errors[t]?.message}` };
      if (e.status[t] === RUN && e.failed < 0 && e.isEnabled(t))
        return {
          id: t,
          label,
          state: "can move",
          next: e.op[t] === OP.CREACQ ? `wake up, take ${m.objects[m.objects[e.obj[t]].mutex].name} again` : e.pendingText(t),
        };
      return { id: t, label, state: "blocked", next: e.blockedOn(t)?.why ?? e.pendingText(t) };
    });
    const can = movers(e);
    let message: string;
    if (status === "running") message = `can move: ${can.map((t) => `t${t}`).join(", ")}`;
    else if (status === "deadlock") message = `deadlock: ${blockedList(e).join("; ")}`;
    else
      message = `${status === "error" ? "a thread failed" : "finished"}: outcome ${JSON.stringify(outcome)}, ${grade}${grade === "forbidden" ? " — a forbidden outcome" : ""}`;
    return {
      model: m.name,
      schedule: this.schedule,
      steps: this.#steps.slice(),
      initial: this.#initial,
      threads,
      vars: e.varsText(),
      primitives: e.primitivesText(),
      canMove: can,
      status,
      outcome,
      grade,
      message,
    };
  }

  /** The board as plain text. */
  text(): string {
    const v = this.view();
    const lines = [`${v.model} · step ${v.schedule.length} · ${v.message}`];
    for (const t of v.threads) lines.push(`  ${t.label.padEnd(14)} ${t.state.padEnd(9)} ${t.next}`);
    lines.push(`  shared: ${[...v.vars, ...v.primitives].join(", ") || "(none)"}`);
    if (v.schedule.length) lines.push(`  schedule: [${v.schedule.join(", ")}]`);
    return lines.join("\n");
  }
}
