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
// acquisition lengthens the critical section: more waiters sleep, and a
// contended loop runs many times slower.
// Once the budget is spent the recorder turns untimed hold reports off
// (reportUntimedHolds, src/sync/instrument.ts): the primitives then call it only
// for holds that began after a wait, and a traced uncontended lock + unlock costs
// what an untraced one does. An untimed hold that still arrives (one called in
// directly, or the budget's last ones) costs a depth counter, no push or pop
// (OpenHolds), and is counted (uncontendedHolds()).
import { reportUntimedHolds, type SyncObserver, type WaitOutcome } from "../sync/instrument";
import { now, type PrimitiveRef, type TraceEvent, type WorkerLabel } from "./types";

export const DEFAULT_MAX_EVENTS = 100_000;
/** Uncontended holds timed per worker before only contended ones are. */
export const HOLD_TIMING_BUDGET = 2_000;

/**
 * The open holds of one primitive in this worker, kept on its PrimitiveRef under
 * one module-wide symbol (a constant key: a plain property load on the hot path,
 * no Map lookup; symbol keys are invisible to structured clone and JSON).
 * `depth` counts open holds; `timed` keeps (start, depth) pairs for the timed
 * ones only, so an untimed (uncontended) hold costs a counter, not a push and pop.
 */
class OpenHolds {
  depth = 0;
  readonly timed: number[] = [];
  constructor(readonly recorder: TraceRecorder) {}
}
const OPEN = Symbol("interleave.openHolds");
type WithHolds = PrimitiveRef & { [OPEN]?: OpenHolds };

export class TraceRecorder implements SyncObserver {
  private events: TraceEvent[] = [];
  private dropped = 0;
  private total = 0;
  // The open wait, as two fields rather than an object: one allocation less per wait.
  private waitingOn: PrimitiveRef | null = null;
  private waitingSince = 0;
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
    this.waitingOn = prim;
    this.waitingSince = at;
  }
  waitEnd(prim: PrimitiveRef, at: number, outcome: WaitOutcome): void {
    const start = this.waitingOn !== null && this.waitingOn.id === prim.id ? this.waitingSince : at;
    this.waitingOn = null;
    this.push({ type: "span", worker: this.worker, state: "blocked", start, end: at, prim, outcome });
  }

  /** This recorder's open holds of `prim` (created on first use; another recorder's are replaced). */
  private holdsOf(prim: PrimitiveRef): OpenHolds {
    const p = prim as WithHolds;
    let h = p[OPEN];
    if (h === undefined || h.recorder !== this) {
      h = p[OPEN] = new OpenHolds(this);
      this.seen.push(prim);
    }
    return h;
  }

  acquired(prim: PrimitiveRef, at?: number): void {
    const h = this.holdsOf(prim);
    const depth = ++h.depth;
    if (at !== undefined) h.timed.push(at, depth);
    else if (this.timedLeft > 0 && this.total < this.maxEvents) {
      if (--this.timedLeft === 0) {
        this.push({ type: "instant", worker: this.worker, name: "uncontended-holds-untimed", at: now(), args: { after: HOLD_TIMING_BUDGET } });
        // Nothing more to do with them: the primitives stop calling for them.
        reportUntimedHolds(false);
      }
      h.timed.push(now(), depth);
    } else this.untimed++;
  }
  released(prim: PrimitiveRef, at?: number): void {
    const h = (prim as WithHolds)[OPEN];
    // Acquired before tracing began (or by another recorder): nothing to draw.
    if (h === undefined || h.recorder !== this || h.depth === 0) return;
    const depth = h.depth--;
    const timed = h.timed;
    const n = timed.length;
    if (n === 0 || timed[n - 1] !== depth) return; // an untimed (uncontended) hold
    const start = timed[n - 2]!;
    timed.length = n - 2;
    if (this.total >= this.maxEvents) {
      this.dropped++; // full: skip the clock read too
      return;
    }
    this.push({ type: "span", worker: this.worker, state: "holding", start, end: at ?? now(), prim });
  }

  /** Untimed holds reported to this recorder (the primitives stop reporting them once the budget is spent). */
  uncontendedHolds(): number {
    return this.untimed;
  }
  event(prim: PrimitiveRef, name: string, at: number, args?: Record<string, number | string | boolean>): void {
    this.push({ type: "instant", worker: this.worker, name, at, prim, ...(args ? { args } : {}) });
  }

  /** Close spans still open at `at` (the worker is ending, or being reported while blocked). */
  closeOpen(at: number): void {
    if (this.waitingOn !== null) {
      const prim = this.waitingOn;
      this.waitingOn = null;
      this.push({ type: "span", worker: this.worker, state: "blocked", start: this.waitingSince, end: at, prim, outcome: "unfinished" });
    }
    for (const prim of this.seen) {
      const h = (prim as WithHolds)[OPEN];
      if (h === undefined || h.recorder !== this) continue;
      for (let i = 0; i < h.timed.length; i += 2) {
        this.push({ type: "span", worker: this.worker, state: "holding", start: h.timed[i]!, end: at, prim });
      }
      h.timed.length = 0;
      h.depth = 0;
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
