// Command line of `npm run bench -- [group…] [--smoke] [--check] [--workers 1,2,4] [--out dir]`.
import { resolve } from "node:path";
import { GROUPS, type BenchOptions, type GroupName } from "./types";

export const USAGE = `usage: npm run bench -- [group…] [--smoke] [--check] [--workers 1,2,4,8,16] [--out dir]
  groups:    ${GROUPS.join(", ")} (default: all)
  --smoke    every group at tiny sizes, in seconds; targets are not checked
  --check    exit 1 naming every missed target (full run only); 3 when every miss
             was in a group the host disturbed (steal over 3 %): rerun those
  --workers  also run the scaling sweep (matmul) at these worker counts
  --out      folder for results.json, REPORT.md and the charts (default: bench/)`;

export class UsageError extends Error {}

/** Parses argv (without node and script). Throws UsageError naming the bad argument. */
export function parseArgs(argv: string[], defaultOut: string): BenchOptions {
  const groups: GroupName[] = [];
  let smoke = false;
  let check = false;
  let workers: number[] | null = null;
  let out = defaultOut;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value (e.g. ${flag === "--out" ? "--out /tmp/bench" : "--workers 1,2,4"})`);
      return v;
    };
    if (a === "--smoke") smoke = true;
    else if (a === "--check") check = true;
    else if (a === "--help" || a === "-h") throw new UsageError("");
    else if (a === "--workers" || a.startsWith("--workers=")) workers = parseWorkers(value("--workers"));
    else if (a === "--out" || a.startsWith("--out=")) out = resolve(value("--out"));
    else if (a.startsWith("-")) throw new UsageError(`unknown flag ${a}: known flags are --smoke, --check, --workers, --out`);
    else if ((GROUPS as readonly string[]).includes(a)) {
      if (!groups.includes(a as GroupName)) groups.push(a as GroupName);
    } else throw new UsageError(`unknown group "${a}": choose among ${GROUPS.join(", ")}`);
  }
  if (check && smoke) throw new UsageError("--check and --smoke do not go together: targets are checked only in a full run");
  return { groups: groups.length ? groups : [...GROUPS], smoke, check, workers, out };
}

function parseWorkers(text: string): number[] {
  const parts = text.split(",").map((s) => s.trim());
  const ns = parts.map(Number);
  ns.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > 256) {
      throw new UsageError(`--workers: "${parts[i]}" is not a worker count between 1 and 256 (give e.g. --workers 1,2,4,8,16)`);
    }
  });
  const sorted = [...new Set(ns)].sort((a, b) => a - b);
  if (sorted[0] !== 1) sorted.unshift(1); // speedups are relative to one worker
  return sorted;
}
