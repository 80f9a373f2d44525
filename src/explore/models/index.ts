// The course's ready-made models, by name (the command line and the notebooks use
// the same table).
import type { TrainStrategy } from "../../course/trains";
import type { Model } from "../model";
import { checkThenAct, lostUpdate, stingySpendy } from "./races";
import {
  barrierMisuse,
  conditionBank,
  producerConsumer,
  waitGroupFromCondition,
  BANK_VARIANTS,
  BARRIER_VARIANTS,
  QUEUE_VARIANTS,
  WAITGROUP_VARIANTS,
} from "./waiting";
import { philosophers, trains } from "./deadlocks";
import { CourseInputError } from "../../course/errors";

export * from "./races";
export * from "./waiting";
export * from "./deadlocks";

/** What a model takes from the command line (`--k`, `--n`, `--strategy`, `--variant`). */
export interface ModelParams {
  k?: number;
  n?: number;
  strategy?: TrainStrategy;
  variant?: string;
}

export interface ModelEntry {
  about: string;
  /** The parameters it takes, with their defaults in words. */
  params: { name: keyof ModelParams; about: string }[];
  make(p: ModelParams): Model;
}

const LOCK_VARIANTS = ["no-lock", "lock"] as const;
function lockOf(name: string, v: string | undefined): boolean {
  const x = v ?? "no-lock";
  if (!(LOCK_VARIANTS as readonly string[]).includes(x))
    throw new CourseInputError(`${name}: --variant must be one of ${LOCK_VARIANTS.join(", ")}, got ${JSON.stringify(x)}`);
  return x === "lock";
}

export const MODELS: Record<string, ModelEntry> = {
  "lost-update": {
    about: "ch 4: 2 threads each read the counter and write it + 1, k times",
    params: [{ name: "k", about: "updates per thread (default 2)" }],
    make: (p) => lostUpdate({ k: p.k }),
  },
  "stingy-spendy": {
    about: "ch 4: +10 and −10 on a balance of 100, k times each, with or without a lock",
    params: [
      { name: "variant", about: "no-lock (default) | lock" },
      { name: "k", about: "updates per thread (default 1)" },
    ],
    make: (p) => stingySpendy({ lock: lockOf("stingy-spendy", p.variant), times: p.k }),
  },
  "check-then-act": {
    about: "ch 4: two withdrawals of 60 from 100, each checking the balance first",
    params: [{ name: "variant", about: "no-lock (default) | lock" }],
    make: (p) => checkThenAct({ lock: lockOf("check-then-act", p.variant) }),
  },
  "condition-bank": {
    about: "ch 6: spendy waits on a condition until the balance allows",
    params: [{ name: "variant", about: `${BANK_VARIANTS.join(" | ")} (default while)` }],
    make: (p) => conditionBank({ variant: p.variant as never }),
  },
  waitgroup: {
    about: "ch 6: a wait group built from a condition (or the library's)",
    params: [
      { name: "variant", about: `${WAITGROUP_VARIANTS.join(" | ")} (default condition)` },
      { name: "n", about: "workers (default 2)" },
    ],
    make: (p) => waitGroupFromCondition({ variant: p.variant as never, workers: p.n }),
  },
  barrier: {
    about: "ch 7: two threads in rounds around a barrier",
    params: [
      { name: "variant", about: `${BARRIER_VARIANTS.join(" | ")} (default one-barrier)` },
      { name: "k", about: "rounds (default 2)" },
    ],
    make: (p) => barrierMisuse({ variant: p.variant as never, rounds: p.k }),
  },
  "producer-consumer": {
    about: "ch 9: a producer and a consumer on a bounded queue",
    params: [
      { name: "variant", about: `${QUEUE_VARIANTS.join(" | ")} (default quits-early)` },
      { name: "k", about: "items (default 3)" },
    ],
    make: (p) => producerConsumer({ variant: p.variant as never, items: p.k }),
  },
  philosophers: {
    about: "ch 12: dining philosophers, one meal each",
    params: [
      { name: "n", about: "philosophers (default 5)" },
      { name: "strategy", about: "none (default) | hierarchy | arbitrator" },
    ],
    make: (p) => philosophers({ n: p.n, strategy: p.strategy }),
  },
  trains: {
    about: "ch 12: four trains at four crossings, abstracted to their crossing steps",
    params: [{ name: "strategy", about: "none (default) | hierarchy | arbitrator" }],
    make: (p) => trains({ strategy: p.strategy }),
  },
};

/** A ready-made model by name; unknown names are a CourseInputError listing the known ones. */
export function courseModel(name: string, p: ModelParams = {}): Model {
  const entry = Object.hasOwn(MODELS, name) ? MODELS[name] : undefined;
  if (!entry) throw new CourseInputError(`unknown model ${JSON.stringify(name)}; the models are ${Object.keys(MODELS).join(", ")}`);
  for (const [k, v] of Object.entries(p)) {
    if (v !== undefined && !entry.params.some((x) => x.name === k)) {
      throw new CourseInputError(
        `model ${name} takes ${entry.params.length ? entry.params.map((x) => `--${x.name}`).join(", ") : "no parameters"}, not --${k}`,
      );
    }
  }
  return entry.make(p);
}
