// timeline: one lane per worker showing what it did over time — spawning,
// running, blocked (coloured by what it waited on), holding a lock (a thin bar
// under the lane) — with barrier phases as vertical rules. Zoom/pan on x in
// front ends that run Vega (JupyterLab).
import type { PrimitiveKind, SpanEvent } from "../trace/types";
import type { Chart, RunLike } from "./types";
import { BASE_CONFIG, BLOCKED_COLORS, STATE_COLORS, compareWorkers } from "./palette";
import { flattenLanes, primName, r3, spans, toRunData, type LanePiece } from "./data";
import { fmt, table, titled } from "./text";
import { ChartInputError } from "./errors";

export interface TimelineOptions {
  /** Above this many spans the lanes are aggregated into time buckets (default 4000). */
  maxMarks?: number;
  /** Buckets per lane when aggregating (default 200: a few pixels each). */
  buckets?: number;
  title?: string;
  /** Plot width in pixels (default 720). */
  width?: number;
}

type Bar = LanePiece;

function toLanePiece(s: SpanEvent): LanePiece {
  return { worker: s.worker, state: HOLDING, start: s.start, end: s.end, what: s.prim ? primName(s.prim) : "" };
}

const HOLDING = "holding a lock";

function stateLabel(s: SpanEvent): string {
  return s.state === "blocked" ? `blocked: ${s.prim?.kind ?? "other"}` : s.state === "holding" ? HOLDING : s.state;
}

/** Builds the timeline of a run. Throws ChartInputError on a malformed run. */
export function timelineChart(run: RunLike, opts: TimelineOptions = {}): Chart {
  const data = toRunData(run, "timelineChart");
  const maxMarks = opts.maxMarks ?? 4000;
  const buckets = opts.buckets ?? 200;
  if (!(maxMarks >= 1) || !(buckets >= 1))
    throw new ChartInputError("timelineChart", "opts", "has maxMarks/buckets below 1", "Leave them out or pass positive numbers.");
  const t0 = data.startedAt;
  const duration = Math.max(data.endedAt - t0, 1e-3);
  const all = spans(data.trace);
  const workers = [...new Set([...data.workers.map((w) => w.label), ...all.map((s) => s.worker)])].sort(compareWorkers);

  const held = all.filter((s) => s.state === "holding");
  const flat = flattenLanes(
    all.filter((s) => s.state !== "holding"),
    stateLabel,
  );
  // Exact totals for the text table come from every span, aggregated or not.
  const totals = new Map<string, { spawning: number; running: number; blocked: number; holding: number; waits: number }>();
  for (const w of workers) totals.set(w, { spawning: 0, running: 0, blocked: 0, holding: 0, waits: 0 });
  for (const s of flat) {
    const key = s.state.startsWith("blocked") ? "blocked" : (s.state as "running" | "spawning");
    totals.get(s.worker)![key] += s.end - s.start;
  }
  for (const s of all) {
    const t = totals.get(s.worker)!;
    if (s.state === "holding") t.holding += s.end - s.start;
    if (s.state === "blocked") t.waits++;
  }

  const aggregated = flat.length + held.length > maxMarks;
  const rel = (s: LanePiece): Bar => ({ ...s, start: r3(s.start - t0), end: r3(s.end - t0) });
  const toBar = (s: SpanEvent): Bar => ({
    worker: s.worker,
    state: stateLabel(s),
    start: r3(s.start - t0),
    end: r3(s.end - t0),
    what: s.prim ? primName(s.prim) : "",
  });
  const bars = aggregated ? aggregate(flat, workers, t0, duration, buckets) : flat.map(rel);
  const holds = aggregated ? aggregate(held.map(toLanePiece), workers, t0, duration, buckets) : held.map(toBar);

  const phases = data.trace
    .filter((e) => e.type === "instant" && (e.name === "phase" || e.prim?.kind === "barrier"))
    .map((e) => ({ at: r3((e as { at: number }).at - t0), label: e.type === "instant" && e.prim ? primName(e.prim) : "phase" }));
  const phaseStep = Math.ceil(phases.length / 200);
  const shownPhases = phases.filter((_, i) => i % phaseStep === 0);

  const kinds = [...new Set(all.filter((s) => s.state === "blocked").map((s) => s.prim?.kind ?? "other"))].sort();
  const domain = ["spawning", "running", ...kinds.map((k) => `blocked: ${k}`), HOLDING];
  const range = domain.map((d) =>
    d === HOLDING ? STATE_COLORS.holding : d.startsWith("blocked: ") ? (BLOCKED_COLORS[d.slice(9) as PrimitiveKind] ?? "#888") : STATE_COLORS[d as "running"],
  );

  const nWorkers = workers.filter((w) => w !== "main").length;
  const title = opts.title ?? `Timeline of ${nWorkers} ${data.kind === "processes" ? "processes" : "threads"}`;
  const notes = [`${fmt(duration)} ms from start to end`];
  if (aggregated) notes.push(`${all.length} spans aggregated into ${buckets} time buckets per lane, each split by the share of time in each state`);
  // Workers stop timing uncontended holds after a budget (the clock read costs more
  // than the lock); say so, so that a sparse "holding" lane is not misread.
  const untimed = data.trace.flatMap((e) => (e.type === "instant" && e.name === "uncontended-holds-untimed" ? [e.worker] : []));
  if (untimed.length)
    notes.push(`${[...new Set(untimed)].sort(compareWorkers).join(", ")}: later uncontended lock holds not drawn (only holds that began with a wait)`);
  if (phaseStep > 1) notes.push(`every ${phaseStep}th of ${phases.length} barrier phases drawn`);
  const color = { field: "state", type: "nominal", title: "state", scale: { domain, range } };
  const x = { field: "start", type: "quantitative", title: "time since start (ms)", scale: { domain: [0, r3(duration)] } };
  const y = { field: "worker", type: "nominal", title: "worker", sort: workers, scale: { domain: workers } };

  const layers: unknown[] = [
    {
      data: { values: bars },
      mark: { type: "bar", height: { band: 0.7 } },
      params: [{ name: "zoom", select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
      encoding: {
        x,
        x2: { field: "end" },
        y,
        color,
        tooltip: [{ field: "worker" }, { field: "state" }, { field: "what" }, { field: "start", title: "start (ms)" }, { field: "end", title: "end (ms)" }],
      },
    },
  ];
  if (holds.length)
    layers.push({
      data: { values: holds },
      mark: { type: "bar", height: 4, yOffset: 11 },
      encoding: { x, x2: { field: "end" }, y, color, tooltip: [{ field: "worker" }, { field: "what", title: "holds" }, { field: "start" }, { field: "end" }] },
    });
  if (shownPhases.length)
    layers.push({
      data: { values: shownPhases },
      mark: { type: "rule", strokeDash: [4, 3], color: "#444", opacity: 0.7 },
      encoding: {
        x: { field: "at", type: "quantitative" },
        tooltip: [
          { field: "label", title: "barrier phase" },
          { field: "at", title: "at (ms)" },
        ],
      },
    });

  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: notes, anchor: "start", fontSize: 15 },
    width: opts.width ?? 720,
    height: { step: 28 },
    config: BASE_CONFIG,
    layer: layers,
  };
  const rows = workers.map((w) => {
    const t = totals.get(w)!;
    return [w, t.spawning, t.running, t.blocked, t.holding, t.waits];
  });
  const text = titled(
    title,
    table(
      ["worker", "spawning ms", "running ms", "blocked ms", "holding ms", "waits"],
      rows.map((r) => r.map((c) => (typeof c === "number" ? r3(c) : c))),
    ),
    [...notes, ...(phases.length ? [`${phases.length} barrier phases`] : [])],
  );
  return { title, spec, grammar: "vega-lite", text };
}

/**
 * Per lane, sums each state's time inside equal buckets and lays the states
 * out side by side within the bucket, each as wide as its share of the time
 * (a bucket 60% running, 40% blocked shows both, in proportion). Odd buckets
 * list the states in reverse order so neighbours of the same state touch and
 * merge. Bounded output: lanes × buckets × states bars at most.
 */
function aggregate(list: LanePiece[], workers: string[], t0: number, duration: number, buckets: number): Bar[] {
  const width = duration / buckets;
  const perWorker = new Map<string, Map<string, Float64Array>>();
  for (const w of workers) perWorker.set(w, new Map());
  for (const s of list) {
    const byState = perWorker.get(s.worker)!;
    let acc = byState.get(s.state);
    if (!acc) {
      acc = new Float64Array(buckets);
      byState.set(s.state, acc);
    }
    const a = Math.max(0, s.start - t0),
      b = Math.min(duration, s.end - t0);
    for (let i = Math.max(0, Math.floor(a / width)); i < buckets && i * width < b; i++) {
      const lo = Math.max(a, i * width),
        hi = Math.min(b, (i + 1) * width);
      if (hi > lo) acc[i] += hi - lo;
    }
  }
  const out: Bar[] = [];
  for (const [worker, byState] of perWorker) {
    const states = [...byState.keys()].sort();
    let prev: Bar | null = null;
    for (let i = 0; i < buckets; i++) {
      let x = i * width;
      for (const state of i % 2 ? [...states].reverse() : states) {
        const t = Math.min(byState.get(state)![i], width);
        if (t <= 0) continue;
        if (prev && prev.worker === worker && prev.state === state && Math.abs(prev.end - x) < 1e-9 * duration + 1e-9) prev.end = x + t;
        else {
          prev = { worker, state, start: x, end: x + t, what: "(aggregated)" };
          out.push(prev);
        }
        x += t;
      }
    }
  }
  for (const b of out) {
    b.start = r3(b.start);
    b.end = r3(b.end);
  }
  return out;
}
