// The process table as /proc shows it (Linux), for the tests that count what a
// run, a kernel or a server left behind.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcEntry {
  pid: number;
  ppid: number;
  /** argv, from /proc/<pid>/cmdline. */
  cmd: string[];
}

/** Every live (non-zombie) process; one that exits while being read is skipped. */
export function liveProcesses(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Fields after the command name, which may itself hold spaces and parentheses.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (f[0] === "Z") continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean);
      out.push({ pid: Number(name), ppid: Number(f[1]), cmd });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Live children of `pid` whose command line contains `needle` (all children when omitted). */
export function childrenOf(pid: number, needle = ""): number[] {
  return liveProcesses()
    .filter((p) => p.ppid === pid && p.cmd.join("\0").includes(needle))
    .map((p) => p.pid);
}

/** OS threads of a process (main, libuv pool, V8 platform, and one per worker thread). */
export function threadCount(pid: number | "self" = "self"): number {
  return readdirSync(`/proc/${pid}/task`).length;
}
