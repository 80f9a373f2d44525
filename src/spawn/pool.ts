// Pools for the pools chapter: a fixed set of workers fed from a bounded queue.
//
// ThreadPool is built on piscina rather than on our own thread handling: piscina
// already does what a thread pool must get right (reusing threads, a task queue,
// aborting a running task by replacing its thread, resource limits, replacing a
// thread that died), and it is about as fast as Node allows on tiny tasks: an idle
// thread sleeps in Atomics.wait and takes the next task straight off its port,
// without a trip through its event loop. Rebuilding that would only add code to
// get wrong. What piscina needs is a file to load; we point it at the worker part
// of kernel-helpers (dist/core.js, export `poolTask`), so the task function —
// shipped by source like every other worker function — revives primitives into the
// same classes the user sees. What we add per task is kept small (pool-task.ts and
// PiscinaBackend): on tiny tasks it is the difference to piscina used directly.
//
// One setting beyond piscina's defaults: concurrentTasksPerWorker 2, so that a
// thread is handed its next task while it still runs the current one (pool-task.ts
// runs the two one after the other). Otherwise a thread that finishes a task falls
// asleep until the parent has read the result and sent the next task: two thread
// wake-ups per task, which cost more than a tiny task. The price: a task may wait
// behind a long one on its thread while another thread is free (at most one task
// per thread). A map with a signal is not affected: piscina gives a task that can be
// cancelled only to an idle thread and queues nothing behind it, so stopping its
// thread to cancel it stops no other task.
//
// ProcessPool is ours, over child_process: N forked workers (dist/worker.js in
// "pool" mode), one task at a time each; cancelling a running task kills its
// process and starts a replacement.
//
// Both record a TaskRecord per task (submitted / started / ended, which worker)
// for the task-stream chart, and both are reaped by stopAll() and on SIGINT.
import { setMaxListeners } from "node:events";
import { availableParallelism } from "node:os";
import type { TaskRecord } from "../trace/types";
import { now } from "../trace/types";
import { prepareData } from "./data";
import { InterruptedError, WorkerFailedError } from "./errors";
import { startProcess, workerEntry, type Host } from "./hosts";
import { track } from "./lifecycle";
import { dropOldest, type ToParent } from "./protocol";
import { NEED_CODE, type PoolTask, type PoolTaskResult } from "./pool-task";
import { ship, describe, type ShippedCode } from "./ship";

/** @internal Kept here for the bundle's old export name (`__interleavePoolTask`). */
export { poolTask } from "./pool-task";

export const MAX_POOL_THREADS = 256;
export const MAX_POOL_PROCESSES = 64;

export interface PoolOptions {
  /** Workers in the pool. Default: the machine's available parallelism. */
  size?: number;
  /** Tasks that may wait for a worker beyond those running; map() holds back the rest. Default: 2 × size. */
  queueSize?: number;
  /** Prefix worker output lines with the worker label (process pool). Default true. */
  prefix?: boolean;
}

export interface MapOptions {
  /** Abort the map: queued tasks are dropped, running ones stopped; the map rejects with an AbortError. */
  signal?: AbortSignal;
}

/** What map() resolves with: results in input order, and one TaskRecord per input. */
export interface MapResult<R> {
  results: R[];
  tasks: TaskRecord[];
  startedAt: number;
  endedAt: number;
}

/** An input holding objects, encoded for the worker (`{ x }` with primitives as descriptors). Scalars travel as themselves. */
class EncodedInput {
  constructor(readonly data: unknown) {}
}

/** How a task ends: `done(null, value)` or `done(error)`. Called once. */
type Done = (err: Error | null, value?: unknown) => void;

/**
 * The part of a pool that differs between threads and processes. `job` is asked
 * once per map; `exec` runs one task, fills in the record's worker and its start
 * and end (the worker's clock), then calls `done` (a callback, not a promise:
 * tiny tasks feel every promise and microtask added per task).
 */
interface Backend<J = unknown> {
  job(code: ShippedCode): J;
  exec(job: J, input: unknown, signal: AbortSignal | undefined, rec: TaskRecord, done: Done): void;
  destroy(reason: string): Promise<void>;
  killSync(): void;
}

export class AbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AbortError";
  }
}

abstract class Pool {
  readonly size: number;
  readonly queueSize: number;
  /** Every task this pool has run, in submission order (for charts). */
  readonly tasks: TaskRecord[] = [];
  protected closed = false;
  private untrack: () => void;
  private taskCounter = 0;

  protected constructor(
    protected readonly kind: "threads" | "processes",
    options: PoolOptions | undefined,
    protected readonly backend: Backend,
  ) {
    const where = kind === "threads" ? "new ThreadPool" : "new ProcessPool";
    const o = checkPoolOptions(options, kind, where);
    this.size = o.size;
    this.queueSize = o.queueSize;
    this.untrack = track({
      stop: (reason) => this.terminate(reason),
      killSync: () => backend.killSync(),
    });
  }

  /**
   * Run `fn(input)` for every input on the pool's workers; resolves with the results in
   * input order and the per-task records. At most size + queueSize tasks are handed to the
   * pool at once (a bounded queue: the rest wait here). The first task error rejects the
   * map with a WorkerFailedError naming the worker, once the tasks already running are
   * done (no new ones start). options.signal cancels: queued tasks are dropped, running
   * ones stopped (their worker is replaced), and the map rejects with an AbortError.
   */
  async map<I, R>(inputs: Iterable<I>, fn: ((input: I) => R) | string, options?: MapOptions): Promise<MapResult<Awaited<R>>> {
    const where = `${this.kind === "threads" ? "ThreadPool" : "ProcessPool"}.map`;
    if (this.closed) throw new Error(`${where}: the pool is closed; create a new one`);
    if (inputs == null || typeof (inputs as Iterable<I>)[Symbol.iterator] !== "function") {
      throw new TypeError(`${where}: inputs must be an array or another iterable, got ${describe(inputs)}`);
    }
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`${where}: options.signal must be an AbortSignal (from new AbortController().signal)`);
    }
    const code = ship(fn, `${where}: fn`);
    const list = [...inputs];
    const target = this.kind === "threads" ? "thread" : "process";
    // Checked and encoded before anything starts, so a bad input fails the map at once.
    const encoded = list.map((x, i) => (isScalar(x) ? x : new EncodedInput(prepareData({ x }, target, `${where}: inputs[${i}]`))));
    if (signal?.aborted) throw new AbortError(`${where} was cancelled before it started`);
    const job = this.backend.job(code);
    const startedAt = now();
    const total = list.length;
    const results: unknown[] = new Array(total);
    const records: TaskRecord[] = new Array(total);
    // One internal signal per map, passed to every task; the default limit of 10
    // listeners would print MaxListenersExceededWarning. No user signal: nothing can
    // cancel a task, so the backend need not listen at all.
    let inner: AbortController | null = null;
    if (signal) {
      inner = new AbortController();
      setMaxListeners(0, inner.signal);
    }
    const taskSignal = inner?.signal;
    const onAbort = (): void => inner!.abort();
    signal?.addEventListener("abort", onAbort);
    const window = this.size + this.queueSize;
    let next = 0;
    let running = 0;
    let failure: Error | null = null;

    // A bounded queue: at most `window` tasks are handed to the backend; each one that
    // ends hands over the next input.
    return new Promise<MapResult<Awaited<R>>>((resolve, reject) => {
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        signal?.removeEventListener("abort", onAbort);
        if (signal?.aborted) {
          const done = records.filter((r) => r && !r.error).length;
          reject(new AbortError(`${where} was cancelled: ${done} of ${total} tasks had finished`));
        } else if (failure) reject(failure);
        else resolve({ results: results as Awaited<R>[], tasks: records, startedAt, endedAt: now() });
      };
      const feed = (): void => {
        while (running < window && next < total && !failure && !taskSignal?.aborted) {
          const i = next++;
          const rec: TaskRecord = { task: this.taskCounter++, worker: "", submittedAt: now(), startedAt: 0, endedAt: 0 };
          records[i] = rec;
          this.tasks.push(rec);
          running++;
          const done: Done = (err, value) => {
            if (err) {
              rec.endedAt ||= now();
              rec.startedAt ||= rec.endedAt;
              rec.error = err.message;
              const worker = (err as Error & { worker?: string }).worker;
              if (worker) rec.worker = worker;
              // Stop feeding; tasks already running finish (cancelling them would cost their threads).
              failure ??= err;
            } else results[i] = value;
            running--;
            feed();
          };
          try {
            this.backend.exec(job, encoded[i], taskSignal, rec, done);
          } catch (err) {
            done(err as Error);
          }
        }
        if (running === 0) finish();
      };
      feed();
    });
  }

  /** Let running tasks finish, then end the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.backend.destroy("close() was called");
    this.untrack();
  }

  /** End the workers now; running tasks reject with an InterruptedError. */
  async terminate(reason = "terminate() was called"): Promise<void> {
    this.closed = true;
    await this.backend.destroy(reason);
    this.untrack();
  }
}

function checkPoolOptions(options: unknown, kind: "threads" | "processes", where: string): { size: number; queueSize: number; prefix: boolean } {
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object") throw new TypeError(`${where}: options must be an object such as { size: 4 }`);
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!["size", "queueSize", "prefix"].includes(k)) throw new TypeError(`${where}: unknown option "${k}" (size, queueSize, prefix)`);
  }
  const cap = kind === "threads" ? MAX_POOL_THREADS : MAX_POOL_PROCESSES;
  const size = o.size ?? Math.max(1, availableParallelism());
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > cap) {
    throw new RangeError(`${where}: options.size must be a whole number from 1 to ${cap}, got ${String(size)}`);
  }
  const queueSize = o.queueSize ?? 2 * size;
  if (typeof queueSize !== "number" || !Number.isInteger(queueSize) || queueSize < 0) {
    throw new RangeError(`${where}: options.queueSize must be a whole number ≥ 0, got ${String(queueSize)}`);
  }
  if (o.prefix !== undefined && typeof o.prefix !== "boolean") throw new TypeError(`${where}: options.prefix must be true or false`);
  return { size, queueSize, prefix: o.prefix !== false };
}

// ---------------------------------------------------------------- threads (piscina)

/** Whether a value travels to a worker as itself (no encoding, no revival). */
function isScalar(x: unknown): boolean {
  return x === null || (typeof x !== "object" && typeof x !== "function" && typeof x !== "symbol");
}

/** One shipped function on a pool: a number, plus (threads) the threads known to have compiled it. */
interface PoolJob {
  c: number;
  code: ShippedCode;
  known: Set<number>;
}

let jobCounter = 1;

/**
 * The job of `code` in a backend's `jobs`: the same source, the same number, so a
 * function mapped again reuses its job (workers keep it compiled); bounded.
 */
function poolJob(jobs: Map<string, PoolJob>, code: ShippedCode): PoolJob {
  let job = jobs.get(code.source);
  if (!job) {
    jobs.set(code.source, (job = { c: jobCounter++, code, known: new Set() }));
    dropOldest(jobs);
  }
  return job;
}

interface PiscinaLike {
  run(task: unknown, opts?: { signal?: AbortSignal; name?: string }): Promise<unknown>;
  on(event: "error", listener: (err: Error) => void): void;
  destroy(): Promise<void>;
  close(opts?: { force?: boolean }): Promise<void>;
  threads: { threadId: number; terminate(): Promise<number> }[];
}

class PiscinaBackend implements Backend<PoolJob> {
  private readonly piscina: PiscinaLike;
  private readonly labels = new Map<number, string>();
  private readonly jobs = new Map<string, PoolJob>();
  constructor(private readonly size: number) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require("piscina") as { Piscina?: new (o: object) => PiscinaLike; default?: new (o: object) => PiscinaLike };
    const Piscina = (mod.Piscina ?? mod.default)!;
    this.piscina = new Piscina({
      // The worker part of kernel-helpers only: a pool thread never loads charts or the course.
      filename: workerEntry("core.js"),
      name: "poolTask",
      minThreads: size,
      maxThreads: size,
      // No limit of piscina's own: each map() keeps its tasks within size + queueSize, and a
      // limit here would fail the tasks of two maps running at once on the pool.
      idleTimeout: 60_000,
      // The next task waits at its thread (see the top of this file); pool-task.ts never overlaps them.
      concurrentTasksPerWorker: 2,
      execArgv: [], // not the parent's loaders (tsx in tests): plain Node runs the bundle
    });
    // piscina reports a result that races an abort ("Unexpected message from Worker") as an
    // 'error' event; unhandled, that would crash the kernel. The task was settled already.
    this.piscina.on("error", () => {});
  }

  job(code: ShippedCode): PoolJob {
    return poolJob(this.jobs, code);
  }

  exec(job: PoolJob, input: unknown, signal: AbortSignal | undefined, rec: TaskRecord, done: Done, withCode = false): void {
    // The source rides along until every thread has answered a task of this job.
    const task: PoolTask = withCode || job.known.size < this.size ? { c: job.c, s: job.code.source, n: job.code.name, x: input } : { c: job.c, x: input };
    if (input instanceof EncodedInput) {
      task.x = input.data;
      task.r = 1;
    }
    this.piscina.run(task, signal ? { signal } : undefined).then(
      (r) => this.settle(r as PoolTaskResult, job, input, signal, rec, done),
      (err: Error) => done(signal?.aborted ? new AbortError("the task was cancelled") : err),
    );
  }

  private settle(r: PoolTaskResult, job: PoolJob, input: unknown, signal: AbortSignal | undefined, rec: TaskRecord, done: Done): void {
    // A thread that never saw this job (it replaced a cancelled one, or dropped the job): again, with the source.
    if (r === NEED_CODE) return this.exec(job, input, signal, rec, done, true);
    const threadId = Array.isArray(r) ? r[3] : r.threadId;
    // Until every thread has answered; a thread that replaces one later gets the source on its NEED_CODE.
    if (job.known.size < this.size) job.known.add(threadId);
    let label = this.labels.get(threadId);
    if (!label) this.labels.set(threadId, (label = `t${this.labels.size}`));
    rec.worker = label;
    if (Array.isArray(r)) {
      rec.startedAt = r[1];
      rec.endedAt = r[2];
      done(null, r[0]);
    } else {
      rec.startedAt = r.startedAt;
      rec.endedAt = r.endedAt;
      done(new WorkerFailedError(label, -1, r.error));
    }
  }

  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }
  killSync(): void {
    for (const t of this.piscina.threads) void t.terminate();
  }
}

/** A pool of worker threads (piscina underneath). `new ThreadPool({ size: 4 }).map(inputs, fn)`. */
export class ThreadPool extends Pool {
  constructor(options?: PoolOptions) {
    const o = checkPoolOptions(options, "threads", "new ThreadPool");
    super("threads", options, new PiscinaBackend(o.size));
  }
}

// ---------------------------------------------------------------- processes

interface Slot {
  host: Host;
  label: string;
  busy: boolean;
  /**
   * The jobs this process has compiled, oldest first: a task of one of them goes
   * without its source. The process drops its oldest the same way (dropOldest in
   * worker-main.ts), so the two lists stay the same.
   */
  compiled: Set<number>;
  /** The task running on it: settle it when the result (or the process's death) comes. */
  current: { id: number; rec: TaskRecord; resolve: (value: unknown) => void; reject: (e: Error) => void } | null;
}

class ProcessBackend implements Backend<PoolJob> {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<string, PoolJob>();
  private readonly waiting: { start: (s: Slot) => void; signal: AbortSignal | undefined; cancel: () => void }[] = [];
  private nextTask = 0;
  private dead = false;
  constructor(private readonly size: number, private readonly prefix: boolean) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(i: number): Slot {
    const label = `p${i}`;
    const host = startProcess({ mode: "pool", id: i, n: this.size, label, kind: "process", data: undefined, trace: false }, { prefix: this.prefix });
    const slot: Slot = { host, label, busy: false, compiled: new Set(), current: null };
    host.onMessage((m: ToParent) => {
      const cur = slot.current;
      if (!cur || (m.t !== "task-done" && m.t !== "task-error") || m.task !== cur.id) return;
      slot.current = null;
      cur.rec.worker = label;
      cur.rec.startedAt = m.startedAt;
      cur.rec.endedAt = m.endedAt;
      if (m.t === "task-done") cur.resolve(m.value);
      else cur.reject(new WorkerFailedError(label, i, m.error));
      this.release(slot);
    });
    void host.exited.then((exit) => {
      const cur = slot.current;
      slot.current = null;
      if (cur) {
        const how = exit.signal ? `was killed by signal ${exit.signal}` : `exited with code ${exit.code}`;
        cur.reject(new WorkerFailedError(label, i, { name: "Error", message: `pool process ${how} while running a task` }));
      }
      // Replace a lost worker unless the pool is ending.
      if (!this.dead) {
        const idx = this.slots.indexOf(slot);
        if (idx >= 0) {
          this.slots[idx] = this.spawn(i);
          this.release(this.slots[idx]!);
        }
      }
    });
    return slot;
  }

  private release(slot: Slot): void {
    slot.busy = false;
    while (this.waiting.length) {
      const w = this.waiting.shift()!;
      if (w.signal?.aborted) continue;
      slot.busy = true;
      w.start(slot);
      return;
    }
  }

  job(code: ShippedCode): PoolJob {
    return poolJob(this.jobs, code);
  }

  exec(job: PoolJob, input: unknown, signal: AbortSignal | undefined, rec: TaskRecord, done: Done): void {
    this.run(job, input, signal, rec).then((value) => done(null, value), (err: Error) => done(err));
  }

  private run(job: PoolJob, input: unknown, signal: AbortSignal | undefined, rec: TaskRecord): Promise<unknown> {
    if (this.dead) return Promise.reject(new InterruptedError("the pool was terminated"));
    // The process side revives `{ x }` (scalars pass through reviveData untouched).
    const payload = input instanceof EncodedInput ? input.data : { x: input };
    return new Promise<unknown>((resolve, reject) => {
      const id = this.nextTask++;
      let running: Slot | null = null;
      const onAbort = (): void => {
        if (running && running.current?.id === id) {
          // Cancelling a running task: its process is the only way to stop it.
          running.current = null;
          running.host.killSync();
        }
        reject(new AbortError("the task was cancelled"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = <T>(f: (v: T) => void) => (v: T): void => {
        signal?.removeEventListener("abort", onAbort);
        f(v);
      };
      const start = (slot: Slot): void => {
        running = slot;
        slot.current = { id, rec, resolve: done(resolve), reject: done(reject) };
        // The function's source goes only to a process that has not compiled it.
        if (slot.compiled.has(job.c)) slot.host.send({ t: "task", task: id, job: job.c, input: payload });
        else {
          slot.compiled.add(job.c);
          dropOldest(slot.compiled);
          slot.host.send({ t: "task", task: id, job: job.c, code: job.code, input: payload });
        }
      };
      const free = this.slots.find((s) => !s.busy && s.host.alive);
      if (free) {
        free.busy = true;
        start(free);
      } else this.waiting.push({ start, signal, cancel: () => reject(new AbortError("cancelled")) });
    });
  }

  async destroy(reason: string): Promise<void> {
    this.dead = true;
    for (const w of this.waiting.splice(0)) w.cancel();
    const exits = this.slots.map((s) => s.host.exited);
    for (const s of this.slots) {
      s.current?.reject(new InterruptedError(`the pool was stopped: ${reason}`));
      s.current = null;
      s.host.terminate();
    }
    await Promise.all(exits);
  }

  killSync(): void {
    this.dead = true;
    for (const s of this.slots) s.host.killSync();
  }
}

/** A pool of child processes. `new ProcessPool({ size: 8 }).map(inputs, fn)`. */
export class ProcessPool extends Pool {
  constructor(options?: PoolOptions) {
    const o = checkPoolOptions(options, "processes", "new ProcessPool");
    super("processes", options, new ProcessBackend(o.size, o.prefix));
  }
}
