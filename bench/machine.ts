// What the numbers were measured on: without it a figure cannot be compared.
import os from "node:os";
import { machineStealSeconds } from "../tools/procs";
import type { Machine } from "./types";

export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism ? os.availableParallelism() : cpus.length,
    cpu: cpus[0]?.model?.trim() ?? "unknown",
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

/**
 * A clock of the CPU time the hypervisor takes from this VM (/proc/stat steal):
 * `since()` is the share of the cores' time stolen since `stealClock()` was
 * called, null where the kernel does not say (not Linux). On a shared VM a
 * share of a few percent already moves timings; the report gives it per group.
 */
export function stealClock(cores = os.availableParallelism()): { since(): number | null } {
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
