// Input checks and small data helpers shared by the chart builders.
import type { RunData, SpanEvent, TraceEvent } from "../trace/types";
import type { RunLike } from "./types";
import { ChartInputError, isFiniteNumber } from "./errors";

/** Accepts RunData or a Run (anything with toJSON(): RunData) and checks the shape. */
export function toRunData(run: RunLike, fn: string, arg = "run"): RunData {
  if (run == null || typeof run !== "object")
    throw new ChartInputError(
      fn,
      arg,
      `is ${run === null ? "null" : typeof run}, not a run`,
      "Pass the Run returned by the spawn helpers, or its toJSON() data.",
    );
  const data = typeof (run as { toJSON?: unknown }).toJSON === "function" ? (run as { toJSON(): RunData }).toJSON() : (run as RunData);
  if (!data || !Array.isArray(data.trace) || !Array.isArray(data.workers))
    throw new ChartInputError(fn, arg, "has no `trace` and `workers` arrays", "Pass a finished Run (await it first) or RunData with trace and workers.");
  if (!isFiniteNumber(data.startedAt) || !isFiniteNumber(data.endedAt))
    throw new ChartInputError(fn, arg, "has no numeric startedAt/endedAt", "Pass a finished Run: its start and end times are set when it completes.");
  return data;
}

export function spans(trace: TraceEvent[]): SpanEvent[] {
  return trace.filter((e): e is SpanEvent => e.type === "span" && isFiniteNumber(e.start) && isFiniteNumber(e.end));
}

export function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds to 3 decimals: keeps JSON and SVG small without visible loss. */
export function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A label for a primitive: its label if it has one, else kind:id. */
export function primName(p: { kind: string; id: string; label?: string }): string {
  return p.label ?? `${p.kind}:${p.id}`;
}

/** A piece of one lane where exactly one state shows. */
export interface LanePiece {
  worker: string;
  state: string;
  start: number;
  end: number;
  what: string;
}

/**
 * Flattens a worker's overlapping spans into one state at a time. Producers
 * may record "running" for a whole lifetime with "blocked" spans inside it, so
 * the state shown is the most specific active one: blocked > spawning > running.
 * `label` names the state of a span (e.g. "blocked: mutex").
 */
export function flattenLanes(list: SpanEvent[], label: (s: SpanEvent) => string): LanePiece[] {
  const rank = (s: SpanEvent) => (s.state === "blocked" ? 3 : s.state === "spawning" ? 2 : 1);
  const byWorker = new Map<string, SpanEvent[]>();
  for (const s of list) {
    if (s.end <= s.start) continue;
    let l = byWorker.get(s.worker);
    if (!l) {
      l = [];
      byWorker.set(s.worker, l);
    }
    l.push(s);
  }
  const out: LanePiece[] = [];
  for (const [worker, ss] of byWorker) {
    ss.sort((a, b) => a.start - b.start);
    let disjoint = true;
    for (let i = 1; i < ss.length && disjoint; i++) disjoint = ss[i].start >= ss[i - 1].end;
    if (disjoint) {
      // Common for big traces (one state at a time): no sweep needed.
      for (const s of ss) out.push({ worker, state: label(s), start: s.start, end: s.end, what: s.prim ? primName(s.prim) : "" });
      continue;
    }
    // Boundaries sorted by time; at each, update the active set and emit the winner.
    const edges: { t: number; s: SpanEvent; open: boolean }[] = [];
    for (const s of ss) edges.push({ t: s.start, s, open: true }, { t: s.end, s, open: false });
    edges.sort((a, b) => a.t - b.t || Number(a.open) - Number(b.open));
    const active = new Set<SpanEvent>();
    let cur: LanePiece | null = null;
    for (let i = 0; i < edges.length; ) {
      const t = edges[i].t;
      for (; i < edges.length && edges[i].t === t; i++) {
        if (edges[i].open) active.add(edges[i].s);
        else active.delete(edges[i].s);
      }
      let top: SpanEvent | null = null;
      for (const s of active) if (!top || rank(s) > rank(top) || (rank(s) === rank(top) && s.start > top.start)) top = s;
      const state = top ? label(top) : "";
      const what = top?.prim ? primName(top.prim) : "";
      if (cur && (cur.state !== state || cur.what !== what)) {
        cur.end = t;
        if (cur.end > cur.start) out.push(cur);
        cur = null;
      }
      if (!cur && top) cur = { worker, state, start: t, end: t, what };
    }
  }
  return out;
}
