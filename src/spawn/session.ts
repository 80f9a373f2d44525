// One run from start to settling: start N workers on one shipped function, follow
// their messages, watch for deadlock and for the timeout, read each exit, and
// settle once every worker is gone, with a Run (or an error carrying its data).
import { now, type PrimitiveRef, type RunData, type TraceEvent, type WorkerRecord } from "../trace/types";
import type { BoardRow } from "./board";
import { prepareData } from "./data";
import { detectDeadlock, type LiveWorker } from "./deadlock";
import { InterruptedError, RunTimeoutError, WorkerFailedError } from "./errors";
import type { Exit, Host } from "./hosts";
import type { RunBoard, SpawnKind } from "./kinds";
import { track } from "./lifecycle";
import { checkRunOptions, checkWorkerCount, type CheckedOptions } from "./options";
import { assembleTrace, stoppedWhileBlocked, unreportedExit } from "./outcome";
import type { ToParent, WorkerInit } from "./protocol";
import { Run } from "./run";
import { ship, type ShippedCode } from "./ship";

/** How often the deadlock watchdog reads the board. */
const WATCHDOG_MS = 50;
/** After a thread reported its result, how long its leftover timers may keep it alive. */
const LINGER_MS = 200;

export interface ExecuteSpec {
  kind: SpawnKind;
  n: number;
  code: ShippedCode;
  data: unknown;
  opts: CheckedOptions;
  /** Worker ids/labels start here (single spawns number themselves globally). */
  firstId?: number;
  /** `n` the function sees (single spawns: 1). */
  reportedN?: number;
  /** Receives a function that stops this run (single spawns expose it as handle.stop()). */
  onStart?: (stop: (reason: string) => Promise<void>) => void;
}

/** Check arguments, ship the function, encode data, then execute. */
export function runWorkers<R>(kind: SpawnKind, n: unknown, fn: unknown, data: unknown, options: unknown): Promise<Run<R>> {
  const fnName = `${kind.name}.run`;
  let spec: ExecuteSpec;
  try {
    const count = checkWorkerCount(n, kind, fnName);
    const opts = checkRunOptions(options, kind, fnName);
    const code = ship(fn, `${fnName}: fn`);
    const encoded = prepareData(data, kind.sharing, `${fnName}: data`);
    spec = { kind, n: count, code, data: encoded, opts };
  } catch (err) {
    return Promise.reject(err);
  }
  return execute<R>(spec);
}

/** Start the run; the promise settles once every worker is gone. */
export function execute<R>(spec: ExecuteSpec): Promise<Run<R>> {
  return new RunSession<R>(spec).settled;
}

interface WorkerState {
  record: WorkerRecord;
  host: Host;
  prims: Map<number, PrimitiveRef>;
  /** The wait state from messages, when the run has no board (processes without shared memory). */
  wait: { slot: number; since: number; holds: number[] } | null;
  row: BoardRow | null;
  /** It sent its result or its error. */
  reported: boolean;
}

/**
 * A run's lifecycle. The first failure (a worker's error unless keepGoingOnError,
 * the timeout, a deadlock, a stop) is the run's; it stops every worker, and the run
 * settles with it once they are all gone. Each worker's record is filled from its
 * messages and its exit; the trace is assembled at the end.
 */
export class RunSession<R> {
  /** Resolves with the Run, or rejects with the run's failure (its `run` holds the data so far). */
  readonly settled: Promise<Run<R>>;
  private readonly kind: SpawnKind;
  private readonly opts: CheckedOptions;
  private readonly startedAt = now();
  private readonly board: RunBoard | null;
  private readonly events: TraceEvent[] = [];
  private readonly workers: WorkerState[] = [];
  private failure: Error | null = null;
  /** With keepGoingOnError: the first worker error, reported once the others are done. */
  private firstWorkerError: Error | null = null;
  /** Each worker's wait state when the run failed, so a stopped worker's last block shows in the trace. */
  private readonly lastSeen = new Map<WorkerState, LiveWorker>();
  private readonly watchdog: NodeJS.Timeout | null;
  private readonly timer: NodeJS.Timeout | null;
  private readonly allExited: Promise<unknown>;
  private readonly untrack: () => void;

  constructor(private readonly spec: ExecuteSpec) {
    this.kind = spec.kind;
    this.opts = spec.opts;
    this.board = this.kind.board(spec.n);
    this.start();
    this.watchdog = Number.isFinite(this.opts.deadlockAfter) ? setInterval(() => this.checkDeadlock(), WATCHDOG_MS) : null;
    this.timer = Number.isFinite(this.opts.timeout) ? setTimeout(() => this.timedOut(), this.opts.timeout) : null;
    this.allExited = Promise.all(
      // One macrotask later: a result message racing the exit is handled first.
      this.workers.map((w) => w.host.exited.then((exit) => new Promise<Exit>((r) => setImmediate(() => r(exit)))).then((exit) => this.onExit(w, exit))),
    );
    const stop = (reason: string): Promise<void> => this.stop(reason);
    spec.onStart?.(stop);
    this.untrack = track({
      stop,
      killSync: () => {
        for (const w of this.workers) w.host.killSync();
      },
    });
    this.settled = new Promise<Run<R>>((resolve, reject) => {
      void this.allExited.then(
        () => this.finish(resolve, reject),
        (e: unknown) => {
          this.failure ??= e as Error;
          this.finish(resolve, reject);
        },
      );
    });
  }

  /** Stop the run from outside (stopAll, an interrupt, handle.stop()); resolves once every worker is gone. */
  async stop(reason: string): Promise<void> {
    this.fail(new InterruptedError(`${this.kind.name}.run was stopped: ${reason}. All its workers were ended.`));
    await this.allExited;
  }

  private start(): void {
    const { n, code, data, opts } = this.spec;
    const firstId = this.spec.firstId ?? 0;
    for (let i = 0; i < n; i++) {
      const id = firstId + i;
      const label = `${this.kind.letter}${id}`;
      const init: WorkerInit = {
        mode: "run",
        code,
        id,
        n: this.spec.reportedN ?? n,
        label,
        kind: this.kind.sharing,
        data,
        trace: opts.trace,
        ...(this.board ? { ...this.board.init, row: i } : {}),
      };
      const record: WorkerRecord = { id, label, kind: this.kind.sharing, spawnedAt: now() };
      let host: Host;
      try {
        host = this.kind.start(init, opts);
      } catch (err) {
        this.fail(err as Error);
        break;
      }
      const w: WorkerState = { record, host, prims: new Map(), wait: null, row: this.board?.row(i) ?? null, reported: false };
      this.workers.push(w);
      host.onMessage((m) => this.onMessage(w, m));
    }
  }

  private onMessage(w: WorkerState, m: ToParent): void {
    switch (m.t) {
      case "ready":
        w.record.readyAt = Math.max(m.at, w.record.spawnedAt);
        break;
      case "prim":
        w.prims.set(m.slot, m.ref);
        break;
      case "wait":
        w.wait = { slot: m.slot, since: m.at, holds: m.holds };
        break;
      case "unwait":
        w.wait = null;
        break;
      case "trace":
        for (const e of m.events) this.events.push(e);
        if (m.dropped) {
          this.events.push({ type: "instant", worker: w.record.label, name: "trace-truncated", at: now(), args: { dropped: m.dropped } });
        }
        break;
      case "result":
        w.reported = true;
        w.record.result = m.value;
        w.record.endedAt = m.at;
        this.lingerThenStop(w);
        break;
      case "error": {
        w.reported = true;
        w.record.error = m.error;
        w.record.endedAt = m.at;
        const err = new WorkerFailedError(w.record.label, w.record.id, m.error);
        if (this.opts.keepGoingOnError) {
          this.firstWorkerError ??= err;
          this.lingerThenStop(w);
        } else this.fail(err);
        break;
      }
      default:
        break;
    }
  }

  /** The run's first failure: remember it and where every worker was, and stop them all. */
  private fail(err: Error): void {
    if (!this.failure) {
      this.failure = err;
      for (const l of this.liveWorkers()) this.lastSeen.set(l.worker, l.live);
    }
    for (const w of this.workers) w.host.terminate();
  }

  private lingerThenStop(w: WorkerState): void {
    if (this.kind.exitsAfterResult) return;
    setTimeout(() => w.host.terminate(), LINGER_MS).unref();
  }

  /** The workers still running, with what each waits on (from the board or its messages) and holds. */
  private liveWorkers(): { worker: WorkerState; live: LiveWorker }[] {
    return this.workers
      .filter((w) => !w.reported && w.host.alive)
      .map((w) => {
        const st = w.row ? w.row.read() : w.wait ? { blocked: true, ...w.wait } : null;
        const prim = st?.blocked ? (w.prims.get(st.slot) ?? null) : null;
        const holds = prim && st ? st.holds.map((h) => w.prims.get(h)).filter((p): p is PrimitiveRef => !!p) : [];
        return { worker: w, live: { label: w.record.label, waitingOn: prim, since: st?.since ?? 0, holds } };
      });
  }

  private checkDeadlock(): void {
    if (this.failure) return;
    const err = detectDeadlock(
      this.liveWorkers().map((l) => l.live),
      now(),
      this.opts.deadlockAfter,
    );
    if (err) this.fail(err);
  }

  private timedOut(): void {
    const running = this.workers.filter((w) => !w.reported).map((w) => w.record.label);
    this.fail(
      new RunTimeoutError(
        `${this.kind.name}.run timed out after ${this.opts.timeout} ms; still running: ${running.join(", ") || "none"}. ` +
          `They were stopped. Raise options.timeout if the work needs longer.`,
      ),
    );
  }

  private onExit(w: WorkerState, exit: Exit): void {
    const r = w.record;
    r.endedAt ??= now();
    if (this.kind.exitStatus) {
      r.exitCode = exit.code;
      r.signal = exit.signal;
    }
    const err = unreportedExit(r, this.kind.sharing, exit, w.reported, this.failure !== null);
    if (err) {
      r.error = { name: err.name, message: err.message };
      if (this.opts.keepGoingOnError) this.firstWorkerError ??= err;
      else this.fail(err);
    }
    if (!w.reported) {
      const span = stoppedWhileBlocked(r.label, this.lastSeen.get(w), r.endedAt);
      if (span) this.events.push(span);
    }
  }

  private finish(resolve: (run: Run<R>) => void, reject: (err: Error) => void): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.board?.close();
    if (this.timer) clearTimeout(this.timer);
    this.untrack();
    const endedAt = now();
    const records = this.workers.map((w) => w.record);
    const trace = assembleTrace(this.events, records, endedAt);
    const run = new Run<R>({ kind: this.kind.name, n: this.spec.n, startedAt: this.startedAt, endedAt, workers: records, trace });
    const err = this.failure ?? this.firstWorkerError;
    if (err) {
      (err as Error & { run?: RunData }).run = run.toJSON();
      reject(err);
    } else resolve(run);
  }
}
