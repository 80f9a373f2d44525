// ThreadPool's backend: piscina. It already does what a thread pool must get
// right (reusing threads, a task queue, aborting a running task by replacing its
// thread, resource limits, replacing a thread that died), and it is about as fast
// as Node allows on tiny tasks: an idle thread sleeps in Atomics.wait and takes the
// next task straight off its port, without a trip through its event loop.
// Rebuilding that would only add code to get wrong. piscina loads the worker entry
// (entry.ts) and runs its poolTask, so the task function — shipped by source like
// every other worker function — revives primitives into the same classes the user
// sees. What we add per task is kept small (pool-task.ts and this file): on tiny
// tasks it is the difference to piscina used directly.
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
import type { TaskRecord } from "../trace/types";
import { bundleFile } from "./entry";
import { AbortError, WorkerFailedError } from "./errors";
import type { SpawnKind } from "./kinds";
import { EncodedInput, poolJob, type Backend, type Done, type PoolJob } from "./pool-backend";
import { NEED_CODE, type PoolTask, type PoolTaskResult } from "./pool-task";
import type { ShippedCode } from "./ship";

interface PiscinaLike {
  run(task: unknown, opts?: { signal?: AbortSignal; name?: string }): Promise<unknown>;
  on(event: "error", listener: (err: Error) => void): void;
  destroy(): Promise<void>;
  threads: { threadId: number; terminate(): Promise<number> }[];
}

/** The thread pool: piscina, loading the worker entry, runs poolTask (pool-task.ts) for each task. */
export class PiscinaBackend implements Backend<PoolJob> {
  private readonly piscina: PiscinaLike;
  private readonly labels = new Map<number, string>();
  private readonly jobs = new Map<string, PoolJob>();
  constructor(
    private readonly kind: SpawnKind,
    private readonly size: number,
  ) {
    // Loaded with the first ThreadPool: a worker never needs piscina
    const mod = require("piscina") as { Piscina?: new (o: object) => PiscinaLike; default?: new (o: object) => PiscinaLike };
    const Piscina = (mod.Piscina ?? mod.default)!;
    this.piscina = new Piscina({
      // The worker entry: a pool thread loads the worker part of the bundle only, never charts or the course.
      filename: bundleFile(),
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
    if (r === NEED_CODE) {
      this.exec(job, input, signal, rec, done, true);
      return;
    }
    const threadId = Array.isArray(r) ? r[3] : r.threadId;
    // Until every thread has answered; a thread that replaces one later gets the source on its NEED_CODE.
    if (job.known.size < this.size) job.known.add(threadId);
    let label = this.labels.get(threadId);
    if (!label) {
      label = `${this.kind.letter}${this.labels.size}`;
      this.labels.set(threadId, label);
    }
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
