// Turns the sync core's observer calls into TraceEvents for one worker.
// Lives in the worker (thread or process); events are shipped to the parent in
// batches. Per-worker events are capped so a million-iteration lock loop cannot
// exhaust memory: past the cap we count what was dropped instead.
//
// "holding" spans: every hold is timed for the first HOLD_TIMING_BUDGET holds a
// worker takes without waiting (teaching runs stay far below it and get every
// hold). Past that, only holds that began after a wait (the lock was contended:
// the time is known from the wait) are drawn, and an instant event
// "uncontended-holds-untimed" marks where that began. Timing an uncontended
// lock + unlock reads the clock twice, which costs several times the lock itself
// on machines with a slow clock (see src/sync/instrument.ts), and the read at
// acquisition lengthens the critical section: waiters stop spinning and sleep,
// and a contended loop runs tens of times slower.
// Untimed holds are counted (uncontendedHolds()).
import type { SyncObserver, WaitOutcome } from "../sync/instrument";
import { now, type PrimitiveRef, type TraceEvent, type WorkerLabel } from "./types";

export const DEFAULT_MAX_EVENTS = 100_000;
/** Uncontended holds timed per worker before only contended ones are. */
export const HOLD_TIMING_BUDGET = 2_000;

export class TraceRecorder implements SyncObserver {
  private events: TraceEvent[] = [];
  private dropped = 0;
  private total = 0;
  private waiting: { prim: PrimitiveRef; at: number } | null = null;
  /**
   * Open holds, kept on the PrimitiveRef object itself under this recorder's own
   * symbol (a property load, no Map lookup on the hot path): a stack of start
   * times, NaN for an untimed (uncontended) hold. Symbol keys are invisible to
   * structured clone and JSON, so events carrying the ref are unaffected.
   */
  private readonly OPEN = Symbol("interleave.openHolds");
  private readonly seen: PrimitiveRef[] = [];
  private untimed = 0;
  private timedLeft = HOLD_TIMING_BUDGET;

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
  acquired(prim: PrimitiveRef, at?: number): void {
    const p = prim as PrimitiveRef & Record<symbol, number[] | undefined>;
    let open = p[this.OPEN];
    if (open === undefined) {
      open = p[this.OPEN] = [];
      this.seen.push(prim);
    }
    if (at !== undefined) open.push(at);
    else if (this.timedLeft > 0 && this.total < this.maxEvents) {
      if (--this.timedLeft === 0) {
        this.push({ type: "instant", worker: this.worker, name: "uncontended-holds-untimed", at: now(), args: { after: HOLD_TIMING_BUDGET } });
      }
      open.push(now());
    } else {
      this.untimed++;
      open.push(NaN);
    }
  }
  released(prim: PrimitiveRef, at?: number): void {
    const start = (prim as PrimitiveRef & Record<symbol, number[] | undefined>)[this.OPEN]?.pop();
    // Untimed (uncontended) hold, or acquired before tracing began: nothing to draw.
    if (start === undefined || start !== start) return;
    if (this.total >= this.maxEvents) {
      this.dropped++; // full: skip the clock read too
      return;
    }
    this.push({ type: "span", worker: this.worker, state: "holding", start, end: at ?? now(), prim });
  }

  /** Holds that were not timed because the lock was free when taken. */
  uncontendedHolds(): number {
    return this.untimed;
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
    for (const prim of this.seen) {
      const starts = (prim as PrimitiveRef & Record<symbol, number[] | undefined>)[this.OPEN];
      if (!starts) continue;
      for (const start of starts) {
        if (start === start) this.push({ type: "span", worker: this.worker, state: "holding", start, end: at, prim });
      }
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
