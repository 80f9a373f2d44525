// src/command-line.ts: node:util parseArgs with the first problem named, for tools/args.ts,
// bench/args.ts and src/course/cli-flags.ts to word (their own tests check the wording).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readCommandLine, readUsage } from "../../src/command-line";

const OPTIONS = { jobs: { type: "string" }, smoke: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;

const named = (problem: string, option: string) => new Error(`${problem} ${option}`);

function problem(argv: string[]): string {
  try {
    readCommandLine(argv, OPTIONS, named);
    return "none";
  } catch (e) {
    return (e as Error).message;
  }
}

test("values and positionals in order; = or the next word; -- ends the options", () => {
  const r = readCommandLine(["a", "--jobs", "2", "b", "--smoke", "-h", "--", "--jobs"], OPTIONS, named);
  assert.equal({ ...r.values }, { jobs: "2", smoke: true, help: true });
  assert.equal(r.positionals, ["a", "b", "--jobs"]);
  assert.equal({ ...readCommandLine(["--jobs=--x", "--jobs", "-1"], OPTIONS, named).values }, { jobs: "-1" }, "the last one wins; -1 is a value");
});

test("the first problem, named as written", () => {
  assert.is(problem(["--jobs"]), "needs-value --jobs");
  assert.is(problem(["--jobs", "--smoke"]), "needs-value --jobs");
  assert.is(problem(["--fast", "--jobs"]), "unknown --fast");
  assert.is(problem(["-x"]), "unknown -x");
  assert.is(problem(["--smoke=yes"]), "takes-no-value --smoke");
  assert.is(problem(["--constructor"]), "unknown --constructor");
});

test("a usage line names its options and positional count; a word it cannot read raises", () => {
  assert.equal(readUsage("bank"), { options: [], positionals: [0, 0] });
  assert.equal(readUsage("polygons <file> [--count 100000] [--max-vertices 12]"), { options: ["count", "max-vertices"], positionals: [1, 1] });
  assert.equal(readUsage("search <root> <name> [depth]"), { options: [], positionals: [2, 3] });
  assert.equal(readUsage("letters [files...]").positionals, [0, Number.POSITIVE_INFINITY]);
  assert.equal(readUsage("explore <model> [--sample N --seed S [--sampler random|pct]] [--k K]"), {
    options: ["sample", "seed", "sampler", "k"],
    positionals: [1, 1],
  });
  assert.throws(() => readUsage("matmul --n 200"), /cannot read "--n"/);
  assert.throws(() => readUsage("wind dir"), /cannot read "dir"; write <arg>/);
});

test.run();
