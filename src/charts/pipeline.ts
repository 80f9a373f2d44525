// pipeline: for each stage, when it was busy and when it sat idle (waiting on
// its input or output), and how deep the queues between stages were over time.
import type { CounterEvent } from "../trace/types";
import type { Chart, RunLike } from "./types";
import { BASE_CONFIG, STATE_COLORS, compareWorkers } from "./palette";
import { flattenLanes, r3, spans, toRunData } from "./data";
import { ChartInputError } from "./errors";
import { fmt, table, titled } from "./text";

export interface PipelineOptions {
  /** Worker labels of the stages, in pipeline order (default: every worker but main). */
  stages?: string[];
  /** Display names for the stages, same order as `stages` (e.g. ["split", "parse", "count"]). */
  names?: string[];
  /** Counter events drawn as queue depth: names to keep (default: every counter). */
  counters?: string[];
  /** Points per counter line before it is reduced to per-bucket maxima (default 1500). */
  maxPoints?: number;
  title?: string;
}

const BUSY = "busy",
  IDLE = "idle (waiting)";

/** Builds the pipeline chart of a run. Throws ChartInputError on bad stages/names. */
export function pipelineChart(run: RunLike, opts: PipelineOptions = {}): Chart {
  const data = toRunData(run, "pipelineChart");
  const t0 = data.startedAt,
    duration = Math.max(1e-3, data.endedAt - t0);
  const all = spans(data.trace);
  const known = [...new Set([...data.workers.map((w) => w.label), ...all.map((s) => s.worker)])];
  const stages = opts.stages ?? known.filter((w) => w !== "main").sort(compareWorkers);
  for (const s of stages)
    if (!known.includes(s))
      throw new ChartInputError(
        "pipelineChart",
        "opts.stages",
        `names ${JSON.stringify(s)}, which is not a worker of this run`,
        `Use labels from: ${known.join(", ")}.`,
      );
  if (opts.names && opts.names.length !== stages.length)
    throw new ChartInputError(
      "pipelineChart",
      "opts.names",
      `has ${opts.names.length} names for ${stages.length} stages`,
      "Give one name per stage, in stage order.",
    );
  const nameOf = new Map(stages.map((s, i) => [s, opts.names ? `${opts.names[i]} (${s})` : s]));
  const flat = flattenLanes(
    all.filter((s) => stages.includes(s.worker) && s.state !== "holding"),
    (s) => (s.state === "blocked" ? IDLE : s.state === "running" ? BUSY : s.state),
  );
  const bars = flat.map((s) => ({ stage: nameOf.get(s.worker)!, state: s.state, start: r3(s.start - t0), end: r3(s.end - t0), what: s.what }));
  const busy = new Map(stages.map((s) => [s, 0]));
  const idle = new Map(stages.map((s) => [s, 0]));
  for (const s of flat) {
    if (s.state === BUSY) busy.set(s.worker, busy.get(s.worker)! + s.end - s.start);
    if (s.state === IDLE) idle.set(s.worker, idle.get(s.worker)! + s.end - s.start);
  }

  const counters = data.trace.filter((e): e is CounterEvent => e.type === "counter" && (!opts.counters || opts.counters.includes(e.name)));
  const maxPoints = opts.maxPoints ?? 1500;
  const notes: string[] = [];
  const depth: { queue: string; t: number; depth: number }[] = [];
  const peak = new Map<string, number>();
  for (const name of [...new Set(counters.map((c) => c.name))].sort()) {
    const pts = counters.filter((c) => c.name === name).sort((a, b) => a.at - b.at);
    for (const p of pts) peak.set(name, Math.max(peak.get(name) ?? -Infinity, p.value));
    if (pts.length <= maxPoints) for (const p of pts) depth.push({ queue: name, t: r3(p.at - t0), depth: p.value });
    else {
      // Keep each bucket's maximum: the peaks are what a full queue looks like.
      const width = duration / maxPoints,
        best = new Map<number, number>();
      for (const p of pts) {
        const b = Math.min(maxPoints - 1, Math.floor((p.at - t0) / width));
        best.set(b, Math.max(best.get(b) ?? -Infinity, p.value));
      }
      for (const [b, v] of [...best].sort((a, b) => a[0] - b[0])) depth.push({ queue: name, t: r3(b * width), depth: v });
      notes.push(`${name}: ${pts.length} samples reduced to ${best.size} bucket maxima`);
    }
  }
  const names = stages.map((s) => nameOf.get(s)!);
  const x = { field: "start", type: "quantitative", title: "time since start (ms)", scale: { domain: [0, r3(duration)] } };
  const title = opts.title ?? `Pipeline of ${stages.length} stages`;
  const util = stages.map((s) => `${nameOf.get(s)} ${fmt((100 * busy.get(s)!) / duration, 0)}% busy`).join(" · ");
  notes.unshift(util);
  const lanes = {
    width: 700,
    height: { step: 30 },
    data: { values: bars },
    mark: { type: "bar", height: { band: 0.7 } },
    params: [{ name: "zoom", select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
    encoding: {
      x,
      x2: { field: "end" },
      y: { field: "stage", type: "nominal", sort: names, title: "stage" },
      color: {
        field: "state",
        type: "nominal",
        title: "stage state",
        scale: { domain: [BUSY, IDLE, "spawning"], range: [STATE_COLORS.running, "#d9d9d9", STATE_COLORS.spawning] },
      },
      tooltip: [{ field: "stage" }, { field: "state" }, { field: "what", title: "waiting on" }, { field: "start" }, { field: "end" }],
    },
  };
  const depthView = {
    width: 700,
    height: 140,
    data: { values: depth },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time since start (ms)", scale: { domain: [0, r3(duration)] } },
      y: { field: "depth", type: "quantitative", title: "queue depth (items)" },
      color: { field: "queue", type: "nominal", title: "queue", scale: { scheme: "dark2" } },
      tooltip: [{ field: "queue" }, { field: "t", title: "ms" }, { field: "depth" }],
    },
  };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: notes, anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    vconcat: depth.length ? [lanes, depthView] : [lanes],
    resolve: { scale: { color: "independent" } },
  };
  const rows = stages.map((s) => [nameOf.get(s)!, r3(busy.get(s)!), r3(idle.get(s)!), Math.round((1000 * busy.get(s)!) / duration) / 10]);
  const qRows = [...peak].map(([q, v]) => `peak depth of ${q}: ${v}`);
  const text = titled(title, table(["stage", "busy ms", "idle ms", "busy %"], rows), [`${fmt(duration)} ms in all`, ...qRows]);
  return { title, spec, grammar: "vega-lite", text };
}
