// The course CLI's parsed command line, the shape of one example entry, and the
// flag readers: shared by cli.ts and the chapter tables it merges (ch02-cli.ts,
// ch07-cli.ts). Every bad value is a CourseInputError naming the flag.
import { readCommandLine, readUsage } from "../command-line";
import type { ParallelKind } from "./workers";
import { CourseInputError } from "./errors";
import { TRAIN_STRATEGIES, type TrainStrategy } from "./trains";

/** What cli.ts parses from the command line. */
export interface CliArgs {
  positional: string[];
  flags: Map<string, string>;
}

/** One runnable example of `npm run course`. */
export interface CliExample {
  usage: string;
  about: string;
  flags: string[];
  /** How many positional arguments: [min, max]. */
  args: [number, number];
  run(p: CliArgs): unknown | Promise<unknown>;
}

/** An entry whose flags and positional count are the ones its usage line names (written once, there). */
export function example(usage: string, about: string, run: CliExample["run"]): CliExample {
  const { options, positionals } = readUsage(usage);
  return { usage, about, flags: options, args: positionals, run };
}

/**
 * `--name value` / `--name=value` flags and positional arguments (node:util parseArgs);
 * a flag without a value raises. Every flag takes a value, and which flags an example
 * accepts is cli.ts's check, so each `--name` written is read as a string option.
 */
export function parseCli(argv: string[]): CliArgs {
  const end = argv.indexOf("--");
  const named = (end < 0 ? argv : argv.slice(0, end)).filter((a) => a.startsWith("--"));
  const names = named.map((a) => a.slice(2).split("=")[0]).filter((name) => name !== "__proto__"); // not a key parseArgs can keep
  const options = Object.fromEntries(names.map((name): [string, { type: "string" }] => [name, { type: "string" }]));
  const { values, positionals } = readCommandLine(argv, options, (problem, option) =>
    problem === "needs-value"
      ? new CourseInputError(`${option} needs a value, e.g. ${option} 10`)
      : new CourseInputError(`unknown option ${option}: options are written --name value`),
  );
  return { positional: positionals, flags: new Map(Object.entries(values as Record<string, string>)) };
}

/** A whole number >= 0, or undefined when the flag is absent. */
export function intFlag(p: CliArgs, name: string): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new CourseInputError(`--${name} must be a whole number >= 0, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function oneOf<T extends string>(p: CliArgs, name: string, allowed: readonly T[], dflt: T): T {
  const v = p.flags.get(name) ?? dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new CourseInputError(`--${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

export function yesNo(p: CliArgs, name: string, dflt: boolean): boolean {
  const v = p.flags.get(name);
  if (v === undefined) return dflt;
  if (v !== "yes" && v !== "no") throw new CourseInputError(`--${name} must be yes or no, got ${JSON.stringify(v)}`);
  return v === "yes";
}

export function kindFlag(p: CliArgs, dflt: ParallelKind): ParallelKind {
  const v = p.flags.get("kind") ?? dflt;
  if (v !== "threads" && v !== "processes") throw new CourseInputError(`--kind must be threads or processes, got ${JSON.stringify(v)}`);
  return v;
}

export function strategyFlag(p: CliArgs, dflt: TrainStrategy = "none"): TrainStrategy {
  return oneOf(p, "strategy", TRAIN_STRATEGIES, dflt);
}

/** Milliseconds to one decimal, for the JSON the examples print. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;
