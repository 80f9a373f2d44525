// Command line of `npm run bench -- [group…] [--smoke] [--check] [--workers 1,2,4] [--out dir]`.
import { resolve } from "node:path";
import { readCommandLine } from "../src/command-line";
import { GROUPS, NAMED_GROUPS, type BenchOptions, type GroupName } from "./types";

export const USAGE = `usage: npm run bench -- [group…] [--smoke] [--check] [--workers 1,2,4,8,16] [--out dir]
  groups:    ${GROUPS.join(", ")} (default: all); ${NAMED_GROUPS.join(", ")} only when named
  --smoke    every group at tiny sizes, in seconds; targets are not checked
  --check    exit 1 naming every missed target (full run only); 3 when every miss
             was in a group the host disturbed (steal over 3 %): rerun those
  --workers  also run the scaling sweep (matmul) at these worker counts
  --out      folder for results.json, REPORT.md and the charts (default: bench/)`;

export class UsageError extends Error {}

const OPTIONS = {
  smoke: { type: "boolean" },
  check: { type: "boolean" },
  workers: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const EXAMPLE: Record<string, string> = { "--out": "--out /tmp/bench", "--workers": "--workers 1,2,4" };

/** Parses argv (without node and script) with node:util parseArgs. Throws UsageError naming the bad argument. */
export function parseArgs(argv: string[], defaultOut: string): BenchOptions {
  const { values: v, positionals } = readCommandLine(argv, OPTIONS, (problem, option) =>
    problem === "needs-value"
      ? new UsageError(`${option} needs a value (e.g. ${EXAMPLE[option]})`)
      : problem === "takes-no-value"
        ? new UsageError(`${option} takes no value: write ${option} alone`)
        : new UsageError(`unknown flag ${option}: known flags are --smoke, --check, --workers, --out`),
  );
  if (v.help) throw new UsageError("");
  const groups: GroupName[] = [];
  for (const a of positionals) {
    if (!([...GROUPS, ...NAMED_GROUPS] as string[]).includes(a)) throw new UsageError(`unknown group "${a}": choose among ${GROUPS.join(", ")}`);
    if (!groups.includes(a as GroupName)) groups.push(a as GroupName);
  }
  const smoke = v.smoke === true;
  const check = v.check === true;
  if (check && smoke) throw new UsageError("--check and --smoke do not go together: targets are checked only in a full run");
  const workers = v.workers === undefined ? null : parseWorkers(v.workers);
  const out = v.out === undefined ? defaultOut : resolve(v.out);
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
