// `npm run course -- <example> [args]`: runs one of the course's example programs
// single-threaded and prints its result as JSON on stdout. Bad usage exits 2 with a
// message naming the argument; a crash exits 1 with its stack.
import { CourseInputError } from "./errors";
import { matmulRounds } from "./matmul";
import { generatePolygons, shoelaceFile } from "./shoelace";
import { windCountsDir } from "./metar";
import { generateMetarDataset } from "./metar-gen";
import { corpusFiles, freqObject, letterCountSingle } from "./letters";
import { searchSequential } from "./search";
import { conditionSingle, stingySpendySingle } from "./bank";
import { simulateTrains } from "./trains";
import { simulatePhilosophers } from "./deadlock";
import { ensureMetarData, ensurePolygons } from "./datasets";
import { example, intFlag, parseCli, strategyFlag, type CliExample } from "./cli-flags";
import { CH02_06_EXAMPLES } from "./ch02-cli";
import { PARALLEL_EXAMPLES } from "./ch07-cli";
import { EXPLORE_ABOUT, EXPLORE_USAGE, runExploreCli } from "../explore/cli";

export const EXAMPLES: Record<string, CliExample> = {
  matmul: example(
    "matmul [--n 200] [--rounds 10] [--seed 1]",
    "ch 7-8: rounds x (fresh random n x n matrices, values -5..5, multiplied); prints checksum and sum",
    (p) => matmulRounds({ n: intFlag(p, "n"), rounds: intFlag(p, "rounds"), seed: intFlag(p, "seed") }),
  ),
  shoelace: example("shoelace <file>", "ch 11: the count of polygons in a file of (x,y),(x,y),... lines and their total area", (p) =>
    shoelaceFile(p.positional[0]),
  ),
  polygons: example(
    "polygons <file> [--count 100000] [--seed 1] [--max-vertices 12]",
    "ch 11: writes random simple polygons, one per line; prints the count and total area written",
    (p) => generatePolygons(p.positional[0], intFlag(p, "count") ?? 100_000, intFlag(p, "seed") ?? 1, intFlag(p, "max-vertices") ?? 12),
  ),
  wind: example("wind <dir>", "ch 10: wind distribution of the METAR files in dir, as [N, NE, E, SE, S, SW, W, NW]", (p) => windCountsDir(p.positional[0])),
  metar: example(
    "metar <dir> [--months 12] [--seed 1] [--start-year 2008]",
    "ch 10: writes monthly METAR files (mmmYYYY.txt); prints files, reports and the counts they should give",
    (p) => {
      const d = generateMetarDataset(p.positional[0], { months: intFlag(p, "months"), seed: intFlag(p, "seed"), startYear: intFlag(p, "start-year") });
      return { dir: d.dir, files: d.files.length, reports: d.reports, expected: d.expected };
    },
  ),
  letters: example("letters [files...]", "ch 3-4: letter frequencies (a-z, case-folded) of the files, or of the 20-document README corpus", (p) => {
    const files = p.positional.length ? p.positional : corpusFiles({ allowFewer: true });
    const freq = letterCountSingle(files);
    return { files: files.length, total: freq.reduce((s, x) => s + x, 0), counts: freqObject(freq) };
  }),
  search: example("search <root> <name>", "ch 5-6: every path under root named exactly name (like find root -name name), sorted", (p) =>
    searchSequential(p.positional[0], p.positional[1]),
  ),
  data: example("data [--months 12] [--count 100000]", "makes (once) the shared generated inputs under .build/data; prints where they are", async (p) => ({
    metar: ensureMetarData({ months: intFlag(p, "months") }),
    polygons: await ensurePolygons({ count: intFlag(p, "count") }),
  })),
  bank: example("bank", "ch 4 and 6: single-threaded stingy/spendy references (final balances)", () => ({
    race: { final: stingySpendySingle() },
    condition: conditionSingle(),
  })),
  trains: example(
    "trains [--strategy none|hierarchy|arbitrator]",
    "ch 12: lock-step simulation of four trains at four crossings; deadlock or completion",
    (p) => {
      const { frames, ...rest } = simulateTrains(strategyFlag(p));
      return { ...rest, frames: frames.length, last: frames[frames.length - 1] };
    },
  ),
  philosophers: example(
    "philosophers [--strategy none|hierarchy|arbitrator] [--n 5] [--meals 10]",
    "ch 12: lock-step dining philosophers; deadlock or meals eaten and ticks waited",
    (p) => simulatePhilosophers(strategyFlag(p), { n: intFlag(p, "n"), meals: intFlag(p, "meals") }),
  ),
};

// The threaded and multi-process examples of chapters 2–12 live beside their chapters.
Object.assign(EXAMPLES, CH02_06_EXAMPLES, PARALLEL_EXAMPLES);

export function helpText(): string {
  const lines = ["usage: npm run course -- <example> [args]", "", "examples:"];
  for (const e of Object.values(EXAMPLES)) lines.push(`  ${e.usage}`, `      ${e.about}`);
  lines.push(`  ${EXPLORE_USAGE}`, `      ${EXPLORE_ABOUT}`);
  return lines.join("\n");
}

/** Runs one example from command-line words; throws CourseInputError for bad usage. */
export async function runCli(argv: string[]): Promise<unknown> {
  const [name, ...rest] = argv;
  if (!name) throw new CourseInputError(`no example given; one of: ${Object.keys(EXAMPLES).join(", ")} (see --help)`);
  if (name === "explore") return runExploreCli(rest); // the schedule explorer parses its own flags (src/explore/cli.ts)
  const ex = Object.hasOwn(EXAMPLES, name) ? EXAMPLES[name] : undefined;
  if (!ex) throw new CourseInputError(`unknown example ${JSON.stringify(name)}; one of: ${Object.keys(EXAMPLES).join(", ")}`);
  const p = parseCli(rest);
  for (const f of p.flags.keys()) {
    if (!ex.flags.includes(f)) throw new CourseInputError(`${name}: unknown option --${f}; usage: ${ex.usage}`);
  }
  const [min, max] = ex.args;
  if (p.positional.length < min || p.positional.length > max) {
    throw new CourseInputError(`${name}: expected ${min === max ? min : `${min} or more`} argument(s), got ${p.positional.length}; usage: ${ex.usage}`);
  }
  return ex.run(p);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(`${helpText()}\n`);
    process.exitCode = argv.length === 0 ? 2 : 0;
    return;
  }
  try {
    process.stdout.write(`${JSON.stringify(await runCli(argv))}\n`);
  } catch (e) {
    if (e instanceof CourseInputError) {
      process.stderr.write(`course: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`course: ${(e as Error)?.stack ?? e}\n`);
      process.exitCode = 1;
    }
  }
}

if (require.main === module) void main();
