// How long the workers of a run spent in one state (running, blocked, holding…),
// read from its trace: what a chapter prints under a timeline ("the longest hold",
// "how often spendy slept", "the share of worker 0's life spent at the barrier").
import type { RunData, SpanEvent, SpanState } from "../trace/types";
import { CourseInputError } from "./errors";

export interface SpanFilter {
  state: SpanState;
  /** Only this worker's spans (a label such as "t0"); default every worker. */
  worker?: string;
  /** Only spans on a primitive of this kind ("mutex", "condition", "barrier"…). */
  prim?: string;
}

export interface StateTotals {
  /** Spans that matched. */
  count: number;
  /** Their summed length, ms. */
  totalMs: number;
  /** The longest one, ms (0 when none matched). */
  longestMs: number;
}

/**
 * Sums the spans of `run` (a Run or its RunData) that match `filter`. A run recorded
 * without a trace has no spans: count 0. Throws CourseInputError for something that
 * is not a run.
 */
export function stateTotals(run: RunData | { toJSON(): RunData }, filter: SpanFilter): StateTotals {
  const data =
    run !== null && typeof run === "object" && typeof (run as { toJSON?: unknown }).toJSON === "function"
      ? (run as { toJSON(): RunData }).toJSON()
      : (run as RunData);
  if (!data || !Array.isArray(data.trace)) throw new CourseInputError("stateTotals: pass a finished Run (await it) or its toJSON() data");
  if (!filter || typeof filter.state !== "string") throw new CourseInputError('stateTotals: filter needs a state, e.g. { state: "holding" }');
  let count = 0,
    totalMs = 0,
    longestMs = 0;
  for (const e of data.trace) {
    if (e.type !== "span") continue;
    const s = e as SpanEvent;
    if (s.state !== filter.state || (filter.worker !== undefined && s.worker !== filter.worker) || (filter.prim !== undefined && s.prim?.kind !== filter.prim))
      continue;
    const ms = s.end - s.start;
    count++;
    totalMs += ms;
    if (ms > longestMs) longestMs = ms;
  }
  return { count, totalMs, longestMs };
}
