// The worker side of every run and process pool: rebuilds the shipped function,
// revives shared data, installs the sync observer (trace + status board), calls
// the function and reports the result or the error to the parent.
// It runs inside the worker bundle's core (entry.ts), which the bundle's API module
// loads too: the primitives it revives are the very classes `require("kernel-helpers")`
// gives the user's code. The rest of the API (charts, course, the parent's side of
// spawning) is loaded only if that code asks for it.
import { createRequire } from "node:module";
import * as vm from "node:vm";
import { setSyncObserver, type SyncObserver, type WaitOutcome } from "../sync/instrument";
import { heldMutexes } from "../sync/mutex";
import { Segment } from "../shm";
import { TraceRecorder } from "../trace/recorder";
import { now, type PrimitiveRef, type WorkerError } from "../trace/types";
import { BoardRow } from "./board";
import { bundleFile } from "./entry";
import { reviveData } from "./data";
import { INIT_KEY, dropOldest, type ToParent, type ToWorker, type WorkerInit } from "./protocol";
import type { ShippedCode } from "./ship";
import { addon } from "../shm/native";

type Send = (msg: ToParent) => void;

/** Loads what `require("kernel-helpers")` gives worker code (on first use only). */
export type KernelHelpers = () => unknown;

const TRACE_BATCH = 5000;

/** Called by the worker entry (entry.ts) in a thread or process that interleave started. */
export function workerMain(api: KernelHelpers = selfApi): void {
  const wt = require("node:worker_threads") as typeof import("node:worker_threads");
  if (!wt.isMainThread) {
    const init = (wt.workerData as Record<string, WorkerInit> | undefined)?.[INIT_KEY];
    if (!init) throw new Error("interleave worker entry started without its init data");
    const port = wt.parentPort!;
    const send: Send = (m) => port.postMessage(m);
    void runMode(init, send, api);
    return;
  }
  if (typeof process.send !== "function") {
    throw new Error("the interleave worker entry is started by threads.run/processes.run, not directly");
  }
  // A child process: the parent's death closes the IPC channel; do not outlive it.
  process.on("disconnect", () => process.exit(0));
  // A child busy in a synchronous loop never sees the channel close: have the OS kill
  // it with its parent (Linux). The parent's pid comes from the parent, so a parent
  // that died before this line is noticed too.
  const parentPid = Number(process.env.INTERLEAVE_PARENT_PID) || process.ppid;
  addon()?.dieWithParent?.(parentPid);
  const send: Send = (m) => {
    try {
      process.send!(m);
    } catch (err) {
      if (m.t === "result" || m.t === "task-done") {
        process.send!({
          ...m,
          t: m.t === "result" ? "error" : "task-error",
          error: asWorkerError(
            new TypeError(`the function's return value could not be sent back to the parent: ${(err as Error).message}. Return plain data.`),
          ),
        } as ToParent);
      } else throw err;
    }
  };
  const jobs = new Map<number, (arg: unknown) => unknown>();
  process.on("message", (msg: ToWorker) => {
    if (msg.t === "init") {
      if (msg.init.mode === "run") {
        void runMode(msg.init, send, api).then(() => {
          // Exit once the result is on its way: leftover timers in user code must not keep us alive.
          process.send!({ t: "trace", events: [], dropped: 0 }, undefined, {}, () => process.exit(0));
        });
      } else {
        installObserver(msg.init, send);
        send({ t: "ready", at: now() });
      }
    } else if (msg.t === "task") {
      void runTask(msg, api, jobs).then((m) => send(m));
    }
  });
}

/** The worker bundle's API module (what `require("kernel-helpers")` gives worker code). */
export function selfApi(): unknown {
  // A path known at run time, loaded only when worker code asks for it
  return require(bundleFile("api"));
}

/** Compile shipped code into a function. Line 1 of the source is line 1 in stack traces (`cell-fn:<name>:LINE`). */
export function compile(code: ShippedCode, api: KernelHelpers): (arg: unknown) => unknown {
  const base = createRequire(`${process.cwd()}/`);
  const req = Object.assign((id: string): unknown => (id === "kernel-helpers" ? api() : base(id)), {
    resolve: base.resolve,
    cache: base.cache,
    main: base.main,
    extensions: base.extensions,
  });
  const factory = vm.runInThisContext(`(function (require, module, exports, __filename, __dirname) { return ${code.source}\n})`, {
    filename: `cell-fn:${code.name}`,
  }) as (...a: unknown[]) => unknown;
  const mod = { exports: {} };
  const fn = factory(req, mod, mod.exports, `cell-fn:${code.name}`, process.cwd());
  if (typeof fn !== "function") throw new TypeError(`the shipped code for ${code.name} did not evaluate to a function`);
  return fn as (arg: unknown) => unknown;
}

async function runMode(init: WorkerInit, send: Send, api: KernelHelpers): Promise<void> {
  const obs = installObserver(init, send);
  send({ t: "ready", at: now() });
  try {
    const fn = compile(init.code!, api);
    const arg = { ...reviveData(init.data), id: init.id, n: init.n };
    const value = await fn(arg);
    obs.flush(true);
    send({ t: "result", value, at: now() });
  } catch (err) {
    obs.flush(true);
    send({ t: "error", error: asWorkerError(err), at: now() });
  }
}

async function runTask(msg: Extract<ToWorker, { t: "task" }>, api: KernelHelpers, jobs: Map<number, (arg: unknown) => unknown>): Promise<ToParent> {
  const startedAt = now();
  try {
    let fn = jobs.get(msg.job);
    if (!fn) {
      if (!msg.code) throw new Error(`pool process: task ${msg.task} names job ${msg.job}, which this process never compiled (internal error)`);
      try {
        fn = compile(msg.code, api);
      } catch (err) {
        // Kept as a function that throws it, so that this list and the parent's stay alike.
        fn = () => {
          throw err;
        };
      }
      jobs.set(msg.job, fn);
      dropOldest(jobs); // as the parent's list of this process's jobs does (pool-processes.ts)
    }
    const { x } = reviveData(msg.input) as { x: unknown };
    const value = await fn(x);
    return { t: "task-done", task: msg.task, value, startedAt, endedAt: now() };
  } catch (err) {
    return { t: "task-error", task: msg.task, error: asWorkerError(err), startedAt, endedAt: now() };
  }
}

export function asWorkerError(err: unknown): WorkerError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: "Error", message: `a non-Error value was thrown: ${safeString(err)}` };
}

function safeString(v: unknown): string {
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * The per-worker observer: keeps the wait state where the parent's watchdog can
 * see it (the status board: a SharedArrayBuffer for threads, a shared-memory
 * segment for processes, IPC only when neither is there) and, with tracing on,
 * records the trace.
 *
 * Cost: with tracing off it has no acquired/released hooks at all, so an
 * uncontended lock + unlock does no observer work; what the worker holds is
 * found only when it is about to block (heldMutexes() reads the holders from the lock words).
 * With tracing on, uncontended holds cost a property load and an array push/pop
 * (no clock read, see TraceRecorder).
 */
function installObserver(init: WorkerInit, send: Send): { flush(final: boolean): void } {
  const recorder = init.trace ? new TraceRecorder(init.label) : null;
  const row = boardRow(init);
  const slots = new Map<string, number>();
  const slotOf = (prim: PrimitiveRef): number => {
    let s = slots.get(prim.id);
    if (s === undefined) {
      s = slots.size;
      slots.set(prim.id, s);
      send({ t: "prim", slot: s, ref: { kind: prim.kind, id: prim.id, ...(prim.label ? { label: prim.label } : {}) } });
    }
    return s;
  };
  const flush = (final: boolean): void => {
    if (!recorder) return;
    if (final) recorder.closeOpen(now());
    if (recorder.pending() || final) send({ t: "trace", ...recorder.take() });
  };
  const observer: SyncObserver = {
    waitStart(prim: PrimitiveRef, at: number) {
      const slot = slotOf(prim);
      const holds = heldMutexes().map((m) => slotOf(m.ref));
      if (row) row.setBlocked(slot, at, holds);
      else send({ t: "wait", slot, at, holds });
      if (recorder) {
        // Flush here, about to block anyway, never from waitEnd: a mutex reports
        // waitEnd while it holds the lock, and a postMessage there would lengthen
        // the critical section.
        if (recorder.pending() >= TRACE_BATCH) flush(false);
        recorder.waitStart(prim, at);
      }
    },
    waitEnd(prim: PrimitiveRef, at: number, outcome: WaitOutcome) {
      if (row) row.setRunning();
      else send({ t: "unwait", at });
      recorder?.waitEnd(prim, at, outcome);
    },
    event(prim: PrimitiveRef, name: string, at: number, args?: Record<string, number | string | boolean>) {
      recorder?.event(prim, name, at, args);
    },
  };
  if (recorder) {
    observer.acquired = (prim, at) => recorder.acquired(prim, at);
    observer.released = (prim, at) => {
      recorder.released(prim, at);
      if (recorder.pending() >= TRACE_BATCH) flush(false);
    };
  }
  setSyncObserver(observer);
  return { flush };
}

function boardRow(init: WorkerInit): BoardRow | null {
  if (init.board) return new BoardRow(init.board, init.row ?? 0);
  if (init.boardSegment) {
    try {
      return new BoardRow(Segment.open(init.boardSegment).buffer, init.row ?? 0);
    } catch {
      return null; // the run already ended and removed it: report over IPC
    }
  }
  return null;
}
