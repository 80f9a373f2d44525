// Deadlock detection over a run's live wait state (pure functions: the run's
// watchdog timer feeds them what the status board and IPC report).
//
// Two rules:
//  1. a cycle worker → mutex → holder → mutex → … → worker that has persisted a
//     little while (a real cycle never resolves by itself: mutex waits have no
//     way out unless they time out, hence the short grace);
//  2. every live worker has been blocked on a lock/condition/barrier/semaphore/
//     wait group for longer than `deadlockAfter`.
// Blocked on nothing (running, sleeping, waiting on a queue or event the cell may
// feed) is never reported: a run that is merely slow keeps going.
import type { PrimitiveKind, PrimitiveRef, WaitForGraph, WorkerLabel } from "../trace/types";

export interface LiveWorker {
  label: WorkerLabel;
  /** null when running (not blocked). */
  waitingOn: PrimitiveRef | null;
  since: number;
  holds: PrimitiveRef[];
}

const STUCK_KINDS: ReadonlySet<PrimitiveKind> = new Set<PrimitiveKind>(["mutex", "condition", "barrier", "semaphore", "waitgroup"]);
/** Kinds whose holder is a single worker: edges of the wait-for graph. */
const OWNED_KINDS: ReadonlySet<PrimitiveKind> = new Set<PrimitiveKind>(["mutex"]);

/** Raised by threads.run/processes.run when the watchdog finds a deadlock; the workers are already stopped. */
export class DeadlockError extends Error {
  readonly graph: WaitForGraph;
  constructor(message: string, graph: WaitForGraph) {
    super(message);
    this.name = "DeadlockError";
    this.graph = graph;
  }
}

export function primName(p: PrimitiveRef): string {
  return `'${p.label ?? p.id}'`;
}

/** The wait-for graph of the live workers, with the cycle (if any) filled in. */
export function waitForGraph(live: LiveWorker[]): WaitForGraph {
  const graph: WaitForGraph = { holds: [], waits: [], cycle: [] };
  for (const w of live) {
    for (const p of w.holds) graph.holds.push({ worker: w.label, prim: p });
    if (w.waitingOn) graph.waits.push({ worker: w.label, prim: w.waitingOn, since: w.since });
  }
  graph.cycle = findCycle(live, 0, Infinity);
  return graph;
}

/**
 * A cycle among workers blocked for at least `minAge` ms (at time `t`) on owned primitives.
 * Returned as alternating worker labels and primitive ids: [t0, red, t1, blue].
 */
export function findCycle(live: LiveWorker[], t: number, minAge: number): string[] {
  const holder = new Map<string, LiveWorker>();
  for (const w of live) for (const p of w.holds) if (OWNED_KINDS.has(p.kind)) holder.set(p.id, w);
  const next = (w: LiveWorker): LiveWorker | undefined => {
    const p = w.waitingOn;
    if (!p || !OWNED_KINDS.has(p.kind) || t - w.since < minAge) return undefined;
    const h = holder.get(p.id);
    return h && h !== w ? h : undefined;
  };
  for (const start of live) {
    const path: LiveWorker[] = [];
    let cur: LiveWorker | undefined = start;
    while (cur && !path.includes(cur)) {
      path.push(cur);
      cur = next(cur);
    }
    if (cur) {
      const loop = path.slice(path.indexOf(cur));
      // Report each cycle once, from its smallest label, so the message is stable.
      if (loop.some((w) => w.label < start.label)) continue;
      return loop.flatMap((w) => [w.label, w.waitingOn!.id]);
    }
  }
  return [];
}

/** Decide whether the run is deadlocked; returns the error to raise or null. */
export function detectDeadlock(live: LiveWorker[], t: number, deadlockAfter: number): DeadlockError | null {
  if (!Number.isFinite(deadlockAfter) || live.length === 0) return null;
  const cycle = findCycle(live, t, Math.min(deadlockAfter, 250));
  const allStuck = live.every((w) => w.waitingOn && STUCK_KINDS.has(w.waitingOn.kind) && t - w.since >= deadlockAfter);
  if (!cycle.length && !allStuck) return null;
  const graph = waitForGraph(live);
  if (cycle.length) graph.cycle = cycle;
  return new DeadlockError(describeDeadlock(live, graph, t), graph);
}

function describeDeadlock(live: LiveWorker[], graph: WaitForGraph, t: number): string {
  const byLabel = new Map(live.map((w) => [w.label, w]));
  const say = (w: LiveWorker): string => {
    const holds = w.holds.length ? `holds ${w.holds.map(primName).join(", ")} and ` : "";
    const waits = w.waitingOn ? `waits for ${primName(w.waitingOn)} (${Math.round(t - w.since)} ms)` : "is running";
    return `${w.label} ${holds}${waits}`;
  };
  if (graph.cycle.length) {
    const inCycle = graph.cycle.filter((_, i) => i % 2 === 0).map((l) => byLabel.get(l)!);
    return `deadlock: a cycle of ${inCycle.length} workers each waiting for a lock another holds — ${inCycle
      .map(say)
      .join("; ")}. The workers were stopped; take locks in one global order (or use an arbitrator) to avoid it.`;
  }
  return (
    `deadlock: every live worker is blocked — ${live.map(say).join("; ")}. The workers were stopped. ` +
    `If something outside the run would have woken them, raise options.deadlockAfter (or set it to Infinity).`
  );
}
