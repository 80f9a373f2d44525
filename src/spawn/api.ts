// The public spawning API: `threads` and `processes`, each with run (N workers on
// one function) and spawn (one worker, joined explicitly).
import { prepareData } from "./data";
import { PROCESSES, THREADS, type RunKind, type SpawnKind } from "./kinds";
import { checkRunOptions, type RunOptions } from "./options";
import type { Run, WorkerArgs, WorkerFn } from "./run";
import { execute, runWorkers } from "./session";
import { ship } from "./ship";

/** One started worker, for the start/join style of the joins chapter. */
export interface WorkerHandle<R> {
  /** Numbered per kind across the session: t0, t1, … (or p0, p1, …). */
  readonly id: number;
  readonly label: string;
  /** True once the worker has ended (returned, thrown, or was stopped). */
  readonly done: boolean;
  /** Wait for the worker: resolves with its return value, rejects with its error. Can be called many times. */
  join(): Promise<R>;
  /** The whole record (timings, trace) once it ends. */
  readonly run: Promise<Run<R>>;
  /** End it now; a pending join() rejects with an InterruptedError. */
  stop(): Promise<void>;
}

/** No data fields: what a worker gets besides `id` and `n` when `data` is left out (the type `{}`, spelled so it reads as one). */
type NoData = Record<never, never>;

export interface Spawner {
  /**
   * Start `n` workers running `fn({ id, n, ...data })` and wait for all of them.
   * Resolves with a Run (results[i] from worker i, timings, trace). Rejects with
   * the first worker's error (others are stopped unless options.keepGoingOnError),
   * a RunTimeoutError after options.timeout, a DeadlockError when the watchdog sees
   * one, or an InterruptedError on stopAll()/kernel interrupt. Every worker is gone
   * when the promise settles.
   */
  run<D extends object = NoData, R = unknown>(n: number, fn: WorkerFn<D, R>, data?: D, options?: RunOptions): Promise<Run<Awaited<R>>>;
  /** Start one worker; join() it later. options: as for run (the deadlock watchdog is off unless deadlockAfter is given). */
  spawn<D extends object = NoData, R = unknown>(fn: WorkerFn<D, R>, data?: D, options?: RunOptions): WorkerHandle<Awaited<R>>;
}

const counters: Record<RunKind, number> = { threads: 0, processes: 0 };

function makeSpawner(kind: SpawnKind): Spawner {
  return {
    run<D extends object, R>(n: number, fn: WorkerFn<D, R>, data?: D, options?: RunOptions) {
      return runWorkers<Awaited<R>>(kind, n, fn, data, options);
    },
    spawn<D extends object, R>(fn: WorkerFn<D, R>, data?: D, options?: RunOptions): WorkerHandle<Awaited<R>> {
      const fnName = `${kind.name}.spawn`;
      const given = options ?? {};
      const opts = checkRunOptions(given, kind, fnName);
      // A lone worker waiting on the cell for a while is normal here: no "all blocked" rule unless asked.
      if ((given as RunOptions).deadlockAfter === undefined) opts.deadlockAfter = Infinity;
      const code = ship(fn, `${fnName}: fn`);
      const encoded = prepareData(data, kind.sharing, `${fnName}: data`);
      const id = counters[kind.name]++;
      let stopper: ((reason: string) => Promise<void>) | null = null;
      let done = false;
      const run = execute<Awaited<R>>({
        kind,
        n: 1,
        code,
        data: encoded,
        opts,
        firstId: id,
        reportedN: 1,
        onStart: (stop) => (stopper = stop),
      });
      run.then(
        () => (done = true),
        () => (done = true),
      );
      const label = `${kind.letter}${id}`;
      return {
        id,
        label,
        get done() {
          return done;
        },
        join: () => run.then((r) => r.results[0] as Awaited<R>),
        run,
        stop: async () => {
          if (stopper) await stopper(`${label}.stop() was called`);
        },
      };
    },
  };
}

/** Worker threads: shared memory (SharedArrayBuffer), cheap to start. */
export const threads: Spawner = makeSpawner(THREADS);
/** Child processes: separate heaps; share memory through interleave's shm segments. */
export const processes: Spawner = makeSpawner(PROCESSES);

export type { WorkerArgs };
