// The worker side of ThreadPool: piscina calls poolTask (the worker entry's export
// `poolTask`, see entry.ts) once per task in each pool thread.
//
// ThreadPool hands each thread its next task while the current one runs (see
// pool-threads.ts), so a thread may hold two tasks; they still run one after the other:
// a task that arrives while an asynchronous one is unfinished waits for it.
//
// Tiny tasks are where a pool's own overhead shows, so the messages are small:
// a task carries the function's source only until every thread has compiled it
// (then just its number), a scalar input travels as itself, and a result comes
// back as a four-element array.
import { threadId } from "node:worker_threads";
import { now, type WorkerError } from "../trace/types";
import { reviveData } from "./data";
import { dropOldest } from "./protocol";
import { asWorkerError, compile, selfApi } from "./worker-main";

/** One task as piscina hands it to a pool thread. */
export interface PoolTask {
  /** The job (one shipped function) this task runs. */
  c: number;
  /** The function's source and name: sent until this thread is known to have compiled it. */
  s?: string;
  n?: string;
  /** The input: as itself, or (r: 1) an encoded `{ x }` holding shared primitives. */
  x: unknown;
  r?: 1;
}

/** Success: `[value, startedAt, endedAt, threadId]`. */
export type PoolTaskDone = [value: unknown, startedAt: number, endedAt: number, threadId: number];
/** The function threw (returned, not thrown, so the parent gets the worker-side stack and timing). */
export interface PoolTaskFailed {
  error: WorkerError;
  startedAt: number;
  endedAt: number;
  threadId: number;
}
/** This thread has not compiled job `c` (a new thread, or evicted): send the task again with its source. */
export const NEED_CODE = 0;
export type PoolTaskResult = PoolTaskDone | PoolTaskFailed | typeof NEED_CODE;

type Fn = (arg: unknown) => unknown;
// Bounded (dropOldest): a long session maps many functions over the same pool.
const jobs = new Map<number, Fn>();

// The asynchronous task now running on this thread (and those queued behind it), if any.
let busy: Promise<PoolTaskResult> | null = null;

/** Runs one task, after any unfinished one on this thread; synchronous for a synchronous function (no promise per task). */
export function poolTask(task: PoolTask): PoolTaskResult | Promise<PoolTaskResult> {
  return busy ? serialize(busy.then(() => runTask(task))) : runTask(task);
}

function serialize(p: Promise<PoolTaskResult>): Promise<PoolTaskResult> {
  busy = p;
  void p.then(() => {
    if (busy === p) busy = null;
  });
  return p;
}

/** Never throws: an error is the task's result. */
function runTask(task: PoolTask): PoolTaskResult | Promise<PoolTaskResult> {
  const startedAt = now();
  let fn = jobs.get(task.c);
  try {
    if (!fn) {
      if (task.s === undefined) return NEED_CODE;
      fn = compile({ source: task.s, name: task.n ?? "anonymous" }, selfApi);
      jobs.set(task.c, fn);
      dropOldest(jobs);
    }
    const value = fn(task.r ? (reviveData(task.x) as { x: unknown }).x : task.x);
    if (value !== null && typeof (value as PromiseLike<unknown> | undefined)?.then === "function") {
      return serialize(
        Promise.resolve(value).then(
          (v): PoolTaskResult => [v, startedAt, now(), threadId],
          (err: unknown) => failed(err, startedAt),
        ),
      );
    }
    return [value, startedAt, now(), threadId];
  } catch (err) {
    return failed(err, startedAt);
  }
}

function failed(err: unknown, startedAt: number): PoolTaskFailed {
  return { error: asWorkerError(err), startedAt, endedAt: now(), threadId };
}
