// Turns the sync core's observer calls into TraceEvents for one worker.
// Lives in the worker (thread or process); events are shipped to the parent in
// batches. Per-worker events are capped so a million-iteration lock loop cannot
// exhaust memory: past the cap we count what was dropped instead.
import type { SyncObserver, WaitOutcome } from "../sync/instrument";
import type { PrimitiveRef, TraceEvent, WorkerLabel } from "./types";

export const DEFAULT_MAX_EVENTS = 100_000;

export class TraceRecorder implements SyncObserver {
  private events: TraceEvent[] = [];
  private dropped = 0;
  private total = 0;
  private waiting: { prim: PrimitiveRef; at: number } | null = null;
  /** Open holding spans by primitive id (a stack: semaphores and re-entrant holds nest). */
  private readonly holding = new Map<string, { prim: PrimitiveRef; starts: number[] }>();

  constructor(
    readonly worker: WorkerLabel,
    private readonly maxEvents = DEFAULT_MAX_EVENTS,
  ) {}

  private push(e: TraceEvent): void {
    if (this.total >= this.maxEvents) {
      this.dropped++;
      return;
    }
    this.total++;
    this.events.push(e);
  }

  waitStart(prim: PrimitiveRef, at: number): void {
    this.waiting = { prim, at };
  }
  waitEnd(prim: PrimitiveRef, at: number, outcome: WaitOutcome): void {
    const start = this.waiting && this.waiting.prim.id === prim.id ? this.waiting.at : at;
    this.waiting = null;
    this.push({ type: "span", worker: this.worker, state: "blocked", start, end: at, prim, outcome });
  }
  acquired(prim: PrimitiveRef, at: number): void {
    let open = this.holding.get(prim.id);
    if (!open) this.holding.set(prim.id, (open = { prim, starts: [] }));
    open.starts.push(at);
  }
  released(prim: PrimitiveRef, at: number): void {
    const start = this.holding.get(prim.id)?.starts.pop();
    if (start === undefined) return; // released something acquired before tracing began
    this.push({ type: "span", worker: this.worker, state: "holding", start, end: at, prim });
  }
  event(prim: PrimitiveRef, name: string, at: number, args?: Record<string, number | string | boolean>): void {
    this.push({ type: "instant", worker: this.worker, name, at, prim, ...(args ? { args } : {}) });
  }

  /** Close spans still open at `at` (the worker is ending, or being reported while blocked). */
  closeOpen(at: number): void {
    if (this.waiting) {
      const { prim, at: start } = this.waiting;
      this.waiting = null;
      this.push({ type: "span", worker: this.worker, state: "blocked", start, end: at, prim, outcome: "unfinished" });
    }
    for (const { prim, starts } of this.holding.values()) {
      for (const start of starts) this.push({ type: "span", worker: this.worker, state: "holding", start, end: at, prim });
      starts.length = 0;
    }
  }

  /** Hand over what was recorded since the last take. */
  take(): { events: TraceEvent[]; dropped: number } {
    const out = { events: this.events, dropped: this.dropped };
    this.events = [];
    this.dropped = 0;
    return out;
  }

  pending(): number {
    return this.events.length;
  }
}
