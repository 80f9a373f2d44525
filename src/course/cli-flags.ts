// The course CLI's parsed command line, the shape of one example entry, and the
// flag readers: shared by cli.ts and the chapter tables it merges (ch02-cli.ts,
// ch07-cli.ts). Every bad value is a CourseInputError naming the flag.
import type { ParallelKind } from "./ch07-barriers";
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

/** `--name value` / `--name=value` flags and positional arguments; a flag without a value raises. */
export function parseCli(argv: string[]): CliArgs {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith("--")) throw new CourseInputError(`${a} needs a value, e.g. ${a} 10`);
        flags.set(a.slice(2), v);
        i++;
      }
    } else positional.push(a);
  }
  return { positional, flags };
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
