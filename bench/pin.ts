// Pinning bench threads to CPUs (Linux only): the course figures run each single
// on a known core and each worker of a crew on a core of its own, so a speedup does
// not depend on where the scheduler happened to put a thread. On the shared VMs
// this bench was built on, the two vCPUs at times run the same code at speeds
// 1.5× apart for minutes; a single that landed on the fast one made a split look
// poor, on the slow one good. Pinned, the bench times the single on each core and
// compares the split with a core of their average speed (harmonicMean).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readlinkSync } from "node:fs";

/** The CPUs this process may run on (Cpus_allowed_list), ascending; [] where that is unknown. */
export function allowedCpus(status = "/proc/self/status"): number[] {
  if (!existsSync(status)) return [];
  const line = readFileSync(status, "utf8").match(/^Cpus_allowed_list:\s*(.+)$/m);
  return line ? parseCpuList(line[1]) : [];
}

/** "0-2,5" → [0, 1, 2, 5]. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(",")) {
    const m = part.trim().match(/^(\d+)(?:-(\d+))?$/);
    if (!m) throw new Error(`not a CPU list: ${JSON.stringify(list)}`);
    const [lo, hi] = [Number(m[1]), Number(m[2] ?? m[1])];
    for (let c = lo; c <= hi; c++) cpus.push(c);
  }
  return cpus.sort((a, b) => a - b);
}

/** The calling thread's kernel thread id (a worker thread's own, not the process's). */
export function threadId(): number {
  return Number(readlinkSync("/proc/thread-self").split("/").pop());
}

/** The CPUs thread `tid` of this process may run on. */
export function threadCpus(tid: number): number[] {
  return allowedCpus(`/proc/self/task/${tid}/status`);
}

/**
 * Restricts the calling thread (not its process) to `cpu`, with util-linux's
 * taskset; returns the thread id. Raises when that is not possible, naming why.
 */
export function pinThisThread(cpu: number): number {
  const tid = threadId();
  const r = spawnSync("taskset", ["-p", "-c", String(cpu), String(tid)], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(`cannot pin thread ${tid} to CPU ${cpu}: ${r.error?.message ?? r.stderr.trim()}`);
  }
  return tid;
}

/**
 * The CPUs the course figures may pin to (all this process may use, at least two),
 * or why the bench cannot pin here (then it runs unpinned and says so in the report).
 */
export function pinPlan(): { cpus: number[] } | { why: string } {
  if (process.platform !== "linux") return { why: `pinning needs Linux (this is ${process.platform})` };
  if (!existsSync("/proc/thread-self")) return { why: "no /proc/thread-self to find a thread's id" };
  const cpus = allowedCpus();
  if (cpus.length < 2) return { why: `${cpus.length || "no"} CPU${cpus.length === 1 ? "" : "s"} allowed` };
  const probe = spawnSync("taskset", ["-p", String(process.pid)], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return { why: `taskset (util-linux) does not run: ${probe.error?.message ?? probe.stderr.trim()}` };
  return { cpus };
}

/**
 * n / Σ(1/tᵢ): the time a core of the cores' average speed (work per ms) would take,
 * given each core's time tᵢ for the same work. Equal times give that time; two cores,
 * one 1.5× slower, give 1.2× the fast one's time. Two such cores together do the
 * work in harmonicMean / 2, which is what a perfect split over them reaches.
 */
export function harmonicMean(times: readonly number[]): number {
  if (times.length === 0 || times.some((t) => !(t > 0))) throw new Error(`harmonicMean needs positive times, got [${times.join(", ")}]`);
  return times.length / times.reduce((s, t) => s + 1 / t, 0);
}
