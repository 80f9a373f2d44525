// Shared test helpers: capture the output a run writes, count what is left alive.
import { readdirSync } from "node:fs";
import { childrenOf } from "../procfs";
import type { Spawner } from "../../src/spawn/index";

/** Run `fn` while capturing what is written to process.stdout and process.stderr. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; out: string; err: string }> {
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  let out = "",
    err = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await fn(), out, err };
  } catch (error) {
    return { error, out, err };
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
}

export { threadCount } from "../procfs";

/** Live child processes of `pid` that run interleave's worker entry (zombies excluded; tsx's esbuild service is not ours). */
export function childPids(pid: number = process.pid): number[] {
  return childrenOf(pid, "dist/worker.js");
}

/** Worker threads this process has (Node's view). */
export function workerHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Worker" || r === "MessagePort").length;
}

export function shmSegments(pid?: number): string[] {
  return readdirSync("/dev/shm").filter((n) => n.startsWith("interleave") && (pid === undefined || n.includes(`-${pid}-`)));
}

export async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

/** Runs `n` workers that loop for ever, stopped by a `timeout` of that many ms; resolves with what the run rejects with. */
export function endlessRun(spawner: Spawner, n: number, timeout: number): Promise<any> {
  return spawner
    .run(
      n,
      () => {
        for (;;) {}
      },
      undefined,
      { timeout },
    )
    .catch((e) => e);
}
