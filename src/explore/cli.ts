// `npm run -s course -- explore <model> [--reduction none|por|states] [--k K] [--n N]
//   [--strategy none|hierarchy|arbitrator] [--variant V] [--sample N --seed S [--sampler random|pct]]
//   [--max-ms MS]`
// prints one JSON object:
//   { model, reduction, schedules, outcomes: { "<outcome>": count }, deadlocks,
//     shortestDeadlock, complete, ms }
// plus `interleavings` when the total number of schedules is known, `bound` when
// a bound stopped the search, and `sample` when sampling. Bad usage is a
// CourseInputError (exit 2 in src/course/cli.ts).
import { parseArgs } from "node:util";
import { CourseInputError } from "../course/errors";
import { TRAIN_STRATEGIES, type TrainStrategy } from "../course/trains";
import { ExploreInputError } from "./errors";
import { exploreModel, type ExploreOptions, type ExploreResult, type Reduction, type SampleStrategy } from "./explore";
import { MODELS, courseModel, type ModelParams } from "./models/index";

export const EXPLORE_USAGE =
  "explore <model> [--reduction none|por|states] [--k K] [--n N] [--strategy none|hierarchy|arbitrator] [--variant V] [--sample N --seed S [--sampler random|pct]] [--max-ms MS]";
export const EXPLORE_ABOUT = `every interleaving of a small model (${Object.keys(MODELS).join(", ")}); prints outcomes, deadlocks and counts (default --reduction por)`;

export interface ExploreCliOutput {
  model: string;
  reduction: Reduction | "sample";
  schedules: number;
  outcomes: Record<string, number>;
  /** Distinct deadlock states found. */
  deadlocks: number;
  /** A shortest schedule to a deadlock (thread ids), or null. */
  shortestDeadlock: number[] | null;
  complete: boolean;
  ms: number;
  interleavings?: number;
  bound?: string;
  sample?: { n: number; seed: number; sampler: SampleStrategy };
}

function whole(flag: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new CourseInputError(`explore: --${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw new CourseInputError(`explore: --${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** Runs `explore` from command-line words (after "explore"); throws CourseInputError for bad usage. */
export function runExploreCli(argv: string[]): ExploreCliOutput {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: Record<string, { type: "string" }> }>>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        reduction: { type: "string" },
        k: { type: "string" },
        n: { type: "string" },
        strategy: { type: "string" },
        variant: { type: "string" },
        sample: { type: "string" },
        seed: { type: "string" },
        sampler: { type: "string" },
        "max-ms": { type: "string" },
      },
    });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new CourseInputError(`explore: ${msg}; usage: ${EXPLORE_USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new CourseInputError(
      `explore: give exactly one model (${Object.keys(MODELS).join(", ")}), got ${positionals.length ? positionals.map((p) => JSON.stringify(p)).join(" ") : "none"}; usage: ${EXPLORE_USAGE}`,
    );
  }
  const name = positionals[0];
  const params: ModelParams = {
    k: whole("k", v.k, 1, 20),
    n: whole("n", v.n, 1, 16),
    strategy: oneOf<TrainStrategy>("strategy", v.strategy, TRAIN_STRATEGIES),
    variant: v.variant,
  };
  const reduction = oneOf<Reduction>("reduction", v.reduction, ["none", "por", "states"]) ?? "por";
  const sample = whole("sample", v.sample, 1, 10_000_000);
  const seed = whole("seed", v.seed, 0, 0xffffffff);
  const sampler = oneOf<SampleStrategy>("sampler", v.sampler, ["random", "pct"]);
  if (sample === undefined && (seed !== undefined || sampler !== undefined)) throw new CourseInputError("explore: --seed and --sampler go with --sample N");
  if (sample !== undefined && v.reduction !== undefined)
    throw new CourseInputError("explore: --sample runs sampled schedules; it does not go with --reduction");
  const maxMs = whole("max-ms", v["max-ms"], 1, 3_600_000);
  const model = (() => {
    try {
      return courseModel(name, params);
    } catch (e) {
      if (e instanceof ExploreInputError) throw new CourseInputError(e.message);
      throw e;
    }
  })();
  const opts: ExploreOptions = sample !== undefined ? { sample, seed: seed ?? 1, strategy: sampler ?? "random" } : { reduction };
  if (maxMs !== undefined) opts.maxMs = maxMs;
  let r: ExploreResult;
  try {
    r = exploreModel(model, opts);
  } catch (e) {
    if (e instanceof ExploreInputError) throw new CourseInputError(`explore ${name}: ${e.message}`);
    throw e;
  }
  const out: ExploreCliOutput = {
    model: name,
    reduction: sample !== undefined ? "sample" : reduction,
    schedules: r.schedules,
    outcomes: Object.fromEntries(r.outcomes.map((o) => [o.outcome, o.count])),
    deadlocks: r.deadlocks.length,
    shortestDeadlock: r.deadlocks.length ? r.deadlocks[0].schedule : null,
    complete: r.complete,
    ms: Math.round(r.ms * 10) / 10,
  };
  if (r.interleavings !== null) out.interleavings = r.interleavings;
  if (r.bound) out.bound = r.bound.message;
  if (sample !== undefined) out.sample = { n: sample, seed: seed ?? 1, sampler: sampler ?? "random" };
  return out;
}
