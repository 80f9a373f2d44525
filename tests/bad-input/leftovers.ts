// What a test may leave behind, read from /proc and /dev/shm (Linux).
import { readdirSync } from "node:fs";
import { childrenOf } from "../procfs";

export { childrenOf, threadCount } from "../procfs";

/** This process's children that run interleave's worker entry (tsx's esbuild service is not ours). */
export function allOurProcesses(pid = process.pid): number[] {
  return childrenOf(pid, "worker.js");
}

/** interleave's shared-memory segments in /dev/shm. */
export const ourSegments = (): string[] => readdirSync("/dev/shm").filter((n) => n.startsWith("interleave"));

/** Polls until `ok()` or `ms` passed; returns the last answer. */
export async function settle(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return ok();
}
