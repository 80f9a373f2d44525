// threads.run / processes.run: start N workers on one shipped function, stream
// their output, collect results and errors, watch for deadlock, record the trace,
// and make sure every worker is gone when the returned promise settles.
import { Trace } from "../trace/chrome";
import { now, type PrimitiveRef, type RunData, type TraceEvent, type WorkerRecord } from "../trace/types";
import { Segment, addon } from "../shm";
import { BoardRow, boardBytes, createBoard } from "./board";
import { prepareData } from "./data";
import { detectDeadlock, type LiveWorker } from "./deadlock";
import { InterruptedError, RunTimeoutError, WorkerFailedError } from "./errors";
import { startProcess, startThread, type Host } from "./hosts";
import { track } from "./lifecycle";
import { checkCount, checkOptions, type CheckedOptions, type RunOptions } from "./options";
import type { ToParent, WorkerInit } from "./protocol";
import { ship, type ShippedCode } from "./ship";

export type RunKind = "threads" | "processes";

/** What the worker function receives: its own id (0..n-1), the worker count, and the keys of `data`. */
export type WorkerArgs<D> = D & { id: number; n: number };

/** A worker function, or a path to a .ts/.js module whose default export (or `main`) is one. */
export type WorkerFn<D, R> = ((args: WorkerArgs<D>) => R) | string;

const WATCHDOG_MS = 50;
/** After a thread reported its result, how long its leftover timers may keep it alive. */
const LINGER_MS = 200;

/** A finished run: results, per-worker timings, the trace. `JSON.stringify(run)` gives its RunData. */
export class Run<R = unknown> {
  readonly kind: RunKind;
  readonly n: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly workers: WorkerRecord[];
  readonly trace: Trace;

  constructor(data: RunData) {
    this.kind = data.kind;
    this.n = data.n;
    this.startedAt = data.startedAt;
    this.endedAt = data.endedAt;
    this.workers = data.workers;
    this.trace = Trace.attach(data.trace, () => this.toJSON());
  }

  /** Results in worker order (results[i] is what worker i returned). */
  get results(): R[] {
    return this.workers.map((w) => w.result as R);
  }

  /** Wall time of the whole run, ms. */
  get duration(): number {
    return this.endedAt - this.startedAt;
  }

  toJSON(): RunData {
    return {
      kind: this.kind,
      n: this.n,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      workers: this.workers,
      trace: [...this.trace],
    };
  }
}

export interface ExecuteSpec {
  kind: RunKind;
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
export function runWorkers<R>(
  kind: RunKind,
  n: unknown,
  fn: unknown,
  data: unknown,
  options: unknown,
): Promise<Run<R>> {
  const fnName = `${kind}.run`;
  let spec: ExecuteSpec;
  try {
    const count = checkCount(n, kind, fnName);
    const opts = checkOptions(options, kind, fnName);
    const code = ship(fn, `${fnName}: fn`);
    const encoded = prepareData(data, kind === "threads" ? "thread" : "process", `${fnName}: data`);
    spec = { kind, n: count, code, data: encoded, opts };
  } catch (err) {
    return Promise.reject(err);
  }
  return execute<R>(spec);
}

interface WorkerState {
  record: WorkerRecord;
  host: Host;
  prims: Map<number, PrimitiveRef>;
  /** Processes: the wait state from IPC (threads read the board). */
  wait: { slot: number; since: number; holds: number[] } | null;
  row: BoardRow | null;
  finished: boolean;
}

export function execute<R>(spec: ExecuteSpec): Promise<Run<R>> {
  const { kind, n, code, data, opts } = spec;
  const firstId = spec.firstId ?? 0;
  const letter = kind === "threads" ? "t" : "p";
  const startedAt = now();
  const board = kind === "threads" ? createBoard(n) : undefined;
  // Processes: the board in a shared-memory segment, so a wait costs no IPC message.
  const boardSeg = kind === "processes" ? processBoard(n) : null;
  const events: TraceEvent[] = [];
  const states: WorkerState[] = [];
  let failure: Error | null = null;
  let firstWorkerError: Error | null = null;

  // The last wait state seen for each worker, kept so a stopped worker's final block shows in the trace.
  const liveSnapshot = new Map<WorkerState, LiveWorker>();

  function fail(err: Error): void {
    if (!failure) {
      failure = err;
      snapshot();
    }
    for (const s of states) s.host.terminate();
  }

  for (let i = 0; i < n; i++) {
    const id = firstId + i;
    const label = `${letter}${id}`;
    const init: WorkerInit = {
      mode: "run",
      code,
      id,
      n: spec.reportedN ?? n,
      label,
      kind: kind === "threads" ? "thread" : "process",
      data,
      trace: opts.trace,
      ...(board ? { board, row: i } : {}),
      ...(boardSeg ? { boardSegment: boardSeg.name, row: i } : {}),
    };
    const record: WorkerRecord = { id, label, kind: kind === "threads" ? "thread" : "process", spawnedAt: now() };
    let host: Host;
    try {
      host = kind === "threads" ? startThread(init, opts) : startProcess(init, opts);
    } catch (err) {
      fail(err as Error);
      break;
    }
    const state: WorkerState = { record, host, prims: new Map(), wait: null, row: board ? new BoardRow(board, i) : boardSeg ? new BoardRow(boardSeg.buffer, i) : null, finished: false };
    states.push(state);
    host.onMessage((m) => onMessage(state, m));
  }

  function onMessage(s: WorkerState, m: ToParent): void {
    switch (m.t) {
      case "ready":
        s.record.readyAt = Math.max(m.at, s.record.spawnedAt);
        break;
      case "prim":
        s.prims.set(m.slot, m.ref);
        break;
      case "wait":
        s.wait = { slot: m.slot, since: m.at, holds: m.holds };
        break;
      case "unwait":
        s.wait = null;
        break;
      case "trace":
        for (const e of m.events) events.push(e);
        if (m.dropped) {
          events.push({ type: "instant", worker: s.record.label, name: "trace-truncated", at: now(), args: { dropped: m.dropped } });
        }
        break;
      case "result":
        s.finished = true;
        s.record.result = m.value;
        s.record.endedAt = m.at;
        lingerThenStop(s);
        break;
      case "error": {
        s.finished = true;
        s.record.error = m.error;
        s.record.endedAt = m.at;
        const err = new WorkerFailedError(s.record.label, s.record.id, m.error);
        if (opts.keepGoingOnError) {
          firstWorkerError ??= err;
          lingerThenStop(s);
        } else fail(err);
        break;
      }
      default:
        break;
    }
  }

  function lingerThenStop(s: WorkerState): void {
    if (s.host.kind !== "thread") return; // a child process exits by itself once the result is sent
    setTimeout(() => s.host.terminate(), LINGER_MS).unref();
  }

  function liveWorkers(): LiveWorker[] {
    return states
      .filter((s) => !s.finished && s.host.alive)
      .map((s) => {
        const st = s.row ? s.row.read() : s.wait ? { blocked: true, ...s.wait } : null;
        const prim = st && st.blocked ? s.prims.get(st.slot) ?? null : null;
        const holds = prim && st ? st.holds.map((h) => s.prims.get(h)).filter((p): p is PrimitiveRef => !!p) : [];
        return { label: s.record.label, waitingOn: prim, since: st?.since ?? 0, holds };
      });
  }
  function snapshot(): void {
    for (const l of liveWorkers()) {
      const s = states.find((x) => x.record.label === l.label);
      if (s) liveSnapshot.set(s, l);
    }
  }

  const watchdog = Number.isFinite(opts.deadlockAfter)
    ? setInterval(() => {
        if (failure) return;
        const err = detectDeadlock(liveWorkers(), now(), opts.deadlockAfter);
        if (err) fail(err);
      }, WATCHDOG_MS)
    : null;
  const timer = Number.isFinite(opts.timeout)
    ? setTimeout(() => {
        const running = states.filter((s) => !s.finished).map((s) => s.record.label);
        fail(new RunTimeoutError(
          `${kind}.run timed out after ${opts.timeout} ms; still running: ${running.join(", ") || "none"}. ` +
            `They were stopped. Raise options.timeout if the work needs longer.`,
        ));
      }, opts.timeout)
    : null;

  const allExited = Promise.all(
    states.map((s) =>
      // One macrotask later: a result message racing the exit is handled first.
      s.host.exited.then((exit) => new Promise<typeof exit>((r) => setImmediate(() => r(exit)))).then((exit) => {
        const r = s.record;
        r.endedAt ??= now();
        if (kind === "processes") {
          r.exitCode = exit.code;
          r.signal = exit.signal;
        }
        if (!s.finished && !failure) {
          // Died without reporting: a crash, process.exit() in the function, or a kill from outside.
          const how = exit.error
            ? `stopped: ${exit.error}`
            : exit.signal
              ? `was killed by signal ${exit.signal}`
              : `exited with code ${exit.code}`;
          const err = new WorkerFailedError(r.label, r.id, {
            name: "Error",
            message: `${kind === "threads" ? "thread" : "process"} ${how} before returning a result`,
          });
          err.exitCode = exit.code;
          err.signal = exit.signal;
          r.error = { name: err.name, message: err.message };
          if (opts.keepGoingOnError) firstWorkerError ??= err;
          else fail(err);
        }
        if (!s.finished) {
          // Stopped while blocked: close its blocked span where the board last saw it.
          const live = liveSnapshot.get(s);
          if (live?.waitingOn) {
            events.push({ type: "span", worker: r.label, state: "blocked", start: live.since, end: r.endedAt, prim: live.waitingOn, outcome: "stopped" });
          }
        }
      }),
    ),
  );
  const stopRun = async (reason: string): Promise<void> => {
    fail(new InterruptedError(`${kind}.run was stopped: ${reason}. All its workers were ended.`));
    await allExited;
  };
  spec.onStart?.(stopRun);
  const untrack = track({
    stop: stopRun,
    killSync: () => {
      for (const s of states) s.host.killSync();
    },
  });

  return new Promise<Run<R>>((resolve, reject) => {
    const finish = (): void => {
      if (watchdog) clearInterval(watchdog);
      boardSeg?.close(); // unlinks the name; our mapping stays valid for the views still held
      if (timer) clearTimeout(timer);
      untrack();
      const endedAt = now();
      for (const s of states) {
        const r = s.record;
        if (r.readyAt !== undefined) {
          events.push({ type: "span", worker: r.label, state: "spawning", start: r.spawnedAt, end: r.readyAt });
          events.push({ type: "span", worker: r.label, state: "running", start: r.readyAt, end: Math.max(r.readyAt, r.endedAt ?? endedAt) });
        } else {
          events.push({ type: "span", worker: r.label, state: "spawning", start: r.spawnedAt, end: r.endedAt ?? endedAt });
        }
      }
      events.sort((a, b) => at(a) - at(b));
      const run = new Run<R>({ kind, n, startedAt, endedAt, workers: states.map((s) => s.record), trace: events });
      const err = failure ?? firstWorkerError;
      if (err) {
        (err as Error & { run?: RunData }).run = run.toJSON();
        reject(err);
      } else resolve(run);
    };
    void allExited.then(finish, (e: unknown) => {
      failure ??= e as Error;
      finish();
    });
  });
}

/** A process-shared board, or null without the native addon (waits then travel over IPC). */
function processBoard(n: number): Segment | null {
  if (!addon()) return null;
  try {
    return Segment.create(boardBytes(n));
  } catch {
    return null; // e.g. /dev/shm full: IPC still works
  }
}

function at(e: TraceEvent): number {
  return e.type === "span" ? e.start : e.at;
}

/** Re-export for the public layer. */
export type { RunOptions };
