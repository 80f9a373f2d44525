// schedule: one schedule of a concurrent program as lanes (as TLA+ draws error
// traces): a lane per thread, a column per step, the step's text in its thread's
// lane and colour, the shared values after each step in a lane of their own, and
// the step after which the bad outcome was certain marked in red.
import type { Chart } from "./types";
import { BASE_CONFIG, GRADE_COLORS, workerColor, compareWorkers } from "./palette";
import { ChartInputError } from "./errors";
import { table, titled } from "./text";

/** One step of a schedule. */
export interface ScheduleStep {
  /** The thread that moved, a worker label ("t0"). */
  thread: string;
  /** What it did: "read balance → 100". */
  label: string;
  /** The shared values after the step ("balance=110"). */
  values?: string;
  /** True when the step changed a shared value (drawn bold). */
  changed?: boolean;
  /** What else happened ("wakes t1"). */
  note?: string;
}

export interface ScheduleData {
  /** Lanes, top to bottom (worker labels, "t0" …). */
  threads: string[];
  /** Names shown for the lanes (default: the labels), e.g. "t0 stingy". */
  names?: string[];
  steps: ScheduleStep[];
  /** The shared values before the first step. */
  initial?: string;
  /** Index of the step to mark (the one that decided the bad outcome), or null. */
  mark?: number | null;
  /** How the schedule ended, and its grade. */
  outcome?: string | null;
  grade?: "expected" | "acceptable" | "forbidden" | null;
  /** A last column "next": what each thread would do now, and whether it can (a stepper's board). */
  next?: { thread: string; label: string; state: "can move" | "blocked" | "finished" | "failed" }[];
}

export interface ScheduleOptions {
  title?: string;
  /** Steps drawn at most (default 80); a longer schedule shows its last ones and says so. */
  maxSteps?: number;
}

const MARK_RED = "#d62728";
const SHARED = "shared";

/** Builds the lanes chart of one schedule. Throws ChartInputError on malformed data. */
export function scheduleChart(data: ScheduleData, opts: ScheduleOptions = {}): Chart {
  if (!data || typeof data !== "object" || !Array.isArray(data.threads) || !Array.isArray(data.steps))
    throw new ChartInputError(
      "scheduleChart",
      "data",
      "has no `threads` and `steps` arrays",
      "Pass { threads: ['t0', 't1'], steps: [{ thread: 't0', label: 'read x → 0' }, …] } (replay(…) gives one).",
    );
  if (data.threads.length === 0 || data.threads.some((t) => typeof t !== "string" || t === ""))
    throw new ChartInputError("scheduleChart", "data.threads", "must be non-empty worker labels", "List the lanes, e.g. ['t0', 't1'].");
  if (new Set(data.threads).size !== data.threads.length)
    throw new ChartInputError("scheduleChart", "data.threads", "has a label twice", "Give each thread one lane.");
  if (data.names && (!Array.isArray(data.names) || data.names.length !== data.threads.length))
    throw new ChartInputError(
      "scheduleChart",
      "data.names",
      `has ${Array.isArray(data.names) ? data.names.length : "no"} names for ${data.threads.length} lanes`,
      "Give one name per lane, or leave names out.",
    );
  data.steps.forEach((s, i) => {
    if (!s || typeof s.label !== "string" || !data.threads.includes(s.thread))
      throw new ChartInputError(
        "scheduleChart",
        `data.steps[${i}]`,
        `is ${JSON.stringify(s)}`,
        `Each step needs a label and a thread among ${data.threads.join(", ")}.`,
      );
  });
  const mark = data.mark ?? null;
  if (mark !== null && (!Number.isInteger(mark) || mark < 0 || mark >= data.steps.length))
    throw new ChartInputError("scheduleChart", "data.mark", `is ${JSON.stringify(mark)}`, `Mark a step index from 0 to ${data.steps.length - 1}, or null.`);
  const maxSteps = opts.maxSteps ?? 80;
  const first = Math.max(0, data.steps.length - maxSteps);
  const shown = data.steps.slice(first);
  const names = data.names ?? data.threads;
  const laneName = new Map(data.threads.map((t, i) => [t, names[i]]));
  const lanes = [...names, SHARED];
  const n = shown.length;
  // Narrower columns and shorter text as schedules grow.
  const colW = n <= 12 ? 100 : n <= 24 ? 86 : n <= 40 ? 62 : 44;
  const font = colW >= 86 ? 10 : colW >= 62 ? 9 : 8;
  const maxChars = Math.floor((colW - 6) / (font * 0.55));
  const cut = (s: string) => (s.length <= maxChars ? s : `${s.slice(0, Math.max(1, maxChars - 1))}…`);
  // Two lines per cell: what was done, then its result or note.
  const twoLines = (s: string): string[] => {
    const arrow = s.search(/ [→←] /);
    if (arrow > 0) return [cut(s.slice(0, arrow)), cut(s.slice(arrow + 1))];
    if (s.length > maxChars) {
      const sp = s.lastIndexOf(" ", maxChars);
      if (sp > 0) return [cut(s.slice(0, sp)), cut(s.slice(sp + 1))];
    }
    return [cut(s)];
  };
  const cells = shown.map((s, k) => {
    const i = first + k;
    const note = s.note ? cut(s.note) : "";
    return {
      step: String(i + 1),
      lane: laneName.get(s.thread)!,
      thread: s.thread,
      text: [...twoLines(s.label), ...(note ? [note] : [])],
      tip: `${s.thread}: ${s.label}${s.note ? ` (${s.note})` : ""}`,
      marked: i === mark,
    };
  });
  const shared = shown.map((s, k) => ({
    step: String(first + k + 1),
    lane: SHARED,
    text: (s.values ?? "").split(", ").map(cut),
    bold: !!s.changed,
    tip: s.values ?? "",
  }));
  const next = (data.next ?? []).filter((x) => data.threads.includes(x.thread));
  const nextCells = next.map((x) => ({
    step: "next",
    lane: laneName.get(x.thread)!,
    thread: x.thread,
    state: x.state,
    text: x.state === "can move" ? twoLines(x.label) : [x.state, ...twoLines(x.label)].slice(0, 3),
    tip: `${x.thread} ${x.state}: ${x.label}`,
  }));
  const stepOrder: string[] = shown.map((_, k) => String(first + k + 1));
  if (nextCells.length) stepOrder.push("next");
  const x = { field: "step", type: "ordinal", sort: stepOrder, title: "step", axis: { orient: "top", labelAngle: 0 } };
  const y = { field: "lane", type: "nominal", sort: lanes, title: null, axis: { labelFontSize: 11, labelLimit: 140 } };
  const threadColor = {
    field: "thread",
    type: "nominal",
    scale: { domain: [...data.threads].sort(compareWorkers), range: [...data.threads].sort(compareWorkers).map(workerColor) },
    legend: null,
  };
  const outcome = data.outcome ?? null;
  const title =
    opts.title ?? (outcome ? `A schedule that ends with ${outcome}` : `A schedule of ${data.steps.length} step${data.steps.length === 1 ? "" : "s"}`);
  const notes: string[] = [];
  if (data.initial) notes.push(`at the start: ${data.initial}`);
  if (outcome) notes.push(`outcome: ${outcome}${data.grade ? ` (${data.grade})` : ""}`);
  if (mark !== null) notes.push(`red: step ${mark + 1}, after which the bad outcome was certain`);
  if (first > 0) notes.push(`the last ${n} of ${data.steps.length} steps shown`);
  const layers: unknown[] = [
    {
      data: { values: cells },
      mark: { type: "rect", opacity: 0.22, cornerRadius: 3 },
      encoding: { x, y, color: threadColor, tooltip: [{ field: "tip", title: "what" }] },
    },
    {
      data: { values: shared },
      mark: { type: "rect", color: "#f2f2f2", stroke: "#dddddd" },
      encoding: { x, y, tooltip: [{ field: "tip", title: "shared values" }] },
    },
    {
      data: { values: cells },
      mark: { type: "text", fontSize: font, baseline: "middle", lineHeight: font + 2, color: "#222222" },
      encoding: { x, y, text: { field: "text" } },
    },
    // Values a step changed in bold black, the others in grey.
    {
      data: { values: shared.filter((c) => c.bold) },
      mark: { type: "text", fontSize: font, baseline: "middle", lineHeight: font + 2, fontWeight: "bold", color: "#000000" },
      encoding: { x, y, text: { field: "text" } },
    },
    {
      data: { values: shared.filter((c) => !c.bold) },
      mark: { type: "text", fontSize: font, baseline: "middle", lineHeight: font + 2, color: "#888888" },
      encoding: { x, y, text: { field: "text" } },
    },
  ];
  if (nextCells.length) {
    layers.push(
      {
        data: { values: nextCells },
        mark: { type: "rect", filled: false, strokeDash: [4, 3], cornerRadius: 3 },
        encoding: {
          x,
          y,
          stroke: { condition: { test: "datum.state === 'can move'", value: "#2a7f2a" }, value: "#bbbbbb" },
          strokeWidth: { condition: { test: "datum.state === 'can move'", value: 2 }, value: 1 },
          tooltip: [{ field: "tip", title: "next" }],
        },
      },
      {
        data: { values: nextCells },
        mark: { type: "text", fontSize: font, baseline: "middle", lineHeight: font + 2 },
        encoding: { x, y, text: { field: "text" }, color: { condition: { test: "datum.state === 'can move'", value: "#1e5e1e" }, value: "#999999" } },
      },
    );
  }
  if (mark !== null && mark >= first) {
    layers.push({
      data: { values: cells.filter((c) => c.marked) },
      mark: { type: "rect", filled: false, stroke: MARK_RED, strokeWidth: 3, cornerRadius: 3 },
      encoding: { x, y },
    });
  }
  const gradeColor = data.grade ? GRADE_COLORS[data.grade] : "#555555";
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: notes, anchor: "start", fontSize: 15, subtitleColor: data.grade === "forbidden" ? gradeColor : "#555" },
    config: { ...BASE_CONFIG, axis: { ...BASE_CONFIG.axis, grid: false, domain: false, ticks: false } },
    width: { step: colW },
    height: { step: 54 },
    layer: layers,
  };
  const rows = data.steps.map((s, i) => {
    const row: (string | number)[] = [i + 1];
    for (const t of data.threads) row.push(s.thread === t ? s.label + (s.note ? ` (${s.note})` : "") : "");
    row.push(s.values ?? "");
    row.push(i === mark ? "◀ decides" : "");
    return row;
  });
  if (next.length)
    rows.push([
      "next",
      ...data.threads.map((t) => {
        const x = next.find((y) => y.thread === t);
        return x ? `${x.state === "can move" ? "" : `${x.state}: `}${x.label}` : "";
      }),
      "",
      "",
    ]);
  const text = titled(title, table(["step", ...names, "shared after", ""], rows), notes);
  return { title, spec, grammar: "vega-lite", text };
}
