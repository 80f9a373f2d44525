// Shared by the fault tests: a real project Jupyter server with one tslab kernel,
// the kernel's REST controls (interrupt, restart, shutdown), and /proc views of
// what the kernel started (threads, descendant processes, /dev/shm segments).
import { readdirSync, readFileSync } from "node:fs";
import { startServer, type JupyterServer } from "../../tools/jupyter-server";
import { openKernel, type CellResult, type NotebookKernel } from "../../tools/kernel-session";
import { alive } from "../../tools/procs";

/** The notebook path the sessions use; its folder (this one) becomes the kernel's cwd. */
export const SESSION_PATH = "tests/faults/fault-session.ipynb";

export interface KernelBench {
  server: JupyterServer;
  kernel: NotebookKernel;
  /** The tslab kernel's pid (there is exactly one per bench). */
  pid: number;
  /** The Jupyter kernel id (REST). */
  id: string;
  /** Runs a cell; returns its result with stdout+stderr joined as `text`. */
  cell(code: string, timeoutSec?: number): Promise<CellResult & { text: string }>;
  /** POST/DELETE on /api/kernels/<id>[/action]. */
  rest(action: "interrupt" | "restart" | "shutdown"): Promise<number>;
  /** Everything started by this bench: server, kernels, their descendants (for the final leak check). */
  seen: Set<number>;
  close(): Promise<void>;
}

export async function openBench(): Promise<KernelBench> {
  console.debug = () => {}; // @jupyterlab/services announces every WebSocket
  const server = await startServer();
  const seen = new Set<number>([server.pid]);
  try {
    const kernel = await openKernel(server, SESSION_PATH);
    const pids = server.kernelPids();
    if (pids.length !== 1) throw new Error(`expected one kernel, found ${pids.length}`);
    const sessions = (await (await api(server, "api/sessions")).json()) as { kernel: { id: string } }[];
    const bench: KernelBench = {
      server,
      kernel,
      pid: pids[0],
      id: sessions[0].kernel.id,
      seen,
      async cell(code, timeoutSec = 60) {
        const r = await kernel.execute(code, timeoutSec);
        for (const p of [bench.pid, ...descendants(bench.pid)]) seen.add(p);
        const text = r.outputs.map((o) => (o.output_type === "stream" ? String(o.text) : "")).join("") + r.errorText;
        return { ...r, text };
      },
      async rest(action) {
        const path = action === "shutdown" ? `api/kernels/${bench.id}` : `api/kernels/${bench.id}/${action}`;
        return (await api(server, path, action === "shutdown" ? "DELETE" : "POST")).status;
      },
      async close() {
        await kernel.close().catch(() => undefined);
        await server.stop();
      },
    };
    seen.add(bench.pid);
    return bench;
  } catch (e) {
    await server.stop();
    throw e;
  }
}

export function api(server: JupyterServer, path: string, method = "GET", token: string | null = server.token): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method,
    headers: token === null ? {} : { Authorization: `token ${token}` },
    redirect: "manual", // a refused page redirects to /login: that answer is what the tests check
    signal: AbortSignal.timeout(30_000),
  });
}

function stat(pid: number): { state: string; ppid: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { state: f[0], ppid: Number(f[1]) };
  } catch {
    return null;
  }
}

/** All live descendants of `pid` (children, grandchildren, …), zombies excluded. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.state !== "Z") parent.set(Number(name), s.ppid);
  }
  const out: number[] = [];
  const frontier = [pid];
  while (frontier.length) {
    const p = frontier.pop()!;
    for (const [c, pp] of parent) {
      if (pp !== p) continue;
      out.push(c);
      frontier.push(c);
    }
  }
  return out;
}

/** interleave worker processes among the descendants (they run kernel-helpers' dist/worker.js). */
export function workerProcesses(pid: number): number[] {
  return descendants(pid).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("worker.js");
    } catch {
      return false;
    }
  });
}

/** OS threads of a process, or 0 when it is gone. */
export function threadCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return 0;
  }
}

/** /dev/shm segments made by `pid` (interleave names them /interleave-<pid>-<thread>-<n>). */
export function segmentsOf(pid: number): string[] {
  return readdirSync("/dev/shm").filter((n) => n.startsWith(`interleave-${pid}-`));
}

/** Polls `ok` every 50 ms for up to `ms`; resolves with its last answer. */
export async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await sleep(50);
  return ok();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of `pids` still alive. */
export const living = (pids: Iterable<number>): number[] => [...pids].filter(alive);

/**
 * A busy run of 4 threads + 2 processes that only ends when stopped (needs threads,
 * processes imported). It first yields once: the synchronous part of a cell runs
 * inside vm.runInThisContext({ breakOnSigint }), where an interrupt is a different
 * case (see the "synchronous part" test).
 */
export const BUSY_CELL = `
await new Promise((r) => setTimeout(r, 0));
const spin = () => { for (;;) {} };
await Promise.all([
  threads.run(4, spin, {}, { deadlockAfter: Infinity }),
  processes.run(2, spin, {}, { deadlockAfter: Infinity }),
]);
`;
