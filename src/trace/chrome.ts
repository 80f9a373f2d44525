// Chrome Trace Event JSON (the format chrome://tracing and Perfetto open) from a run.
// One process per run, one thread track per worker (named t0, p1, …). Running,
// spawning and blocked spans nest on the worker's track as complete ("X") events;
// holding spans can overlap each other without nesting (lock A, lock B, unlock A),
// so they go on async tracks ("b"/"e"), one per worker and primitive.
import { writeFileSync } from "node:fs";
import type { RunData, SpanEvent, TraceEvent } from "./types";

export interface ChromeEvent {
  name: string;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  cat?: string;
  id?: string;
  s?: string;
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: "ms";
  otherData: Record<string, unknown>;
}

const PID = 1;

export function toChromeTrace(run: RunData): ChromeTrace {
  const tids = new Map<string, number>();
  run.workers.forEach((w, i) => {
    tids.set(w.label, i + 1);
  });
  const tidOf = (label: string): number => {
    let t = tids.get(label);
    if (t === undefined) {
      t = tids.size + 1; // "main" or an unknown label
      tids.set(label, t);
    }
    return t;
  };
  // Microseconds since the run started (Chrome's unit), kept to nanosecond precision.
  const us = (t: number): number => Math.round((t - run.startedAt) * 1e6) / 1000;
  const events: ChromeEvent[] = [{ name: "process_name", ph: "M", ts: 0, pid: PID, tid: 0, args: { name: `${run.kind} run (n=${run.n})` } }];
  for (const w of run.workers) {
    events.push({ name: "thread_name", ph: "M", ts: 0, pid: PID, tid: tidOf(w.label), args: { name: w.label } });
  }
  const nested: ChromeEvent[] = [];
  let asyncId = 0;
  for (const e of run.trace) {
    if (e.type === "span" && e.state === "holding") {
      const id = `h${asyncId++}`;
      const name = `holds ${e.prim?.label ?? e.prim?.id ?? "?"}`;
      const tid = tidOf(e.worker);
      events.push({ name, ph: "b", cat: "holding", id, ts: us(e.start), pid: PID, tid, args: primArgs(e) });
      events.push({ name, ph: "e", cat: "holding", id, ts: us(Math.max(e.end, e.start)), pid: PID, tid });
    } else if (e.type === "span") {
      nested.push({
        name: spanName(e),
        ph: "X",
        cat: e.state,
        ts: us(e.start),
        dur: Math.max(0, us(e.end) - us(e.start)),
        pid: PID,
        tid: tidOf(e.worker),
        args: primArgs(e),
      });
    } else if (e.type === "instant") {
      nested.push({
        name: e.name,
        ph: "i",
        s: "t",
        ts: us(e.at),
        pid: PID,
        tid: tidOf(e.worker),
        args: { ...(e.args ?? {}), ...(e.prim ? { prim: e.prim.id } : {}) },
      });
    } else {
      events.push({ name: e.name, ph: "C", ts: us(e.at), pid: PID, tid: e.worker ? tidOf(e.worker) : 0, args: { value: e.value } });
    }
  }
  // Per track: by start, and the longer (outer) span first on ties, so viewers nest them.
  nested.sort((a, b) => a.tid - b.tid || a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  events.push(...nested);
  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    otherData: { kind: run.kind, n: run.n, startedAt: run.startedAt, endedAt: run.endedAt, clock: "epoch ms at ts=0 is startedAt" },
  };
}

function spanName(e: SpanEvent): string {
  if (e.state === "blocked") return `blocked on ${e.prim?.label ?? e.prim?.id ?? "?"}`;
  return e.state;
}

function primArgs(e: SpanEvent): Record<string, unknown> | undefined {
  if (!e.prim && !e.outcome) return undefined;
  return { ...(e.prim ? { kind: e.prim.kind, id: e.prim.id } : {}), ...(e.outcome ? { outcome: e.outcome } : {}) };
}

/** Write `run` as Chrome Trace Event JSON to `path` (open it in https://ui.perfetto.dev or chrome://tracing). */
export function saveChromeTrace(run: RunData, path: string): string {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(`path must be a file name such as "run.trace.json", got ${JSON.stringify(path)}`);
  }
  writeFileSync(path, JSON.stringify(toChromeTrace(run)));
  return path;
}

/** A run's trace events: an array (JSON gives the plain events) with `save(path)`. */
export class Trace extends Array<TraceEvent> {
  static get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  /** A trace holding `events`, attached to the run data `owner` gives (for save). */
  static attach(events: TraceEvent[], owner: () => RunData): Trace {
    const t = new Trace();
    for (const e of events) t.push(e);
    Object.defineProperty(t, "owner", { value: owner, enumerable: false });
    return t;
  }
  /** Write Chrome Trace Event JSON for the run to `path`; returns the path. */
  save(path: string): string {
    const owner = (this as unknown as { owner?: () => RunData }).owner;
    if (!owner) throw new Error("this trace is not attached to a run");
    return saveChromeTrace(owner(), path);
  }
}
