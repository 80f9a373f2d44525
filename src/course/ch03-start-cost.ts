// What starting a thread costs, measured: a Node worker thread (a new JavaScript engine
// instance in this process) and, where python3 is installed, a CPython thread (an OS
// thread sharing the interpreter). The figure decides when one thread per task pays.
import { spawnSync } from "node:child_process";
import { threads } from "../spawn/api";
import { checkInt } from "./errors";

export interface StartCost {
  /** Each thread's start-up, ms: from the request to its code running. */
  perThreadMs: number[];
  /** The median of perThreadMs. */
  medianMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Starts `count` Node worker threads one run at a time (so they do not queue for the cores) and measures each start-up. */
export async function workerStartCost(count = 5): Promise<StartCost> {
  checkInt("count", count, 1, 64);
  const perThreadMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const run = await threads.run(1, () => 0, {}, { trace: false });
    const w = run.workers[0];
    if (w.readyAt === undefined) throw new Error("the worker ended without reporting that it started: cannot time its start-up");
    perThreadMs.push(w.readyAt - w.spawnedAt);
  }
  return { perThreadMs, medianMs: median(perThreadMs) };
}

const PY_START = `
import sys, json, threading, time
def nothing(): pass
ms = []
for _ in range(int(sys.argv[1])):
    t = time.perf_counter(); th = threading.Thread(target=nothing); th.start(); th.join()
    ms.append((time.perf_counter() - t) * 1000)
print(json.dumps({"version": sys.version.split()[0], "perThreadMs": ms}))
`;

/**
 * Starts and joins `count` CPython threads that do nothing, one at a time, and
 * measures each (start + join). Null when no python3 is installed. Blocks the
 * calling thread while Python runs (well under a second).
 */
export function pythonThreadStartCost(count = 20): (StartCost & { python: string; version: string }) | null {
  checkInt("count", count, 1, 10_000);
  for (const python of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(python, ["-c", PY_START, String(count)], { encoding: "utf8", timeout: 30_000 });
    if (r.status !== 0 || !r.stdout) continue;
    try {
      const parsed = JSON.parse(r.stdout.trim().split("\n").pop()!) as { version: string; perThreadMs: number[] };
      return { python, version: parsed.version, perThreadMs: parsed.perThreadMs, medianMs: median(parsed.perThreadMs) };
    } catch {
      // not JSON: try the next python
    }
  }
  return null;
}
