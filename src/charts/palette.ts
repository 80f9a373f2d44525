// One palette for the whole course: the same worker has the same colour in
// every chart, and each state / primitive kind keeps its colour everywhere.
import type { PrimitiveKind, SpanState } from "../trace/types";

/** Ten distinguishable hues (Tableau 10 order); worker n takes hue n mod 10. */
export const WORKER_HUES = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#eeca3b", "#ff9da6", "#9d755d", "#79706e"] as const;

/** The colour of a worker label: "main" is dark grey, "t3" / "p3" / "w3" take hue 3. */
export function workerColor(label: string): string {
  if (label === "main") return "#333333";
  const m = /(\d+)$/.exec(label);
  if (m) return WORKER_HUES[Number(m[1]) % WORKER_HUES.length];
  // Labels without a number: a stable hash keeps the colour stable across charts.
  let h = 0;
  for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return WORKER_HUES[h % WORKER_HUES.length];
}

/** Sorts worker labels as people read them: main first, then t0, t1, …, t10 (numeric). */
export function compareWorkers(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "main") return -1;
  if (b === "main") return 1;
  const ma = /^(.*?)(\d+)$/.exec(a),
    mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return a < b ? -1 : 1;
}

/** Scale domain/range for colouring by worker label. */
export function workerScale(labels: string[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(labels)].sort(compareWorkers);
  return { domain, range: domain.map(workerColor) };
}

export const STATE_COLORS: Record<Exclude<SpanState, "blocked">, string> = {
  spawning: "#c9c3bd",
  running: "#59a14f",
  holding: "#1f3b73",
};

/** "blocked" is coloured by what was waited on. */
export const BLOCKED_COLORS: Record<PrimitiveKind, string> = {
  mutex: "#e15759",
  condition: "#f28e2b",
  semaphore: "#b07aa1",
  event: "#ff9da7",
  waitgroup: "#9c755f",
  barrier: "#edc948",
  queue: "#76b7b2",
  pipe: "#4e9fd6",
  join: "#8d6bd1",
  sleep: "#bab0ac",
};

export const GRADE_COLORS = { expected: "#59a14f", acceptable: "#edc948", forbidden: "#e15759" } as const;

/** Config shared by every spec: no web fonts (no network), readable sizes. */
export const BASE_CONFIG = {
  font: "sans-serif",
  view: { stroke: null },
  title: { fontSize: 13, subtitleFontSize: 11, subtitleColor: "#555" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
} as const;
