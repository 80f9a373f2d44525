// Command lines of the course CLI, the tools and the bench, read by node:util's
// parseArgs. The first thing wrong is named (the problem, the option as written)
// to the caller, which words the error it raises (its usage, its error type).
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
