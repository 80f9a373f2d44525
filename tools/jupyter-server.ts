// A private Jupyter server for the tools: 127.0.0.1, a free port, a random token,
// root at the repository, default kernel tslab, its own runtime dir.
//
// Contract:
// - startServer() resolves once the server answers HTTP; raises a ToolError when
//   Jupyter is missing (with install instructions), when a requested port is in
//   use, or when the server exits or stays silent during start-up (with its log).
// - server.stop() shuts the kernels down through the REST API, then SIGTERMs the
//   server's process group, SIGKILLs whatever is left after a grace period, and
//   reaps any kernel still running from its runtime dir (kernels live in their own
//   sessions, outside the server's group). Idempotent.
// - The same synchronous reaping runs on exit, SIGINT/SIGTERM and uncaught errors.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onCleanup } from "./cleanup";
import { ToolError } from "./errors";
import { jupyterEnv, requireJupyter } from "./jupyter-env";
import { ensureKernelspecs } from "./kernelspec";
import { inheritedNice, killGroup, pidsWithArg, setSessionNice, waitGone } from "./procs";
import { repoRoot } from "./paths";

export interface ServerOptions {
  /** Port to bind; default: a free one. A port in use raises a ToolError. */
  port?: number;
  /** Folder the server serves (default: the repository). */
  rootDir?: string;
  /** Seconds to wait for the server to answer (default 60). */
  startTimeout?: number;
  /** Extra command-line arguments for `jupyter server`. */
  extraArgs?: string[];
  /** Sub-command script to run (default `jupyter-server`; `jupyter-lab`, `jupyter-nbclassic` for the UI). */
  command?: string;
  /** A command line to run instead of `command` from PATH (e.g. `/usr/bin/python3 lab/server.py`); the server's arguments follow it. */
  program?: string[];
  /** Extra environment variables for the server. */
  env?: NodeJS.ProcessEnv;
  /** Inherit stdio instead of capturing the log (for the interactive UI). */
  inheritStdio?: boolean;
  /** Traitlets class of the app: "ServerApp" (jupyter-server, lab, nbclassic) or "NotebookApp" (notebook 6). */
  appClass?: "ServerApp" | "NotebookApp";
  /** Let Jupyter open a browser (default false). */
  openBrowser?: boolean;
}

export interface JupyterServer {
  /** http://127.0.0.1:PORT/ */
  baseUrl: string;
  token: string;
  port: number;
  /** The server's pid (also its process-group id). */
  pid: number;
  /** Private runtime dir: connection files of this server's kernels. */
  runtimeDir: string;
  /** Pids of kernels this server runs right now (found by their connection files). */
  kernelPids(): number[];
  /** Pid of the kernel with this id (its connection file is kernel-<id>.json), if it runs. */
  kernelPid(kernelId: string): number | undefined;
  /** Server log so far (when captured). */
  log(): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves true when `port` on 127.0.0.1 can be bound now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

function checkPort(port: unknown): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ToolError(`--port must be an integer from 1 to 65535, got ${JSON.stringify(port)}; leave it out to use a free port.`);
  }
  return port;
}

export async function startServer(opts: ServerOptions = {}): Promise<JupyterServer> {
  const command = opts.command ?? "jupyter-server";
  const [script, ...programArgs] = opts.program ?? [requireJupyter(command)];
  ensureKernelspecs();
  let port: number;
  if (opts.port !== undefined) {
    port = checkPort(opts.port);
    if (!(await portFree(port))) {
      throw new ToolError(
        `port ${port} on 127.0.0.1 is already in use (another Jupyter or web server?). Stop that program, pick another --port, or leave --port out to use a free one.`,
      );
    }
  } else port = await freePort();

  const token = randomBytes(24).toString("hex");
  const runtimeDir = mkdtempSync(join(tmpdir(), "interleave-jupyter-"));
  const app = opts.appClass ?? "ServerApp";
  const args = [
    ...programArgs,
    ...(opts.openBrowser ? [] : ["--no-browser"]),
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--${app}.token=${token}`,
    `--${app}.${app === "ServerApp" ? "root_dir" : "notebook_dir"}=${opts.rootDir ?? repoRoot}`,
    "--MappingKernelManager.default_kernel_name=tslab",
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ...(opts.extraArgs ?? []),
  ];
  // Own process group (detached): a terminal's Ctrl-C reaches the tool, which then
  // stops the server in order, and the group can be killed as one.
  const child = spawn(script, args, {
    cwd: opts.rootDir ?? repoRoot,
    env: { ...jupyterEnv(runtimeDir), ...opts.env },
    detached: true,
    stdio: opts.inheritStdio ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  let logText = "";
  const keep = (d: Buffer) => {
    logText += d.toString();
    if (logText.length > 200_000) logText = logText.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | null | undefined;
  child.on("exit", (code, sig) => (exited = code ?? (sig ? -1 : 0)));
  const spawnError = new Promise<Error>((resolve) => child.on("error", resolve));
  const pid = child.pid;
  if (pid === undefined) throw new ToolError(`could not start ${script}: ${(await spawnError).message}`);

  const kernelPids = () => pidsWithArg(`${runtimeDir}/kernel-`);
  const kernelPid = (kernelId: string) => pidsWithArg(`${runtimeDir}/kernel-${kernelId}.json`)[0];
  // The server runs in its own session: give it the tool's raised priority, if any.
  const nice = inheritedNice();
  if (nice !== undefined) setSessionNice(pid, nice);
  // Synchronous last resort: kill the server group and every kernel of this runtime dir.
  const reapNow = () => {
    killGroup(pid, "SIGKILL");
    for (const k of kernelPids()) killGroup(k, "SIGKILL");
    rmSync(runtimeDir, { recursive: true, force: true });
  };
  const unregister = onCleanup(reapNow, () => stop());
  const baseUrl = `http://127.0.0.1:${port}/`;
  const api = (path: string, method = "GET") =>
    fetch(`${baseUrl}${path}`, { method, headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(5000) });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (exited === undefined) {
        try {
          const r = await api("api/kernels");
          if (r.ok) {
            const kernels = (await r.json()) as { id: string }[];
            await Promise.all(kernels.map((k) => api(`api/kernels/${k.id}`, "DELETE").catch(() => undefined)));
          }
        } catch {
          /* server not answering: the signals below still work */
        }
      }
      const kernels = kernelPids();
      killGroup(pid, "SIGTERM");
      const left = await waitGone([pid, ...kernels], 5000);
      for (const p of left) killGroup(p, "SIGKILL");
      for (const k of kernelPids()) killGroup(k, "SIGKILL");
      await waitGone([pid, ...kernels], 2000);
      rmSync(runtimeDir, { recursive: true, force: true });
      unregister();
    })());

  const server: JupyterServer = { baseUrl, token, port, pid, runtimeDir, kernelPids, kernelPid, log: () => logText, stop };

  // Wait until it answers (or dies, or the time is up).
  const deadline = Date.now() + (opts.startTimeout ?? 60) * 1000;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      const inUse = /address already in use|Errno 98/i.test(logText);
      throw new ToolError(
        inUse
          ? `port ${port} on 127.0.0.1 is already in use. Pick another --port or leave it out to use a free one.`
          : `the Jupyter server exited during start-up (status ${exited}). Its log:\n${logText.trim().split("\n").slice(-15).join("\n")}\nCheck that \`${command} --version\` works; reinstall Jupyter if not.`,
      );
    }
    try {
      const r = await api("api/status");
      if (r.ok) return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new ToolError(
        `the Jupyter server did not answer on ${baseUrl} within ${opts.startTimeout ?? 60} s. Its log:\n${logText.trim().split("\n").slice(-15).join("\n")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
