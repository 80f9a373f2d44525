// What a test may leave behind, read from /proc and /dev/shm (Linux).
import { readdirSync, readFileSync } from "node:fs";

/** OS threads of this process (main, libuv, V8 platform, one per worker thread). */
export const threadCount = (pid: number | "self" = "self"): number => readdirSync(`/proc/${pid}/task`).length;

/** Live (non-zombie) children of `pid`. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[1]) === pid && f[0] !== "Z") out.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** This process's children that run interleave's worker entry (tsx's esbuild service is not ours). */
export function allOurProcesses(pid = process.pid): number[] {
  return childrenOf(pid).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("worker.js");
    } catch {
      return false;
    }
  });
}

/** interleave's shared-memory segments in /dev/shm. */
export const ourSegments = (): string[] => readdirSync("/dev/shm").filter((n) => n.startsWith("interleave"));

/** Polls until `ok()` or `ms` passed; returns the last answer. */
export async function settle(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return ok();
}
