// A replayed schedule as the data of the lanes chart (src/charts/schedule.ts).
import type { ScheduleData } from "../charts/schedule";
import type { ReplayResult, StepperView } from "./replay";

/** The lanes chart's data for a replay (or a stepper's view): one lane per thread, the vars after each step. */
export function scheduleData(r: ReplayResult | StepperView): ScheduleData {
  const threads =
    "threads" in r && Array.isArray(r.threads) && typeof r.threads[0] === "object"
      ? (r as StepperView).threads.map((t) => t.label)
      : (r as ReplayResult).threads;
  return {
    threads: threads.map((_, t) => `t${t}`),
    names: threads,
    steps: r.steps.map((s) => ({
      thread: `t${s.thread}`,
      label: s.label,
      values: s.vars.join(", "),
      changed: s.changed.length > 0,
      note: s.note || undefined,
    })),
    initial: r.initial.vars.join(", ") || undefined,
    mark: "decisive" in r ? r.decisive : null,
    outcome: r.outcome,
    grade: r.grade,
  };
}
