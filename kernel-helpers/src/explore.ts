// The schedule explorer from a cell (src/explore has the contract):
//   const m = model({ name, shared: { balance: 100, lock: sim.mutex() }, threads: [stingy, spendy], … });
//   const r = await explore(m);                 // outcome table (JCStress style) + outcome chart
//   await replay(m, r.outcomes[0].schedule);    // one schedule as lanes, the deciding step in red
//   const game = stepper(m); await game.step(1) // you are the scheduler; the board updates in place
// Re-exported from index.ts.
import {
  exploreModel,
  replaySchedule,
  scheduleData,
  Stepper,
  outcomeCounts,
  ExploreInputError,
  type ExploreOptions,
  type ExploreResult,
  type Model,
  type OutcomeGrader,
  type ReplayResult,
  type StepperView,
} from "../../src/explore";
import { outcomesChart, scheduleChart, type Chart, type ScheduleData, type ScheduleOptions } from "../../src/charts";
import { displayBundle, inKernel, liveChart, show, waitFor, type LiveChart } from "./charts";

// The explorer's public API, as src/explore's index lists it; this module adds
// only what needs a notebook: the outcome table and chart, replay's lanes, the
// deadlock's graph and the stepper's board.
export * from "../../src/explore";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const GRADE_BG: Record<string, string> = { expected: "#e3f1df", acceptable: "#fbf3d5", forbidden: "#f9dcdc" };
const fmtInt = (n: number) => n.toLocaleString("en");
const pct = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.001 ? 4 : x < 0.1 ? 2 : 1)}%`;

// tslab prints a cell's last value: keep results to one line there.
function quiet<T extends object>(value: T, line: string): T {
  Object.defineProperty(value, Symbol.for("nodejs.util.inspect.custom"), { value: () => line, enumerable: false, configurable: true });
  return value;
}

function checkModel(m: unknown, fn: string): Model {
  if (!m || typeof m !== "object" || !("objects" in m) || !("bodies" in m)) {
    throw new ExploreInputError(
      `${fn}: the first argument must be a model, made with model({ name, shared, threads, … }) or taken from models (models.lostUpdate({ k: 2 })); got ${m === null ? "null" : typeof m}`,
    );
  }
  return m as Model;
}

/** One line: what was explored, how, how long; and the bound when one stopped it. */
export function summaryLine(r: ExploreResult): string {
  const how =
    r.mode === "sample"
      ? `${fmtInt(r.schedules)} sampled schedules (${r.strategy}, seed ${r.seed})`
      : r.reduction === "states"
        ? `${r.interleavings !== null ? `all ${fmtInt(r.interleavings)} schedules, counted over ${fmtInt(r.states ?? 0)} states` : `${fmtInt(r.states ?? 0)} states`} (state hashing, ${fmtInt(r.steps)} steps run)`
        : r.reduction === "por"
          ? `${fmtInt(r.schedules)} schedules, one for each class of reorderings of independent steps (partial-order reduction)`
          : `every one of ${fmtInt(r.schedules)} schedules`;
  const dl = r.deadlocks.length ? ` · ${r.deadlocks.length} deadlock state${r.deadlocks.length > 1 ? "s" : ""}` : "";
  return `${r.model}: ${how} · ${r.outcomes.length} outcome${r.outcomes.length === 1 ? "" : "s"}${dl} · ${(r.ms / 1000).toFixed(2)} s${r.complete ? "" : ` · PARTIAL: ${r.bound?.message ?? "a sample shows what it met, not everything"}`}`;
}

/** The outcome table as a mime bundle (HTML and text): outcome, schedules, share, grade, a schedule to it. */
export function outcomeTable(r: ExploreResult): { [mime: string]: string } {
  const rows = r.outcomes.map((o) => ({ ...o, example: `[${o.schedule.join(", ")}]` }));
  const head = summaryLine(r);
  const html = [
    `<div class="interleave-explore" style="font:13px sans-serif">`,
    `<div style="margin:4px 0${r.complete ? "" : ";color:#b00020"}">${esc(head)}</div>`,
    `<table style="border-collapse:collapse;font:12px sans-serif"><thead><tr>`,
    ...["outcome", "schedules", "share", "grade", "a schedule to it (thread ids)"].map(
      (h) => `<th style="text-align:left;padding:2px 8px;border-bottom:1px solid #999">${h}</th>`,
    ),
    `</tr></thead><tbody>`,
    ...rows.map(
      (o) =>
        `<tr style="background:${GRADE_BG[o.grade]}"><td style="padding:2px 8px"><b>${esc(o.outcome)}</b></td><td style="padding:2px 8px;text-align:right">${fmtInt(o.count)}</td><td style="padding:2px 8px;text-align:right">${pct(o.share)}</td><td style="padding:2px 8px">${o.grade}</td><td style="padding:2px 8px;font-family:monospace">${esc(o.example.length > 90 ? `${o.example.slice(0, 88)}…]` : o.example)}</td></tr>`,
    ),
    `</tbody></table>`,
    ...r.deadlocks
      .slice(0, 5)
      .map(
        (d) =>
          `<div style="margin-top:4px;color:#b00020">deadlock after ${d.schedule.length} steps [${d.schedule.join(", ")}]: ${esc(d.blocked.join("; "))}</div>`,
      ),
    `</div>`,
  ].join("");
  const width = Math.max(7, ...rows.map((o) => o.outcome.length));
  const text = [
    head,
    `${"outcome".padEnd(width)}  ${"schedules".padStart(12)}  ${"share".padStart(9)}  grade       schedule`,
    ...rows.map((o) => `${o.outcome.padEnd(width)}  ${fmtInt(o.count).padStart(12)}  ${pct(o.share).padStart(9)}  ${o.grade.padEnd(10)}  ${o.example}`),
    ...r.deadlocks.slice(0, 5).map((d) => `deadlock after ${d.schedule.length} steps [${d.schedule.join(", ")}]: ${d.blocked.join("; ")}`),
  ].join("\n");
  return { "text/html": html, "text/plain": text };
}

export interface ExploreShowOptions extends ExploreOptions {
  /** Draw the outcome chart under the table (default true). */
  chart?: boolean;
  /** Title of the outcome chart. */
  title?: string;
}

/**
 * Explores a model (every schedule by default, counted with state hashing; see
 * ExploreOptions for "por", "none" and sampling) and shows the outcome table and
 * the outcome chart. Resolves with the result: `r.outcomes[i].schedule` replays
 * with `replay(m, …)`, `r.deadlocks[i].graph` draws with `waitFor(…)`.
 */
export async function explore(m: Model, opts: ExploreShowOptions = {}): Promise<ExploreResult> {
  checkModel(m, "explore");
  const { chart = true, title, ...o } = opts ?? {};
  const r = exploreModel(m, o);
  const grader: OutcomeGrader = Object.fromEntries(r.outcomes.map((x) => [x.outcome, x.grade]));
  if (!displayBundle(outcomeTable(r))) console.log(outcomeTable(r)["text/plain"]);
  else if (chart && r.outcomes.length) {
    const counted = r.mode === "sample" ? "sampled schedules" : r.reduction === "por" ? "schedules run (one per class)" : "schedules";
    await show(
      outcomesChart(outcomeCounts(r), grader, {
        title: title ?? `${r.model}: outcomes of ${r.mode === "sample" ? "a sample of" : "all"} ${counted}`,
        valueLabel: "outcome",
      }),
    );
  }
  return quiet(r, `[explored: ${summaryLine(r)}]`);
}

/**
 * Re-runs one schedule (thread ids, one per step) and draws it as lanes, with the
 * state after each step and, when the outcome is forbidden, the step after which
 * it was certain (decisive: false skips that search). Resolves with the replay.
 */
export async function replay(m: Model, schedule: number[], opts: { decisive?: boolean; grade?: OutcomeGrader; title?: string } = {}): Promise<ReplayResult> {
  checkModel(m, "replay");
  const r = replaySchedule(m, schedule, { decisive: opts.decisive ?? true, grade: opts.grade });
  await schedule_(r, { title: opts.title });
  return quiet(r, `[replayed ${r.steps.length} steps: ${r.outcome ?? r.status}]`);
}

/** Draws a schedule as lanes: a replay, a stepper's view, or ScheduleData. */
export function schedule(data: ReplayResult | StepperView | ScheduleData, opts?: ScheduleOptions): Promise<Chart> {
  return schedule_(data, opts);
}
function schedule_(data: ReplayResult | StepperView | ScheduleData, opts?: ScheduleOptions): Promise<Chart> {
  const d = "initial" in data && "schedule" in data ? scheduleData(data as ReplayResult) : (data as ScheduleData);
  return show(scheduleChart(d, opts));
}

/** Shows a deadlock: its wait-for graph, then the schedule that leads to it as lanes. */
export async function deadlock(m: Model, r: ExploreResult, index = 0): Promise<ReplayResult> {
  checkModel(m, "deadlock");
  const d = r?.deadlocks?.[index];
  if (!d) throw new ExploreInputError(`deadlock(m, r, ${index}): the result has ${r?.deadlocks?.length ?? 0} deadlock${r?.deadlocks?.length === 1 ? "" : "s"}`);
  await waitFor(d.graph as never, { title: `${r.model}: who waits for whom` });
  return replay(m, d.schedule, { decisive: false, title: `The ${d.schedule.length} steps to the deadlock` });
}

/** The board of a game: the lanes so far plus a "next" column of what each thread would do. */
function boardData(v: StepperView): ScheduleData {
  return {
    ...scheduleData(v),
    next: v.status === "running" || v.status === "deadlock" ? v.threads.map((t) => ({ thread: `t${t.id}`, label: t.next, state: t.state })) : undefined,
  };
}

/** A stepper with a board that updates in place: see stepper(). */
export class Game {
  readonly stepper: Stepper;
  #boards: LiveChart[] = [];
  #last: Promise<unknown> = Promise.resolve();
  constructor(m: Model, opts: { grade?: OutcomeGrader } = {}) {
    this.stepper = new Stepper(m, opts);
  }
  get model(): Model {
    return this.stepper.model;
  }
  get canMove(): number[] {
    return this.stepper.canMove;
  }
  get status() {
    return this.stepper.status;
  }
  get schedule(): number[] {
    return this.stepper.schedule;
  }
  view(): StepperView {
    return this.stepper.view();
  }
  text(): string {
    return this.stepper.text();
  }

  /** Opens a board in this cell (a display that later steps update in place). */
  show(): Promise<Game> {
    if (!inKernel()) {
      console.log(this.text());
      return Promise.resolve(this);
    }
    const board = liveChart();
    board.text(this.text()); // appears now, in this cell; the drawing replaces it
    this.#boards.push(board);
    return this.#redraw();
  }

  #redraw(): Promise<Game> {
    const v = this.view();
    const title = `${v.model} · step ${v.schedule.length} · ${v.message}`;
    const next = this.#last.then(() => Promise.all(this.#boards.map((b) => b.show(scheduleChart(boardData(v), { title })))));
    this.#last = next.catch(() => undefined);
    return next.then(() => quiet(this, `[game: ${v.message}]`));
  }

  /**
   * Moves the given threads, one step each, in order (`step(1)`, `step(0, 0, 1)`),
   * prints what each did, and updates the board. A thread that cannot move is an
   * ExploreInputError that says why and who can.
   */
  step(...threads: number[]): Promise<Game> {
    const before = this.stepper.schedule.length;
    this.stepper.step(...threads);
    const v = this.view();
    const lines = v.steps.slice(before).map((s) => `t${s.thread}: ${s.label}${s.note ? ` (${s.note})` : ""}`);
    console.log(`${lines.join("\n")}\n→ ${v.message}`);
    return this.#redraw();
  }
  /** Takes back the last n steps. */
  undo(n = 1): Promise<Game> {
    this.stepper.undo(n);
    console.log(`undone; ${this.view().message}`);
    return this.#redraw();
  }
  /** Back to the start. */
  reset(): Promise<Game> {
    this.stepper.reset();
    return this.#redraw();
  }
}

/**
 * You are the scheduler: shows the board (each thread's next step, who can move,
 * the shared values) in this cell; `await game.step(1)` runs thread 1's next step,
 * prints it, and redraws the board in place (in exported notes the board ends as
 * the whole schedule in lanes). It says when a forbidden outcome or a deadlock is
 * reached.
 */
export function stepper(m: Model, opts: { grade?: OutcomeGrader } = {}): Game {
  checkModel(m, "stepper");
  const g = new Game(m, opts);
  void g.show();
  return g;
}
