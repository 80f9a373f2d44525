// One uniform handle over a worker thread or a child process running the worker
// entry (entry.ts): messages in, output piped, exit observed.
import type { ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { Worker, type ResourceLimits } from "node:worker_threads";
import { bundleFile } from "./entry";
import { pipeLines } from "./output";
import { INIT_KEY, type ToParent, type ToWorker, type WorkerInit } from "./protocol";

export interface Exit {
  code: number | null;
  signal: string | null;
  /** Threads: the error that ended it outside the function (out of memory, failed to load). */
  error?: string;
}

export interface Host {
  readonly label: string;
  readonly pid: number;
  onMessage(cb: (m: ToParent) => void): void;
  send(m: ToWorker): void;
  /** Resolves once the worker is gone and all its output has been written. */
  readonly exited: Promise<Exit>;
  readonly alive: boolean;
  /** End it now (terminate the thread; SIGTERM then SIGKILL the process). */
  terminate(): void;
  killSync(): void;
}

export interface HostOptions {
  prefix: boolean;
  resourceLimits?: ResourceLimits;
}

export function startThread(init: WorkerInit, opts: HostOptions): Host {
  const worker = new Worker(bundleFile(), {
    workerData: { [INIT_KEY]: init },
    stdout: true,
    stderr: true,
    execArgv: [],
    ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
  });
  let alive = true;
  const output = pipeOutput(worker, init, opts);
  const exited = new Promise<Exit>((res) => {
    let runError: Error | null = null;
    worker.on("error", (e) => (runError = e));
    worker.once("exit", (code) => {
      alive = false;
      const failed = runError as Error | null;
      void output
        .drained()
        .then(() => res({ code: failed ? code || 1 : code, signal: null, ...(failed ? { error: `${failed.name}: ${failed.message}` } : {}) }));
    });
  });
  return {
    label: init.label,
    pid: process.pid,
    onMessage: (cb) => worker.on("message", cb),
    send: (m) => worker.postMessage(m),
    exited,
    get alive() {
      return alive;
    },
    terminate: () => {
      if (alive) void worker.terminate();
    },
    killSync: () => {
      if (alive) void worker.terminate();
    },
  };
}

export function startProcess(init: WorkerInit, opts: HostOptions): Host {
  // Loaded here, not at the top: every worker thread loads this bundle and never forks
  const { fork } = require("node:child_process") as typeof import("node:child_process");
  const child: ChildProcess = fork(bundleFile(), [], {
    silent: true,
    serialization: "advanced",
    execArgv: [],
    cwd: process.cwd(),
    // The child checks that this is still its parent when it asks to die with it.
    env: { ...process.env, INTERLEAVE_PARENT_PID: String(process.pid) },
  });
  let alive = true;
  const output = pipeOutput(child, init, opts);
  let killTimer: NodeJS.Timeout | null = null;
  const exited = new Promise<Exit>((res) => {
    child.once("exit", (code, signal) => {
      alive = false;
      if (killTimer) clearTimeout(killTimer);
      void output.drained().then(() => res({ code, signal }));
    });
    // fork failed (e.g. EAGAIN): report it as an exit so the run settles.
    child.once("error", () => {
      if (child.pid === undefined) {
        alive = false;
        res({ code: -1, signal: null });
      }
    });
  });
  child.send({ t: "init", init } satisfies ToWorker);
  return {
    label: init.label,
    pid: child.pid ?? -1,
    onMessage: (cb) => child.on("message", (m) => cb(m as ToParent)),
    send: (m) => {
      if (child.connected) child.send(m);
    },
    exited,
    get alive() {
      return alive;
    },
    terminate: () => {
      if (!alive || killTimer) return;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => alive && child.kill("SIGKILL"), 1000);
      killTimer.unref();
    },
    killSync: () => {
      if (alive) child.kill("SIGKILL");
    },
  };
}

/** How long a worker's output may trail its exit before the exit is reported anyway. */
const OUTPUT_GRACE_MS = 500;

/**
 * Pipes a worker's stdout and stderr into ours, line by line, prefixed with its label
 * when asked. `drained()`, called at the exit: output may trail the exit by a tick;
 * wait for it, but never forever.
 */
function pipeOutput(w: { stdout: Readable | null; stderr: Readable | null }, init: WorkerInit, opts: HostOptions): { drained(): Promise<unknown> } {
  const prefix = opts.prefix ? `[${init.label}] ` : "";
  const ends = Promise.all([pipeLines(w.stdout, prefix, "stdout"), pipeLines(w.stderr, prefix, "stderr")]);
  return {
    drained: () => Promise.race([ends, new Promise((r) => setTimeout(r, OUTPUT_GRACE_MS).unref())]),
  };
}
