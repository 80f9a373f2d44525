// Pools for the pools chapter: a fixed set of workers fed from a bounded queue.
//
// ThreadPool is built on piscina. It fits: piscina already does what a thread
// pool must get right (reusing threads, a task queue, aborting a running task by
// replacing its thread, resource limits) and it is fast on tiny tasks because it
// hands tasks over through shared memory. What piscina needs is a file to load;
// we point it at the kernel-helpers bundle itself (dist/index.js, export
// `__interleavePoolTask`), so the task function — shipped by source like every
// other worker function — revives primitives into the same classes the user sees.
//
// ProcessPool is ours, over child_process: N forked workers (dist/worker.js in
// "pool" mode), one task at a time each; cancelling a running task kills its
// process and starts a replacement.
//
// Both record a TaskRecord per task (submitted / started / ended, which worker)
// for the task-stream chart, and both are reaped by stopAll() and on SIGINT.
import { setMaxListeners } from "node:events";
import { availableParallelism } from "node:os";
import { threadId } from "node:worker_threads";
import type { TaskRecord, WorkerError } from "../trace/types";
import { now } from "../trace/types";
import { prepareData, reviveData } from "./data";
import { InterruptedError, WorkerFailedError } from "./errors";
import { startProcess, workerEntry, type Host } from "./hosts";
import { track } from "./lifecycle";
import type { ToParent } from "./protocol";
import { ship, describe, type ShippedCode } from "./ship";
import { asWorkerError, compile, selfApi } from "./worker-main";

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

interface TaskOutcome {
  value: unknown;
  startedAt: number;
  endedAt: number;
  worker: string;
}

/** The part of a pool that differs between threads and processes: run one task. */
interface Backend {
  exec(code: ShippedCode, input: unknown, signal: AbortSignal | undefined): Promise<TaskOutcome>;
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
    const encoded = list.map((x, i) => prepareData({ x }, target, `${where}: inputs[${i}]`));
    const startedAt = now();
    const results: unknown[] = new Array(list.length);
    const records: TaskRecord[] = [];
    // One internal signal per map; each in-flight task listens on it (window of them), so
    // the default limit of 10 listeners would print MaxListenersExceededWarning.
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    const onAbort = (): void => inner.abort();
    signal?.addEventListener("abort", onAbort);
    let next = 0;
    let failure: Error | null = null;
    const window = this.size + this.queueSize;
    try {
      if (signal?.aborted) throw new AbortError(`${where} was cancelled before it started`);
      // `window` lanes each take the next input when their previous task ends: a bounded queue.
      const lane = async (): Promise<void> => {
        while (next < list.length && !failure && !inner.signal.aborted) {
          const i = next++;
          const rec: TaskRecord = { task: this.taskCounter++, worker: "", submittedAt: now(), startedAt: 0, endedAt: 0 };
          records[i] = rec;
          this.tasks.push(rec);
          try {
            // No user signal: nothing can cancel a task, so the backend need not listen.
            const out = await this.backend.exec(code, encoded[i], signal ? inner.signal : undefined);
            Object.assign(rec, { worker: out.worker, startedAt: out.startedAt, endedAt: out.endedAt });
            results[i] = out.value;
          } catch (err) {
            rec.endedAt = rec.endedAt || now();
            rec.startedAt = rec.startedAt || rec.endedAt;
            rec.error = (err as Error).message;
            if ((err as { worker?: string }).worker) rec.worker = (err as { worker: string }).worker;
            // Stop feeding; tasks already running finish (cancelling them would cost their threads).
            if (!failure) failure = err as Error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(window, list.length) }, lane));
      if (signal?.aborted) {
        const done = records.filter((r) => r && !r.error).length;
        throw new AbortError(`${where} was cancelled: ${done} of ${list.length} tasks had finished`);
      }
      if (failure) throw failure;
      return { results: results as Awaited<R>[], tasks: records, startedAt, endedAt: now() };
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
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

interface PoolTask {
  code: ShippedCode;
  input: unknown;
}
interface PoolTaskResult {
  ok: boolean;
  value?: unknown;
  error?: WorkerError;
  startedAt: number;
  endedAt: number;
  threadId: number;
}

const taskCache = new Map<string, (arg: unknown) => unknown>();

/**
 * Runs inside a piscina worker (exported from the bundle as __interleavePoolTask).
 * Errors are returned, not thrown, so the parent gets the worker-side stack and timing.
 */
export async function poolTask(task: PoolTask): Promise<PoolTaskResult> {
  const startedAt = now();
  try {
    let fn = taskCache.get(task.code.source);
    if (!fn) taskCache.set(task.code.source, (fn = compile(task.code, selfApi())));
    const { x } = reviveData(task.input) as { x: unknown };
    const value = await fn(x);
    return { ok: true, value, startedAt, endedAt: now(), threadId };
  } catch (err) {
    return { ok: false, error: asWorkerError(err), startedAt, endedAt: now(), threadId };
  }
}

interface PiscinaLike {
  run(task: unknown, opts?: { signal?: AbortSignal; name?: string }): Promise<unknown>;
  on(event: "error", listener: (err: Error) => void): void;
  destroy(): Promise<void>;
  close(opts?: { force?: boolean }): Promise<void>;
  threads: { threadId: number; terminate(): Promise<number> }[];
}

class PiscinaBackend implements Backend {
  private readonly piscina: PiscinaLike;
  private readonly labels = new Map<number, string>();
  constructor(size: number, queueSize: number) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require("piscina") as { Piscina?: new (o: object) => PiscinaLike; default?: new (o: object) => PiscinaLike };
    const Piscina = (mod.Piscina ?? mod.default)!;
    this.piscina = new Piscina({
      filename: workerEntry("index.js"),
      name: "__interleavePoolTask",
      minThreads: size,
      maxThreads: size,
      maxQueue: Math.max(queueSize, 1),
      idleTimeout: 60_000,
      execArgv: [], // not the parent's loaders (tsx in tests): plain Node runs the bundle
    });
    // piscina reports a result that races an abort ("Unexpected message from Worker") as an
    // 'error' event; unhandled, that would crash the kernel. The task was settled already.
    this.piscina.on("error", () => {});
  }
  async exec(code: ShippedCode, input: unknown, signal: AbortSignal | undefined): Promise<TaskOutcome> {
    let r: PoolTaskResult;
    try {
      r = (await this.piscina.run({ code, input }, signal ? { signal } : undefined)) as PoolTaskResult;
    } catch (err) {
      if (signal?.aborted) throw new AbortError("the task was cancelled");
      throw err;
    }
    let label = this.labels.get(r.threadId);
    if (!label) this.labels.set(r.threadId, (label = `t${this.labels.size}`));
    if (!r.ok) {
      const e = new WorkerFailedError(label, -1, r.error!);
      throw e;
    }
    return { value: r.value, startedAt: r.startedAt, endedAt: r.endedAt, worker: label };
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
    super("threads", options, new PiscinaBackend(o.size, o.queueSize));
  }
}

// ---------------------------------------------------------------- processes

interface Slot {
  host: Host;
  label: string;
  busy: boolean;
  /** The task running on it: settle it when the result (or the process's death) comes. */
  current: { id: number; resolve: (o: TaskOutcome) => void; reject: (e: Error) => void } | null;
}

class ProcessBackend implements Backend {
  private readonly slots: Slot[] = [];
  private readonly waiting: { start: (s: Slot) => void; signal: AbortSignal | undefined; cancel: () => void }[] = [];
  private nextTask = 0;
  private dead = false;
  constructor(private readonly size: number, private readonly prefix: boolean) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(i: number): Slot {
    const label = `p${i}`;
    const host = startProcess({ mode: "pool", id: i, n: this.size, label, kind: "process", data: undefined, trace: false }, { prefix: this.prefix });
    const slot: Slot = { host, label, busy: false, current: null };
    host.onMessage((m: ToParent) => {
      const cur = slot.current;
      if (!cur || (m.t !== "task-done" && m.t !== "task-error") || m.task !== cur.id) return;
      slot.current = null;
      if (m.t === "task-done") cur.resolve({ value: m.value, startedAt: m.startedAt, endedAt: m.endedAt, worker: label });
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

  exec(code: ShippedCode, input: unknown, signal: AbortSignal | undefined): Promise<TaskOutcome> {
    if (this.dead) return Promise.reject(new InterruptedError("the pool was terminated"));
    return new Promise<TaskOutcome>((resolve, reject) => {
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
        slot.current = { id, resolve: done(resolve), reject: done(reject) };
        slot.host.send({ t: "task", task: id, code, input });
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
