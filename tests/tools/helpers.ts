// Shared by the tools tests: run a tool CLI as a real child process, read the pid
// log it writes, check pids, validate notebooks with Jupyter's own nbformat.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { waitGone } from "../../tools/procs";
import { jupyterEnv } from "../../tools/jupyter-env";
import { jupyterPython } from "../../tools/python";

export const root = resolve(__dirname, "../..");
export const fixtures = join(root, "tests/fixtures/notebooks");
export const fixture = (name: string) => `tests/fixtures/notebooks/${name}.ipynb`;

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `tools/<tool>.ts` with `args` from the repository root. */
export function startTool(tool: string, args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; done: Promise<ToolRun> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "tools", `${tool}.ts`), ...args], {
    cwd: root,
    env: { ...env, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<ToolRun>((r) => child.on("close", (code, signal) => r({ code, signal, stdout, stderr })));
  return { child, done };
}

export const runTool = (tool: string, args: string[], env?: NodeJS.ProcessEnv) => startTool(tool, args, env).done;

/** A fresh temporary folder; remove it with `rmSync(dir, {recursive:true})`. */
export const tempDir = (tag: string) => mkdtempSync(join(tmpdir(), `interleave-test-${tag}-`));
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Pids from a runner pid log ("server 123" / "kernel 456" lines). */
export function readPids(file: string): { server: number[]; kernel: number[] } {
  const out = { server: [] as number[], kernel: [] as number[] };
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [kind, pid] = line.split(" ");
    if (kind === "server" || kind === "kernel") out[kind].push(Number(pid));
  }
  return out;
}

/** Pids still alive after up to `ms` (processes may take a moment to be reaped). */
export function stillAlive(pids: number[], ms = 3000): Promise<number[]> {
  return waitGone(pids, ms);
}

/** Validates notebooks with Jupyter's nbformat and checks their signature; returns "" or the error text. */
export function validateNotebooks(paths: string[]): string {
  const code = [
    "import sys, nbformat, nbformat.sign",
    "notary = nbformat.sign.NotebookNotary()",
    "for p in sys.argv[1:]:",
    "    nb = nbformat.read(p, as_version=4)",
    "    nbformat.validate(nb)",
    "    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5), p + ': not nbformat 4.5'",
    "    assert notary.check_signature(nb), p + ': not trusted'",
  ].join("\n");
  const r = spawnSync(jupyterPython(), ["-c", code, ...paths], { env: jupyterEnv(), encoding: "utf8" });
  return r.status === 0 ? "" : (r.stderr || r.stdout).trim();
}

/** Waits until `predicate()` holds (polling), or throws after `ms`. */
export async function waitFor(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
