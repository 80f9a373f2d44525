// Chapter 2 on Node: the same five tasks (sleep, or count to N) run four ways — one
// after another on the main thread, overlapped with async on the main thread, on
// worker threads, on child processes — each returning a timeline-ready RunData.
import { spawnSync } from "node:child_process";
import { now, type RunData, type SpanEvent, type WorkerRecord } from "../trace/types";
import { CourseInputError, checkInt } from "./errors";
import { courseWorkers } from "./workers";

export type TaskMode = "main" | "async" | "threads" | "processes";
export type TaskKind = "sleep" | "count";
export const TASK_MODES: readonly TaskMode[] = ["main", "async", "threads", "processes"];
export const TASK_KINDS: readonly TaskKind[] = ["sleep", "count"];

/** The course counts to 20 million: about a second in CPython, a few ms in V8 (see the notebook). */
export const COURSE_COUNT = 20_000_000;

/** CPU-bound: counts from 0 to n one by one and returns n. Blocks its thread for the whole loop. */
export function countTo(n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) c++;
  return c;
}

/** When one task ran, on the shared clock (epoch ms), and what it returned. */
export interface TaskTiming {
  start: number;
  end: number;
  value: number;
}

/**
 * One task inside a worker (shipped as source: uses only its argument). "sleep"
 * blocks this worker's thread for `ms` without using the CPU (Atomics.wait), "count"
 * keeps one core busy counting to `count`.
 */
export function taskWorker({ kind, ms, count }: { kind: TaskKind; ms: number; count: number }): TaskTiming {
  // No nested functions here: tsx would wrap them in a helper the worker does not have.
  const start = performance.timeOrigin + performance.now();
  let value = 0;
  if (kind === "sleep") Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  else for (let i = 0; i < count; i++) value++;
  return { start, end: performance.timeOrigin + performance.now(), value };
}

export interface TasksOptions {
  /** Number of tasks (default 5). */
  tasks?: number;
  /** How long a sleeping task sleeps, ms (default 1000, as in the course). */
  sleepMs?: number;
  /** What a counting task counts to (default COURSE_COUNT). */
  count?: number;
}

export interface TasksResult {
  mode: TaskMode;
  kind: TaskKind;
  /** From the first task's start (or the first spawn) to the last task's end, ms. */
  wallMs: number;
  /** Lanes "task0"… (main, async) or the workers' lanes; sleeps appear as blocked on "sleep". */
  run: RunData;
}

function checkTasks(mode: unknown, kind: unknown, opts: TasksOptions) {
  if (!TASK_MODES.includes(mode as TaskMode)) throw new CourseInputError(`mode must be one of ${TASK_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
  if (!TASK_KINDS.includes(kind as TaskKind)) throw new CourseInputError(`kind must be "sleep" or "count", got ${JSON.stringify(kind)}`);
  if (opts === null || typeof opts !== "object") throw new CourseInputError("options must be an object such as { tasks: 5, sleepMs: 1000 }");
  return {
    tasks: checkInt("tasks", opts.tasks ?? 5, 1, 64),
    ms: checkInt("sleepMs", opts.sleepMs ?? 1000, 0, 600_000),
    count: checkInt("count", opts.count ?? COURSE_COUNT, 0, 1e12),
  };
}

const SLEEP_REF = { kind: "sleep" as const, id: "sleep", label: "sleep" };

/** A task's own span: running for counting, blocked on "sleep" for sleeping. */
function taskSpan(worker: string, kind: TaskKind, t: TaskTiming): SpanEvent {
  return kind === "sleep"
    ? { type: "span", worker, state: "blocked", start: t.start, end: t.end, prim: SLEEP_REF, outcome: "timed-out" }
    : { type: "span", worker, state: "running", start: t.start, end: t.end };
}

/**
 * Runs `tasks` identical tasks the way `mode` says and times them:
 * - "main": one after another on this thread (a sleep blocks it, like time.sleep);
 * - "async": all started at once as async functions on this thread: sleeps overlap
 *   (setTimeout), counting does not (one JS thread runs one loop at a time);
 * - "threads" / "processes": one worker thread / child process per task.
 * Never leaves a worker behind; rejects on bad options (CourseInputError).
 */
export async function runTasks(mode: TaskMode, kind: TaskKind, opts: TasksOptions = {}): Promise<TasksResult> {
  const o = checkTasks(mode, kind, opts);
  const t0 = now();
  if (mode === "main" || mode === "async") {
    const timings: TaskTiming[] = [];
    if (mode === "main") {
      for (let i = 0; i < o.tasks; i++) timings.push(taskWorker({ kind, ms: o.ms, count: o.count }));
    } else {
      const one = async (): Promise<TaskTiming> => {
        if (kind === "sleep") {
          const start = now();
          await new Promise((r) => setTimeout(r, o.ms));
          return { start, end: now(), value: 0 };
        }
        await Promise.resolve(); // async, yet the loop below still holds the only JS thread
        return taskWorker({ kind, ms: o.ms, count: o.count });
      };
      timings.push(...(await Promise.all(Array.from({ length: o.tasks }, one))));
    }
    const end = now();
    const workers: WorkerRecord[] = timings.map((t, i) => ({
      id: i,
      label: `task${i}`,
      kind: "main",
      spawnedAt: t.start,
      readyAt: t.start,
      endedAt: t.end,
      result: t.value,
    }));
    const trace = timings.map((t, i) => taskSpan(`task${i}`, kind, t));
    return { mode, kind, wallMs: end - t0, run: { kind: "threads", n: o.tasks, startedAt: t0, endedAt: end, workers, trace } };
  }
  const run = await courseWorkers(mode, "runTasks").spawner.run(o.tasks, taskWorker, { kind, ms: o.ms, count: o.count });
  const data = run.toJSON();
  // The run records spawning/running per worker; the task's own sleep goes on top.
  const extra = (run.results as TaskTiming[]).map((t, i) => taskSpan(data.workers[i].label, kind, t)).filter((s) => s.state === "blocked");
  return { mode, kind, wallMs: now() - t0, run: { ...data, trace: [...data.trace, ...extra] } };
}

/** The Python comparison: `tasks` threads vs processes counting to `count` under CPython's GIL. */
export interface PythonGil {
  python: string;
  version: string;
  sequentialMs: number;
  threadsMs: number;
  processesMs: number;
}

const PY_GIL = `
import sys, time, json, threading, multiprocessing
def count(n):
    c = 0
    while c < n:
        c += 1
def timed(start_all):
    t = time.perf_counter(); start_all(); return (time.perf_counter() - t) * 1000
def run_threads(k, n):
    ts = [threading.Thread(target=count, args=(n,)) for _ in range(k)]
    for t in ts: t.start()
    for t in ts: t.join()
def run_procs(k, n):
    ps = [multiprocessing.Process(target=count, args=(n,)) for _ in range(k)]
    for p in ps: p.start()
    for p in ps: p.join()
if __name__ == "__main__":
    k, n = int(sys.argv[1]), int(sys.argv[2])
    for _ in range(10): count(1000)  # warm-up: CPython specialises a function only after a few calls, which would favour the later figures
    seq = timed(lambda: [count(n) for _ in range(k)])
    th = timed(lambda: run_threads(k, n))
    pr = timed(lambda: run_procs(k, n))
    print(json.dumps({"version": sys.version.split()[0], "sequentialMs": seq, "threadsMs": th, "processesMs": pr}))
`;

/**
 * Runs the GIL demonstration in CPython if a `python3` (3.x) is on the PATH; null
 * when there is none (the notebook then skips it). Blocks the calling thread while
 * Python runs (about tasks × count / 20M seconds, times 3, plus a short warm-up).
 */
export function pythonGil(tasks = 5, count = 2_000_000): PythonGil | null {
  checkInt("tasks", tasks, 1, 32);
  checkInt("count", count, 1, 1e9);
  for (const python of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(python, ["-c", PY_GIL, String(tasks), String(count)], { encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0 || !r.stdout) continue;
    try {
      const parsed = JSON.parse(r.stdout.trim().split("\n").pop()!) as Omit<PythonGil, "python">;
      return { python, ...parsed };
    } catch {
      // not JSON: try the next python
    }
  }
  return null;
}
