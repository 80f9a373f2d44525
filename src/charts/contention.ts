// contention: for each lock, how long waits were (histogram) and, per worker,
// total time waiting for it vs total time holding it.
import type { PrimitiveRef } from "../trace/types";
import type { Chart, RunLike } from "./types";
import { BASE_CONFIG, BLOCKED_COLORS, STATE_COLORS, compareWorkers } from "./palette";
import { median, primName, r3, spans, sum, toRunData } from "./data";
import { table, titled } from "./text";

export interface ContentionOptions {
  /** Locks shown, most waited-on first (default 6). */
  maxLocks?: number;
  title?: string;
}

const LOCK_KINDS = new Set(["mutex", "semaphore"]);

/** Builds the contention chart of a run: one row per lock (mutex or semaphore, or anything held). */
export function contentionChart(run: RunLike, opts: ContentionOptions = {}): Chart {
  const data = toRunData(run, "contentionChart");
  const all = spans(data.trace);
  const locks = new Map<string, { prim: PrimitiveRef; waits: { worker: string; ms: number }[]; holds: { worker: string; ms: number }[] }>();
  for (const s of all) {
    if (!s.prim || (s.state !== "blocked" && s.state !== "holding")) continue;
    if (s.state === "blocked" && !LOCK_KINDS.has(s.prim.kind)) continue;
    const key = `${s.prim.kind}:${s.prim.id}`;
    let l = locks.get(key);
    if (!l) {
      l = { prim: s.prim, waits: [], holds: [] };
      locks.set(key, l);
    }
    (s.state === "blocked" ? l.waits : l.holds).push({ worker: s.worker, ms: s.end - s.start });
  }
  const ranked = [...locks.values()].sort((a, b) => sum(b.waits.map((w) => w.ms)) - sum(a.waits.map((w) => w.ms)));
  const maxLocks = opts.maxLocks ?? 6;
  const shown = ranked.slice(0, maxLocks);
  const title = opts.title ?? `Lock contention (${locks.size} lock${locks.size === 1 ? "" : "s"})`;
  const notes: string[] = [];
  if (ranked.length > shown.length) notes.push(`showing the ${shown.length} most waited-on of ${ranked.length} locks`);
  if (!locks.size) notes.push("no lock was waited on or held in this run");

  const rows = shown.map((l) => {
    const name = primName(l.prim);
    const workers = [...new Set([...l.waits, ...l.holds].map((x) => x.worker))].sort(compareWorkers);
    const per = workers.flatMap((w) => [
      { worker: w, measure: "waiting", ms: r3(sum(l.waits.filter((x) => x.worker === w).map((x) => x.ms))) },
      { worker: w, measure: "holding", ms: r3(sum(l.holds.filter((x) => x.worker === w).map((x) => x.ms))) },
    ]);
    return {
      hconcat: [
        {
          title: `${name}: wait times (${l.waits.length} waits)`,
          width: 300,
          height: 160,
          data: { values: l.waits.map((w) => ({ ms: r3(w.ms), worker: w.worker })) },
          mark: { type: "bar", color: BLOCKED_COLORS.mutex },
          encoding: {
            x: { field: "ms", type: "quantitative", bin: { maxbins: 30 }, title: "wait (ms)" },
            y: { aggregate: "count", type: "quantitative", title: "waits" },
          },
        },
        {
          title: `${name}: waiting vs holding per worker`,
          width: { step: 16 },
          height: 160,
          data: { values: per },
          mark: "bar",
          encoding: {
            x: { field: "worker", type: "nominal", sort: workers, title: "worker" },
            xOffset: { field: "measure", type: "nominal", sort: ["waiting", "holding"] },
            y: { field: "ms", type: "quantitative", title: "total time (ms)" },
            color: {
              field: "measure",
              type: "nominal",
              title: "time spent",
              scale: { domain: ["waiting", "holding"], range: [BLOCKED_COLORS.mutex, STATE_COLORS.holding] },
            },
            tooltip: [{ field: "worker" }, { field: "measure" }, { field: "ms", title: "ms" }],
          },
        },
      ],
    };
  });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, anchor: "start", fontSize: 15, subtitle: notes.length ? notes : [`${sum(ranked.map((l) => l.waits.length))} waits in total`] },
    config: BASE_CONFIG,
    vconcat: rows.length ? rows : [{ data: { values: [{ t: "no locks" }] }, mark: "text", encoding: { text: { field: "t" } } }],
  };
  const tableRows = ranked.flatMap((l) => {
    const workers = [...new Set([...l.waits, ...l.holds].map((x) => x.worker))].sort(compareWorkers);
    return workers.map((w) => {
      const ws = l.waits.filter((x) => x.worker === w).map((x) => x.ms);
      return [primName(l.prim), w, ws.length, r3(sum(ws)), ws.length ? r3(median(ws)) : null, r3(sum(l.holds.filter((x) => x.worker === w).map((x) => x.ms)))];
    });
  });
  const text = titled(title, table(["lock", "worker", "waits", "wait ms", "median wait ms", "hold ms"], tableRows), notes);
  return { title, spec, grammar: "vega-lite", text };
}
