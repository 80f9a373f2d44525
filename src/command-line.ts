// Command lines of the course CLI, the tools and the bench, read by node:util's
// parseArgs. The first thing wrong is named (the problem, the option as written)
// to the caller, which words the error it raises (its usage, its error type).
// A usage line can also say what a command takes (readUsage), so that its help
// text and its checks are written once.
import { parseArgs, type ParseArgsConfig } from "node:util";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
}

/** Options by name (without the dashes); an optional entry lets one table serve commands that leave some out. */
export type OptionTable = Record<string, OptionSpec | undefined>;

export type OptionValues<O extends OptionTable> = {
  [K in keyof O]?: NonNullable<O[K]>["type"] extends "string" ? string : boolean;
};

/** "unknown": not an option here; "needs-value": a string option without its value; "takes-no-value": `--flag=x` for a boolean. */
export type CommandLineProblem = "unknown" | "needs-value" | "takes-no-value";

/**
 * Options (`--name value`, `--name=value`, booleans, `-h` style shorts) and positional
 * arguments, in order; raises `fail(problem, option)` for the first thing wrong. A
 * string option's value is missing when the next word is another option (starts
 * with `--`); `--name=--x` passes such a value.
 */
export function readCommandLine<O extends OptionTable>(
  argv: string[],
  options: O,
  fail: (problem: CommandLineProblem, option: string) => Error,
): { values: OptionValues<O>; positionals: string[] } {
  // Not strict: node's own errors are worded for it, not for us; the tokens let us say ours.
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: options as ParseArgsConfig["options"],
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    const spec = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!spec) throw fail("unknown", t.rawName);
    if (spec.type === "boolean" && t.value !== undefined) throw fail("takes-no-value", t.rawName);
    if (spec.type === "string" && (t.value === undefined || (!t.inlineValue && t.value.startsWith("--")))) throw fail("needs-value", t.rawName);
  }
  return { values: values as OptionValues<O>, positionals };
}

/** What a usage line names: every `--option`, and how many positional arguments, [min, max]. */
export interface UsageSpec {
  options: string[];
  positionals: [min: number, max: number];
}

/**
 * Reads a usage line in the notation of the help texts: the command's name, then
 * `<arg>` (required), `[arg]` (optional), `[args...]` (any number) and bracketed
 * option groups, `[--name value]`, which may nest. Raises on a word it cannot read,
 * so that a usage line which would mislead fails where it is written.
 */
export function readUsage(usage: string): UsageSpec {
  const options = [...usage.matchAll(/--([A-Za-z][\w-]*)/g)].map((m) => m[1]);
  let rest = usage;
  let before: string;
  do {
    before = rest;
    rest = rest.replace(/\[--[^[\]]*\]/g, " "); // the innermost option groups, until none is left
  } while (rest !== before);
  let min = 0;
  let max = 0;
  for (const word of rest.split(/\s+/).filter(Boolean).slice(1)) {
    if (/^<[\w-]+>$/.test(word)) {
      min++;
      max++;
    } else if (/^\[[\w-]+\.\.\.\]$/.test(word)) max = Number.POSITIVE_INFINITY;
    else if (/^\[[\w-]+\]$/.test(word)) max++;
    else throw new Error(`usage ${JSON.stringify(usage)}: cannot read ${JSON.stringify(word)}; write <arg>, [arg], [args...] or [--option value]`);
  }
  return { options, positionals: [min, max] };
}
