// Command-line entries for the threaded examples of chapters 2–6, in the shape of
// cli.ts's EXAMPLES (usage, about, run; example() reads the flags and positional
// count from the usage line). cli.ts adds them with `Object.assign(EXAMPLES,
// CH02_06_EXAMPLES)`. Every entry returns plain JSON data: runs are reduced to
// their numbers (no traces).
import { pythonGil, runTasks, TASK_KINDS, TASK_MODES, type TaskKind, type TaskMode } from "./ch02-threads-and-processes";
import { letterCountThreads, LETTER_GUARDS, type LetterGuard } from "./ch03-memory-sharing";
import { BANK_GUARDS, raceRounds, type BankGuard } from "./ch04-mutexes";
import { searchThreads } from "./ch05-joins";
import { conditionBank, processWaitGroup, searchWaitGroup } from "./ch06-condition-variables";
import { example, intFlag, oneOf, round1, yesNo, type CliArgs, type CliExample } from "./cli-flags";
import { CourseInputError } from "./errors";
import { corpusFiles, freqObject } from "./letters";

/** The threaded searches of chapters 5 and 6 print the same numbers. */
const searchMatches = (search: (root: string, name: string) => Promise<{ matches: string[]; threads: number; ms: number }>) => async (p: CliArgs) => {
  const r = await search(p.positional[0], p.positional[1]);
  return { matches: r.matches, threads: r.threads, ms: round1(r.ms) };
};

export const CH02_06_EXAMPLES: Record<string, CliExample> = {
  tasks: example(
    "tasks [--mode main|async|threads|processes] [--kind sleep|count] [--tasks 5] [--sleep-ms 1000] [--count 20000000]",
    "ch 2: the same tasks one after another, as async, on threads or on processes; wall time and per-task times",
    async (p) => {
      const r = await runTasks(oneOf<TaskMode>(p, "mode", TASK_MODES, "threads"), oneOf<TaskKind>(p, "kind", TASK_KINDS, "count"), {
        tasks: intFlag(p, "tasks"),
        sleepMs: intFlag(p, "sleep-ms"),
        count: intFlag(p, "count"),
      });
      return { mode: r.mode, kind: r.kind, wallMs: round1(r.wallMs), taskMs: r.run.workers.map((w) => round1((w.endedAt ?? 0) - (w.readyAt ?? w.spawnedAt))) };
    },
  ),
  gil: example("gil [--tasks 5] [--count 2000000]", "ch 2: CPython threads vs processes counting (the GIL), if python3 is installed; null otherwise", (p) =>
    pythonGil(intFlag(p, "tasks") ?? 5, intFlag(p, "count") ?? 2_000_000),
  ),
  "letters-threads": example(
    "letters-threads [--guard none|mutex-per-letter|mutex-per-document|atomic] [--passes 1]",
    "ch 3-4: one thread per README of the corpus, all counting into one shared table; counts and letters seen",
    async (p) => {
      const r = await letterCountThreads(corpusFiles({ allowFewer: true }), {
        guard: oneOf<LetterGuard>(p, "guard", LETTER_GUARDS, "mutex-per-document"),
        passes: intFlag(p, "passes"),
        trace: false,
      });
      const total = r.freq.reduce((a, b) => a + b, 0);
      return { threads: r.run.n, letters: r.letters, total, lost: r.letters - total, ms: round1(r.ms), counts: freqObject(r.freq) };
    },
  ),
  race: example(
    "race [--guard none|mutex|atomic] [--times 1000000] [--rounds 1]",
    "ch 4: stingy and spendy on two threads; the end balance of each round (100 is right)",
    (p) => raceRounds(intFlag(p, "rounds") ?? 1, { guard: oneOf<BankGuard>(p, "guard", BANK_GUARDS, "none"), times: intFlag(p, "times") }),
  ),
  "search-threads": example(
    "search-threads <root> <name>",
    "ch 5: one thread per directory, each joining its children; matches (like find root -name name), sorted",
    searchMatches(searchThreads),
  ),
  "condition-bank": example(
    "condition-bank [--earn-times 1000000] [--condition yes|no]",
    "ch 6: stingy and spendy with a condition variable; end and lowest balance (never negative with it)",
    async (p) => {
      const r = await conditionBank({ earnTimes: intFlag(p, "earn-times"), useCondition: yesNo(p, "condition", true) });
      return { final: r.final, lowest: r.lowest };
    },
  ),
  "search-waitgroup": example(
    "search-waitgroup <root> <name>",
    "ch 6: the thread-per-directory search with a wait group instead of joins; sorted matches",
    searchMatches(searchWaitGroup),
  ),
  "waitgroup-processes": example(
    "waitgroup-processes [--sleeps 2000,5000,7000]",
    "ch 6: child processes sleep, then done() on one shared wait group; when the parent woke (ms)",
    async (p) => {
      const raw = p.flags.get("sleeps");
      const sleeps =
        raw === undefined
          ? undefined
          : raw.split(",").map((s) => {
              if (!/^\d+$/.test(s.trim()))
                throw new CourseInputError(`--sleeps must be whole numbers of ms separated by commas, e.g. 2000,5000,7000; got ${JSON.stringify(raw)}`);
              return Number(s);
            });
      const r = await processWaitGroup(sleeps);
      return { wokeAfterMs: round1(r.wokeAfterMs), processes: r.run.n };
    },
  ),
};
