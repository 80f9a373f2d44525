// taskStream: a pool's tasks on one lane per worker — when each ran (bar) and
// how long it had waited in the queue before (thin grey bar just before it).
import type { TaskRecord } from "../trace/types";
import type { Chart } from "./types";
import { BASE_CONFIG, workerScale, compareWorkers } from "./palette";
import { r3, sum } from "./data";
import { ChartInputError, isFiniteNumber } from "./errors";
import { table, titled } from "./text";

export interface TaskStreamOptions {
  title?: string;
  /** Tasks drawn at most; above this every k-th task is drawn (default 3000). */
  maxTasks?: number;
}

/** Builds the task-stream chart of a pool. Throws ChartInputError on malformed tasks. */
export function taskStreamChart(tasks: TaskRecord[], opts: TaskStreamOptions = {}): Chart {
  if (!Array.isArray(tasks))
    throw new ChartInputError("taskStreamChart", "tasks", `is ${typeof tasks}, not an array`, "Pass the pool's task records (TaskRecord[]).");
  tasks.forEach((t, i) => {
    if (!t || typeof t.worker !== "string" || ![t.submittedAt, t.startedAt, t.endedAt].every(isFiniteNumber))
      throw new ChartInputError(
        "taskStreamChart",
        `tasks[${i}]`,
        "lacks worker/submittedAt/startedAt/endedAt",
        "Each record needs a worker label and three times in ms.",
      );
  });
  const t0 = tasks.length ? Math.min(...tasks.map((t) => t.submittedAt)) : 0;
  const end = tasks.length ? Math.max(...tasks.map((t) => t.endedAt)) : 1;
  const workers = [...new Set(tasks.map((t) => t.worker))].sort(compareWorkers);
  const maxTasks = opts.maxTasks ?? 3000;
  const step = Math.max(1, Math.ceil(tasks.length / maxTasks));
  const shown = tasks.filter((_, i) => i % step === 0);
  const notes = [`${tasks.length} tasks on ${workers.length} workers, ${r3(end - t0)} ms`];
  if (step > 1) notes.push(`every ${step}th task drawn (${shown.length} of ${tasks.length}); the table counts all`);
  const values = shown.map((t) => ({
    task: t.task,
    worker: t.worker,
    submitted: r3(t.submittedAt - t0),
    start: r3(t.startedAt - t0),
    end: r3(t.endedAt - t0),
    wait: r3(t.startedAt - t.submittedAt),
    run: r3(t.endedAt - t.startedAt),
    error: t.error ?? "",
  }));
  const title = opts.title ?? `Pool tasks per worker`;
  const y = { field: "worker", type: "nominal", sort: workers, title: "worker" };
  const x = { type: "quantitative", title: "time since first submit (ms)", scale: { domain: [0, r3(end - t0)] } };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: notes, anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    width: 700,
    height: { step: 30 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", height: 3, yOffset: 13, color: "#9a9a9a" },
        encoding: { x: { ...x, field: "submitted" }, x2: { field: "start" }, y, tooltip: [{ field: "task" }, { field: "wait", title: "queue wait (ms)" }] },
      },
      {
        mark: { type: "bar", height: { band: 0.6 }, stroke: "white", strokeWidth: 0.5 },
        params: [{ name: "zoom", select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
        encoding: {
          x: { ...x, field: "start" },
          x2: { field: "end" },
          y,
          color: { field: "worker", type: "nominal", title: "worker", scale: workerScale(workers) },
          tooltip: [
            { field: "task" },
            { field: "worker" },
            { field: "run", title: "run (ms)" },
            { field: "wait", title: "queue wait (ms)" },
            { field: "error" },
          ],
        },
      },
    ],
  };
  const rows = workers.map((w) => {
    const mine = tasks.filter((t) => t.worker === w);
    const waits = mine.map((t) => t.startedAt - t.submittedAt);
    return [
      w,
      mine.length,
      r3(sum(mine.map((t) => t.endedAt - t.startedAt))),
      r3(sum(waits) / mine.length),
      r3(Math.max(...waits)),
      mine.filter((t) => t.error).length,
    ];
  });
  const text = titled(title, table(["worker", "tasks", "busy ms", "mean wait ms", "max wait ms", "errors"], rows), notes);
  return { title, spec, grammar: "vega-lite", text };
}
