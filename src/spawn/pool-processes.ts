// ProcessPool's backend, over child_process: `size` forked workers running the
// worker entry in "pool" mode, one task at a time each, and a wait queue for the
// tasks handed over while all of them are busy. Cancelling a running task kills its
// process; a process that dies is replaced.
import type { TaskRecord } from "../trace/types";
import { AbortError, InterruptedError, WorkerFailedError } from "./errors";
import type { Host } from "./hosts";
import type { SpawnKind } from "./kinds";
import { exitCause } from "./outcome";
import { EncodedInput, poolJob, type Backend, type Done, type PoolJob } from "./pool-backend";
import { dropOldest, type ToParent, type WorkerInit } from "./protocol";
import type { ShippedCode } from "./ship";

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

/** The process pool: `size` processes, one task at a time each, and the tasks waiting for one. */
export class ProcessBackend implements Backend<PoolJob> {
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<string, PoolJob>();
  /** Tasks waiting for a free process, oldest first. */
  private readonly waiting: { start: (s: Slot) => void; signal: AbortSignal | undefined; cancel: () => void }[] = [];
  private nextTask = 0;
  private dead = false;
  constructor(
    private readonly kind: SpawnKind,
    private readonly size: number,
    private readonly prefix: boolean,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(i: number): Slot {
    const label = `${this.kind.letter}${i}`;
    const init: WorkerInit = { mode: "pool", id: i, n: this.size, label, kind: this.kind.sharing, data: undefined, trace: false };
    const host = this.kind.start(init, { prefix: this.prefix });
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
        cur.reject(new WorkerFailedError(label, i, { name: "Error", message: `pool process ${exitCause(exit)} while running a task` }));
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
    this.run(job, input, signal, rec).then(
      (value) => done(null, value),
      (err: Error) => done(err),
    );
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
      const done =
        <T>(f: (v: T) => void) =>
        (v: T): void => {
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
