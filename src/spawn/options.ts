// Argument checking for runs: every wrong argument is a TypeError/RangeError
// that names the argument, says what was wrong and what to do.
import type { ResourceLimits } from "node:worker_threads";
import type { SpawnKind } from "./kinds";

export { MAX_THREADS, MAX_PROCESSES } from "./kinds";

export interface RunOptions {
  /** Stop the run and reject with a RunTimeoutError after this many ms. Default: none. */
  timeout?: number;
  /** Report a deadlock when every live worker has been blocked this long (ms). Default 1000; Infinity turns the watchdog off. */
  deadlockAfter?: number;
  /** Prefix each output line with the worker label ("[t2] "). Default true. */
  prefix?: boolean;
  /** When a worker throws, let the others finish before rejecting. Default false (stop them at once). */
  keepGoingOnError?: boolean;
  /** Worker thread heap limits (threads only). */
  resourceLimits?: ResourceLimits;
  /** Record the trace (spans, instants). Default true. */
  trace?: boolean;
}

export interface CheckedOptions {
  timeout: number;
  deadlockAfter: number;
  prefix: boolean;
  keepGoingOnError: boolean;
  resourceLimits?: ResourceLimits;
  trace: boolean;
}

const KNOWN = new Set(["timeout", "deadlockAfter", "prefix", "keepGoingOnError", "resourceLimits", "trace"]);

/** The worker count of a run, checked against the kind's limit. */
export function checkWorkerCount(n: unknown, kind: SpawnKind, fnName: string): number {
  const cap = kind.maxPerRun;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new TypeError(`${fnName}: n must be a whole number of ${kind.name} (1..${cap}), got ${typeof n === "number" ? n : typeof n}`);
  }
  if (n < 1) throw new RangeError(`${fnName}: n must be at least 1, got ${n}`);
  if (n > cap) {
    throw new RangeError(
      `${fnName}: n = ${n} is more ${kind.name} than one run may start (at most ${cap}). ` +
        `For many small tasks use a pool: new ${kind.poolName}({ size: 8 }).map(inputs, fn)`,
    );
  }
  return n;
}

/** A run's options, with their defaults filled in. */
export function checkRunOptions(options: unknown, kind: SpawnKind, fnName: string): CheckedOptions {
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${fnName}: options must be an object such as { timeout: 5000 }, got ${options === null ? "null" : typeof options}`);
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) throw new TypeError(`${fnName}: unknown option "${k}"; known options are ${[...KNOWN].join(", ")}`);
  }
  const ms = (key: string, dflt: number, allowInfinity: boolean): number => {
    const v = o[key];
    if (v === undefined) return dflt;
    if (typeof v !== "number" || Number.isNaN(v) || v <= 0 || (!allowInfinity && !Number.isFinite(v))) {
      throw new RangeError(`${fnName}: options.${key} must be a positive number of milliseconds${allowInfinity ? " (or Infinity)" : ""}, got ${String(v)}`);
    }
    return v;
  };
  const bool = (key: string, dflt: boolean): boolean => {
    const v = o[key];
    if (v === undefined) return dflt;
    if (typeof v !== "boolean") throw new TypeError(`${fnName}: options.${key} must be true or false, got ${typeof v}`);
    return v;
  };
  let resourceLimits: ResourceLimits | undefined;
  if (o.resourceLimits !== undefined) {
    if (!kind.heapLimits)
      throw new TypeError(`${fnName}: options.resourceLimits applies to threads only; a process has its own heap (use --max-old-space-size)`);
    const r = o.resourceLimits;
    if (r === null || typeof r !== "object") throw new TypeError(`${fnName}: options.resourceLimits must be an object such as { maxOldGenerationSizeMb: 64 }`);
    for (const [k, v] of Object.entries(r)) {
      if (!["maxOldGenerationSizeMb", "maxYoungGenerationSizeMb", "codeRangeSizeMb", "stackSizeMb"].includes(k)) {
        throw new TypeError(
          `${fnName}: options.resourceLimits.${k} is not a worker limit (maxOldGenerationSizeMb, maxYoungGenerationSizeMb, codeRangeSizeMb, stackSizeMb)`,
        );
      }
      if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
        throw new RangeError(`${fnName}: options.resourceLimits.${k} must be a positive number of MB, got ${String(v)}`);
    }
    resourceLimits = r as ResourceLimits;
  }
  return {
    timeout: ms("timeout", Infinity, false),
    deadlockAfter: ms("deadlockAfter", 1000, true),
    prefix: bool("prefix", true),
    keepGoingOnError: bool("keepGoingOnError", false),
    trace: bool("trace", true),
    ...(resourceLimits ? { resourceLimits } : {}),
  };
}
