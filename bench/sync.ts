// The sync core against bare Atomics written here, each pair measured in the same
// run in alternating windows (bare, library, bare, …) so that load on the shared
// 2-core machine hits both alike. Used by bench/groups/sync.ts.
//
// This file is also the worker: bundled once by esbuild, it runs as worker
// threads (workerData.syncBench) and child processes (env SYNC_BENCH_CHILD).
import { fork } from "node:child_process";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { Barrier, Mutex, encodeShared, reviveShared, setSyncObserver, sharedArray, type SharedArray, type SyncObserver } from "../src/sync";
import { closeAllSegments } from "../src/shm";
import { addon } from "../src/shm/native";
import { atomicsWaiter, bareBarrier, bareMutex, type BareWaiter } from "./bare";
import { bundleFor } from "./bundle";
import { pinPlan, pinThisThread } from "./pin";

export interface SyncFigure {
  name: string;
  median: number;
  spread: [number, number];
  unit: string;
  reps: number;
  baseline?: { name: string; median: number; spread: [number, number] };
  ratio?: number;
  target?: number | { on: "ratio" | "median"; op: "<=" | ">="; value: number };
  note?: string;
}

// ---------------------------------------------------------------- bare primitives

function waiters(kind: "thread" | "process"): BareWaiter {
  if (kind === "thread") return atomicsWaiter;
  const shm = addon()!;
  return { wait: (a, i, v) => void shm.futexWait(a, i, v, -1), wake: (a, i, n) => void shm.futexWake(a, i, n) };
}

// ---------------------------------------------------------------- worker side

interface Job {
  job: "mutex" | "barrier";
  kind: "thread" | "process";
  gate: Barrier;
  m: Mutex;
  b: Barrier;
  /**
   * Words for the bare mutex (0) and the bare barrier (1, 2), and the counter both
   * mutexes guard (COUNTER: 64 bytes on, in a cache line of its own, as it is from
   * the library mutex's word), in the same kind of memory.
   */
  bare: SharedArray<"int32">;
  windows: number;
  ms: number;
  waits: number;
  parties: number;
}

/** Index of the guarded counter in a job's bare words, and how many words they are. */
const COUNTER = 16;
const BARE_WORDS = 32;

function runJob(j: Job): { ops: number[]; took: number[] } {
  const w = waiters(j.kind);
  const words = j.bare.values;
  const bm = bareMutex(words, w);
  const bb = bareBarrier(words.subarray(1), j.parties, w);
  const ops: number[] = [];
  const took: number[] = [];
  for (let k = 0; k < j.windows; k++) {
    const useBare = k % 2 === 0;
    j.gate.wait();
    const t0 = performance.now();
    let n = 0;
    if (j.job === "mutex") {
      const c = words.subarray(COUNTER, COUNTER + 1);
      let t = t0;
      while (t - t0 < j.ms) {
        for (let i = 0; i < 64; i++) {
          if (useBare) {
            bm.lock();
            c[0]++;
            bm.unlock();
          } else {
            j.m.lock();
            c[0]++;
            j.m.unlock();
          }
        }
        n += 64;
        t = performance.now();
      }
    } else {
      for (let i = 0; i < j.waits; i++) {
        if (useBare) bb();
        else j.b.wait();
      }
      n = j.waits;
    }
    took.push(performance.now() - t0);
    ops.push(n);
  }
  return { ops, took };
}

/**
 * Uncontended lock + unlock, bare vs library, and the library with a no-op observer
 * installed vs without, in alternating loops of n; per repetition ns/op, warm-ups dropped.
 */
function uncontended(n: number, reps: number, warm: number): Record<"ub" | "uc" | "on" | "off", number[]> {
  const bm = bareMutex(new Int32Array(new SharedArrayBuffer(16)), atomicsWaiter);
  const m = new Mutex();
  const loop = (f: () => void) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    return ((performance.now() - t0) * 1e6) / n;
  };
  const bareOp = () => {
    bm.lock();
    bm.unlock();
  };
  const libOp = () => {
    m.lock();
    m.unlock();
  };
  const noop = () => {};
  const observer: SyncObserver = { waitStart: noop, waitEnd: noop, acquired: noop, released: noop };
  const r = { ub: [] as number[], uc: [] as number[], on: [] as number[], off: [] as number[] };
  for (let k = 0; k < reps + warm; k++) {
    const b = loop(bareOp),
      c = loop(libOp);
    setSyncObserver(observer);
    const o = loop(libOp);
    setSyncObserver(null);
    const f = loop(libOp);
    if (k < warm) continue;
    r.ub.push(b);
    r.uc.push(c);
    r.on.push(o);
    r.off.push(f);
  }
  return r;
}

if (!isMainThread && (workerData as { syncUncontended?: unknown })?.syncUncontended) {
  const u = (workerData as { syncUncontended: { n: number; reps: number; warm: number } }).syncUncontended;
  parentPort!.postMessage(uncontended(u.n, u.reps, u.warm));
} else if (!isMainThread && (workerData as { syncBench?: unknown })?.syncBench) {
  const { syncBench: data, cpu } = workerData as { syncBench: unknown; cpu?: number };
  if (cpu !== undefined) pinThisThread(cpu);
  const j = reviveShared(data) as Job;
  parentPort!.postMessage(runJob(j));
} else if (process.env.SYNC_BENCH_CHILD && process.send) {
  process.once("message", (msg: { data: unknown }) => {
    const j = reviveShared(msg.data) as Job;
    const r = runJob(j);
    process.send!(r, () => process.disconnect());
  });
}

// ---------------------------------------------------------------- main side

/** Runs the bundle `file` on one worker thread with `data` as workerData; resolves with its one message. */
function inWorker<T>(file: string, data: object): Promise<T> {
  // Plain Node, not the bench's tsx (bundle.ts says why).
  const w = new Worker(file, { workerData: data, execArgv: [] });
  return new Promise<T>((res, rej) => {
    w.once("message", res);
    w.once("error", rej);
    w.once("exit", (code) => rej(new Error(`sync bench worker exited (${code}) before replying`)));
  }).finally(() => void w.terminate());
}

/** What the workers of a job reported, and the guarded counter's final value (mutex jobs). */
interface JobRun {
  rs: Array<{ ops: number[]; took: number[] }>;
  counted: number;
}

/** Runs `job` on n worker threads, worker id pinned to cpus[id] when `cpus` is given. */
async function inThreads(file: string, n: number, job: Omit<Job, "gate" | "bare">, cpus: number[] | null): Promise<JobRun> {
  const gate = new Barrier(n);
  const bare = sharedArray("int32", BARE_WORDS, { lock: false });
  const data = encodeShared({ ...job, gate, bare }, "thread");
  const rs = await Promise.all(Array.from({ length: n }, (_, id) => inWorker<{ ops: number[]; took: number[] }>(file, { syncBench: data, cpu: cpus?.[id] })));
  return { rs, counted: bare.values[COUNTER] };
}

async function inProcesses(file: string, n: number, job: Omit<Job, "gate" | "bare">): Promise<JobRun> {
  const gate = new Barrier(n, { shared: "process" });
  const bare = sharedArray("int32", BARE_WORDS, { shared: "process", lock: false });
  const data = encodeShared({ ...job, gate, bare }, "process");
  try {
    const rs = await Promise.all(
      Array.from({ length: n }, () => {
        const c = fork(file, [], { env: { ...process.env, SYNC_BENCH_CHILD: "1" }, execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
        c.send({ data });
        return new Promise<{ ops: number[]; took: number[] }>((res, rej) => {
          c.once("message", (m) => res(m as { ops: number[]; took: number[] }));
          c.once("exit", (code) => rej(new Error(`bench child exited (${code}) before replying`)));
        }).finally(() => {
          if (c.exitCode === null) c.kill();
        });
      }),
    );
    return { rs, counted: bare.values[COUNTER] };
  } finally {
    gate.dispose();
    bare.dispose();
    job.m?.dispose();
    job.b?.dispose();
  }
}

/** The workers' reports of a mutex job, once its counter shows that no increment was lost. */
function noLostUpdates(what: string, run: JobRun): JobRun["rs"] {
  const total = run.rs.reduce((s, r) => s + r.ops.reduce((a, x) => a + x, 0), 0);
  if (run.counted !== total) throw new Error(`contended mutex, ${what}, lost updates: counter ${run.counted} != ops ${total}`);
  return run.rs;
}

function q(sorted: number[], p: number): number {
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i),
    hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}
function summary(xs: number[]): { median: number; spread: [number, number] } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: q(s, 0.5), spread: [q(s, 0.25), q(s, 0.75)] };
}
function pair(name: string, unit: string, baseName: string, b: number[], c: number[], target: number, note?: string): SyncFigure {
  const sb = summary(b),
    sc = summary(c);
  const ratios = summary(c.map((x, i) => x / b[i]));
  return { name, unit, ...sc, reps: c.length, baseline: { name: baseName, ...sb }, ratio: ratios.median, target, ...(note ? { note } : {}) };
}

/** Per window: ns per op from all workers' ops and the slowest worker's time. Even windows bare, odd library. */
function perWindow(rs: Array<{ ops: number[]; took: number[] }>, warm: number, scale: (ms: number, ops: number) => number) {
  const b: number[] = [],
    c: number[] = [],
    share: number[] = [],
    bareShare: number[] = [];
  const windows = rs[0].ops.length;
  for (let w = 2 * warm; w + 1 < windows; w += 2) {
    for (const [dst, k] of [
      [b, w],
      [c, w + 1],
    ] as const) {
      const ops = rs.reduce((s, r) => s + r.ops[k], 0);
      const ms = Math.max(...rs.map((r) => r.took[k]));
      dst.push(scale(ms, ops));
    }
    for (const [dst, k] of [
      [bareShare, w],
      [share, w + 1],
    ] as const) {
      const tot = rs.reduce((s, r) => s + r.ops[k], 0);
      dst.push(Math.min(...rs.map((r) => r.ops[k])) / tot);
    }
  }
  return { b, c, share, bareShare };
}

/**
 * The per-window figures of `n` sessions, each a fresh pair of workers (run one after
 * another), pooled; with each session's median share of the smaller worker.
 *
 * Why sessions: which of two threads a barging mutex favours is drawn once per pair
 * of threads and holds for the pair's life, so the windows of one pair are one
 * sample (README, "Contended mutex", has the measurements).
 */
async function sessionsOf(n: number, warm: number, run: (k: number) => Promise<JobRun["rs"]>) {
  const all = {
    b: [] as number[],
    c: [] as number[],
    share: [] as number[],
    bareShare: [] as number[],
    sessionShares: [] as number[],
    sessionBareShares: [] as number[],
    sessionRatios: [] as number[],
  };
  for (let k = 0; k < n; k++) {
    const w = perWindow(await run(k), warm, (t, ops) => (t * 1e6) / ops);
    all.b.push(...w.b);
    all.c.push(...w.c);
    all.share.push(...w.share);
    all.bareShare.push(...w.bareShare);
    all.sessionShares.push(summary(w.share).median);
    all.sessionBareShares.push(summary(w.bareShare).median);
    all.sessionRatios.push(summary(w.c.map((x, i) => x / w.b[i])).median);
  }
  return all;
}

export async function syncBench(opts: { smoke: boolean }): Promise<SyncFigure[]> {
  const smoke = opts.smoke;
  const reps = smoke ? 3 : 9;
  const warm = 1;
  const windows = 2 * (reps + warm);
  // The contended mutex: `sessions` fresh pairs of workers, each a warm-up pair of
  // windows and then `perSession` measured pairs (as many measured windows in all as `reps`, or one more).
  const sessions = smoke ? 1 : 5;
  const perSession = Math.ceil(reps / sessions);
  const sessionWindows = 2 * (warm + perSession);
  const ms = smoke ? 10 : 100;
  const waits = smoke ? 200 : 2000;
  const figures: SyncFigure[] = [];
  const file = bundleFor("bench/sync.ts");
  // The 2-thread jobs run one thread on each CPU where the bench can pin (pin.ts), as
  // the course's crews do: two contending threads sharing a core would take turns by
  // the scheduler's time slices (README, "Contended mutex").
  const plan = pinPlan();
  const cpus = "cpus" in plan ? plan.cpus : null;
  try {
    // 1. Uncontended lock + unlock; 2. the same with an observer installed: on a worker
    // thread running the bundle, as a notebook's code runs (bundle.ts).
    const { ub, uc, on, off } = await inWorker<Record<"ub" | "uc" | "on" | "off", number[]>>(file, {
      syncUncontended: { n: smoke ? 20_000 : 1_000_000, reps, warm },
    });
    figures.push(pair("mutex uncontended: lock + unlock", "ns/op", "bare Atomics CAS mutex", ub, uc, 1.2));
    figures.push(
      pair(
        "mutex uncontended, instrumentation on (no-op observer)",
        "ns/op",
        "instrumentation off",
        off,
        on,
        1.5,
        "the uncontended path reads no clock for the observer",
      ),
    );

    // 3. Contended, 2 threads; fairness of the library windows. In sessions of fresh
    // workers: which thread a barging mutex favours is decided per pair of threads
    // (sessionsOf says why), so windows of one pair are not independent samples.
    const ct = await sessionsOf(sessions, warm, (k) =>
      inThreads(file, 2, { job: "mutex", kind: "thread", m: new Mutex(), b: new Barrier(2), windows: sessionWindows, ms, waits, parties: 2 }, cpus).then((r) =>
        noLostUpdates(`2 threads, session ${k + 1}`, r),
      ),
    );
    const perSessionRatio = (r: number[]) => `${sessions} sessions of fresh workers, ratio per session ${r.map((x) => x.toFixed(2)).join(", ")}`;
    figures.push(pair("mutex contended, 2 threads: lock + ++ + unlock", "ns/op", "bare Atomics CAS mutex", ct.b, ct.c, 1.2, perSessionRatio(ct.sessionRatios)));
    const sh = summary(ct.share);
    figures.push({
      name: "mutex contended, 2 threads: smaller thread's share",
      unit: "share",
      ...sh,
      reps: ct.share.length,
      target: { on: "median", op: ">=", value: 0.4 },
      note: `fair: each within 0.4–0.6; per session ${ct.sessionShares.map((x) => x.toFixed(2)).join(", ")}`,
    });
    // The baseline's share in the same run: says whether a cost ratio is bought with (un)fairness.
    figures.push({
      name: "bare Atomics CAS mutex, contended, 2 threads: smaller thread's share",
      unit: "share",
      ...summary(ct.bareShare),
      reps: ct.bareShare.length,
      note: `no target: the baseline's fairness, for reading the ratio; per session ${ct.sessionBareShares.map((x) => x.toFixed(2)).join(", ")}`,
    });

    // 4. Contended, 2 processes (process-shared memory, futex waits) against the bare
    // mutex on a futex in the same processes, windows interleaved as for threads.
    const cp = await sessionsOf(sessions, warm, (k) =>
      inProcesses(file, 2, {
        job: "mutex",
        kind: "process",
        m: new Mutex({ shared: "process" }),
        b: new Barrier(2, { shared: "process" }),
        windows: sessionWindows,
        ms,
        waits,
        parties: 2,
      }).then((r) => noLostUpdates(`2 processes, session ${k + 1}`, r)),
    );
    const st = summary(ct.c);
    figures.push(
      pair(
        "mutex contended, 2 processes (futex): lock + ++ + unlock",
        "ns/op",
        "bare futex mutex",
        cp.b,
        cp.c,
        1.2,
        `the same library mutex between 2 threads: ${st.median.toFixed(1)} ns/op; ${perSessionRatio(cp.sessionRatios)}`,
      ),
    );
    figures.push({
      name: "mutex contended, 2 processes: smaller process's share",
      unit: "share",
      ...summary(cp.share),
      reps: cp.share.length,
      note: `no target (the issue's fairness target is the threads'); the bare futex mutex's: ${summary(cp.bareShare).median.toFixed(2)}`,
    });

    // 5. Barrier, 2 threads and 2 processes, against a bare barrier.
    const bt = (await inThreads(file, 2, { job: "barrier", kind: "thread", m: new Mutex(), b: new Barrier(2), windows, ms, waits, parties: 2 }, cpus)).rs;
    const wt = perWindow(bt, warm, (t, ops) => (t * 1e3) / (ops / 2));
    figures.push(pair("barrier wait, 2 threads", "µs/wait", "bare Atomics barrier", wt.b, wt.c, 1.3));
    const bp = (
      await inProcesses(file, 2, {
        job: "barrier",
        kind: "process",
        m: new Mutex({ shared: "process" }),
        b: new Barrier(2, { shared: "process" }),
        windows,
        ms,
        waits,
        parties: 2,
      })
    ).rs;
    const wp = perWindow(bp, warm, (t, ops) => (t * 1e3) / (ops / 2));
    figures.push(pair("barrier wait, 2 processes (futex)", "µs/wait", "bare futex barrier", wp.b, wp.c, 1.3));
  } finally {
    closeAllSegments();
  }
  return figures;
}
