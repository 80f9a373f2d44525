// Process bookkeeping from /proc (Linux). Used to find and reap the kernels a
// Jupyter server started: jupyter_client starts each kernel in its own session,
// so killing the server's process group does not reach them.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, getPriority } from "node:os";

/** True while `pid` exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // A zombie has exited; only its parent's wait is missing.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Pids whose command line contains `needle` (never this process). */
export function pidsWithArg(needle: string): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out; // not Linux: nothing to scan
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.includes(needle)) out.push(pid);
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Sends `signal` to the process group led by `pid`, falling back to the pid alone. Never throws. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Resolves once none of `pids` is alive, or after `ms` (returns the ones still alive). */
export async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  let left = pids.filter(alive);
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    left = left.filter(alive);
  }
  return left;
}

/**
 * Gives the session (Linux autogroup) of `pid` the nice value `nice`. With
 * autogroup scheduling on, CPU is shared between sessions first and a task's own
 * nice only counts inside its session; Jupyter starts every kernel (and the
 * server, started detached) in a new session, so the priority the tool runs at
 * would not reach them without this. Best effort: returns false where the kernel
 * has no autogroups or the change is not permitted.
 */
export function setSessionNice(pid: number, nice: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}

/**
 * The nice value a tool passes on to the sessions it starts: its own, when it was
 * raised (below 0, e.g. `nice -n -10` for a timed build). A lowered one is not
 * passed on: against other sessions at full weight, a kernel at nice 19 can be
 * starved past its cell timeouts.
 */
export function inheritedNice(): number | undefined {
  try {
    const own = getPriority();
    return own < 0 ? own : undefined;
  } catch {
    return undefined;
  }
}

const TICK_S = 0.01; // USER_HZ: /proc counts CPU time in 1/100 s on Linux

/** CPU seconds the whole machine has spent busy since boot (all cores; /proc/stat), or NaN. */
export function machineBusySeconds(): number {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait
    const [user, nice, system, , , irq, softirq, steal = 0] = cpu;
    return (user + nice + system + irq + softirq + steal) * TICK_S;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds the hypervisor has taken from this virtual machine since boot (all
 * cores; /proc/stat "steal": time a vCPU had work but the host ran something else),
 * or NaN. Zero on bare metal; on a shared VM it is what an idle machine cannot show.
 */
export function machineStealSeconds(): number {
  try {
    const steal = Number(readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/)[8]);
    return Number.isFinite(steal) ? steal * TICK_S : NaN;
  } catch {
    return NaN;
  }
}

/**
 * A clock of the CPU time the hypervisor takes from this VM (/proc/stat steal):
 * `since()` is the share of the cores' time stolen since `stealClock()` was
 * called, null where the kernel does not say (not Linux). On a shared VM a
 * share of a few percent already moves timings: the bench report gives it per
 * group, the notes build records it per build.
 */
export function stealClock(cores = availableParallelism()): { since(): number | null } {
  const s0 = machineStealSeconds();
  const t0 = performance.now();
  return {
    since() {
      const wall = (performance.now() - t0) / 1000;
      const stolen = machineStealSeconds() - s0;
      return Number.isFinite(stolen) && wall > 0 ? Math.max(0, Math.min(1, stolen / (wall * cores))) : null;
    },
  };
}

/** CPU seconds of `pid` plus its children it has reaped (utime+stime+cutime+cstime), or NaN. */
export function treeCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_S;
  } catch {
    return NaN;
  }
}
