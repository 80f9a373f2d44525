// Pools for the pools chapter: a fixed set of workers fed from a bounded queue.
// This file is the scheduler, the same for both kinds: map() hands a pool's backend
// at most size + queueSize tasks at once and records a TaskRecord per task
// (submitted / started / ended, which worker) for the task-stream chart. The
// backends start the workers and run the tasks: piscina for threads
// (pool-threads.ts), our own over child_process for processes (pool-processes.ts).
// Every pool is reaped by stopAll() and on SIGINT.
import { setMaxListeners } from "node:events";
import { availableParallelism } from "node:os";
import type { TaskRecord } from "../trace/types";
import { now } from "../trace/types";
import { prepareData } from "./data";
import { AbortError } from "./errors";
import { PROCESSES, THREADS, type SpawnKind } from "./kinds";
import { track } from "./lifecycle";
import { EncodedInput, isScalar, type Backend, type Done } from "./pool-backend";
import { describe, ship } from "./ship";

export { AbortError } from "./errors";
export { MAX_POOL_PROCESSES, MAX_POOL_THREADS } from "./kinds";

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

/** Pool options with their defaults filled in. */
interface CheckedPoolOptions {
  size: number;
  queueSize: number;
  prefix: boolean;
}

abstract class Pool {
  readonly size: number;
  readonly queueSize: number;
  /** Every task this pool has run, in submission order (for charts). */
  readonly tasks: TaskRecord[] = [];
  protected closed = false;
  private readonly backend: Backend;
  private readonly untrack: () => void;
  private taskCounter = 0;
  /** The maps in progress (close() waits for them). */
  private readonly mapping = new Set<Promise<unknown>>();
  /** The workers' end, once it has begun (close() and terminate() end them once). */
  private ending: Promise<void> | null = null;

  protected constructor(
    protected readonly kind: SpawnKind,
    options: CheckedPoolOptions,
  ) {
    this.size = options.size;
    this.queueSize = options.queueSize;
    this.backend = kind.pool(options.size, options.prefix);
    this.untrack = track({
      stop: (reason) => this.terminate(reason),
      killSync: () => this.backend.killSync(),
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
    const where = `${this.kind.poolName}.map`;
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
    // Checked and encoded before anything starts, so a bad input fails the map at once.
    const encoded = list.map((x, i) => (isScalar(x) ? x : new EncodedInput(prepareData({ x }, this.kind.sharing, `${where}: inputs[${i}]`))));
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
    const mapped = new Promise<MapResult<Awaited<R>>>((resolve, reject) => {
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
    // close() waits for the maps in progress.
    this.mapping.add(mapped);
    const settled = (): void => void this.mapping.delete(mapped);
    mapped.then(settled, settled);
    return mapped;
  }

  /**
   * No new map() is accepted; the maps in progress run to their end (all their
   * tasks), then the workers end. Resolves once they are gone.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.mapping.size) await Promise.allSettled([...this.mapping]);
    await this.end("close() was called");
  }

  /** End the workers now; running tasks reject with an InterruptedError, and so do the maps in progress. */
  async terminate(reason = "terminate() was called"): Promise<void> {
    this.closed = true;
    await this.end(reason);
  }

  private end(reason: string): Promise<void> {
    this.ending ??= this.backend.destroy(reason).finally(() => this.untrack());
    return this.ending;
  }
}

/** Checks pool options once, before any worker starts; fills in the defaults. */
function checkPoolOptions(options: unknown, kind: SpawnKind): CheckedPoolOptions {
  const where = `new ${kind.poolName}`;
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object") throw new TypeError(`${where}: options must be an object such as { size: 4 }`);
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!["size", "queueSize", "prefix"].includes(k)) throw new TypeError(`${where}: unknown option "${k}" (size, queueSize, prefix)`);
  }
  const cap = kind.maxPerPool;
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

/** A pool of worker threads (piscina underneath). `new ThreadPool({ size: 4 }).map(inputs, fn)`. */
export class ThreadPool extends Pool {
  constructor(options?: PoolOptions) {
    super(THREADS, checkPoolOptions(options, THREADS));
  }
}

/** A pool of child processes. `new ProcessPool({ size: 8 }).map(inputs, fn)`. */
export class ProcessPool extends Pool {
  constructor(options?: PoolOptions) {
    super(PROCESSES, checkPoolOptions(options, PROCESSES));
  }
}
