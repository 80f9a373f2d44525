// What the numbers were measured on: without it a figure cannot be compared.
import os from "node:os";
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
