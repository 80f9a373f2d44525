// Command-line entries for the parallel examples of chapters 7–12, in the shape of
// cli.ts's EXAMPLES (usage, about, run; example() reads the flags and positional
// count from the usage line). cli.ts adds them with `Object.assign(EXAMPLES,
// PARALLEL_EXAMPLES)`. Every entry prints plain JSON: runs are reduced to their
// numbers (no traces).
import { barrierMatmul, meetAtBarrier } from "./ch07-barriers";
import { copyVsShare, watchSharedArray } from "./ch08-memory-sharing-processes";
import { percentile, pingPong, producerConsumer } from "./ch09-message-passing";
import { windPipeline } from "./ch10-pipelining";
import { shoelacePoolMap, shoelaceQueuePool } from "./ch11-pools";
import { philosophersOnThreads, robots, trainsOnThreads } from "./ch12-deadlocks";
import { example, intFlag, kindFlag, round1, strategyFlag, yesNo, type CliExample } from "./cli-flags";
import { CourseInputError } from "./errors";

export const PARALLEL_EXAMPLES: Record<string, CliExample> = {
  "barrier-meet": example(
    "barrier-meet [--rounds 10] [--kind threads|processes]",
    "ch 7: a fast (20 ms) and a slow (60 ms) worker meet at a barrier each round; arrival index per round",
    async (p) => {
      const r = await meetAtBarrier({ rounds: intFlag(p, "rounds"), kind: kindFlag(p, "threads") });
      return { arrivals: r.arrivals, ms: round1(r.run.duration) };
    },
  ),
  "matmul-barrier": example(
    "matmul-barrier [--workers 2] [--n 200] [--rounds 10] [--seed 1] [--kind threads|processes]",
    "ch 7-8: the barrier matrix multiply on workers; checksum and sum equal `matmul` with the same n, rounds, seed",
    async (p) => {
      const r = await barrierMatmul({
        workers: intFlag(p, "workers"),
        n: intFlag(p, "n"),
        rounds: intFlag(p, "rounds"),
        seed: intFlag(p, "seed"),
        kind: kindFlag(p, "threads"),
      });
      const { run: _run, ...rest } = r;
      return { ...rest, ms: round1(r.ms), computeMs: round1(r.computeMs) };
    },
  ),
  "copy-vs-share": example("copy-vs-share", "ch 8: a child process doubles a plain array (a copy) and a shared one (the same memory)", () => copyVsShare()),
  "watch-shared": example(
    "watch-shared [--samples 12] [--sample-ms 100] [--write-ms 150]",
    "ch 8: a child process samples a shared int array that the parent rewrites; what it saw",
    async (p) => {
      const r = await watchSharedArray({ samples: intFlag(p, "samples"), sampleMs: intFlag(p, "sample-ms"), writeMs: intFlag(p, "write-ms") });
      return { seen: r.seen, writes: r.written.length };
    },
  ),
  pingpong: example(
    "pingpong [--rounds 500] [--kind processes|threads]",
    "ch 9: round trips over a pipe between two workers; percentiles in microseconds",
    async (p) => {
      const r = await pingPong({ rounds: intFlag(p, "rounds"), kind: kindFlag(p, "processes") });
      return { kind: r.kind, rounds: r.rttUs.length, p50: percentile(r.rttUs, 50), p90: percentile(r.rttUs, 90), p99: percentile(r.rttUs, 99) };
    },
  ),
  "producer-consumer": example(
    "producer-consumer [--items 200] [--capacity 10] [--consume-ms 1] [--kind threads|processes]",
    "ch 9: a fast producer and a slow consumer over a bounded queue; items received and producer blocked time",
    async (p) => {
      const r = await producerConsumer({
        items: intFlag(p, "items"),
        capacity: intFlag(p, "capacity"),
        consumeMs: intFlag(p, "consume-ms"),
        kind: kindFlag(p, "threads"),
      });
      return { kind: r.kind, items: r.items, capacity: r.capacity, received: r.received, sum: r.sum, producerBlockedMs: round1(r.producerBlockedMs) };
    },
  ),
  "wind-pipeline": example(
    "wind-pipeline <dir> [--batch 1000] [--kind processes|threads]",
    "ch 10: the wind counts of a METAR directory with a 3-stage pipeline, as [N, NE, E, SE, S, SW, W, NW]",
    async (p) => (await windPipeline(p.positional[0], { batch: intFlag(p, "batch"), kind: kindFlag(p, "processes") })).counts,
  ),
  "shoelace-pool": example(
    "shoelace-pool <file> [--workers 8] [--batch 500] [--kind threads|processes] [--pool queue|map]",
    "ch 11: total area and count of a polygon file with a pool (hand-built queue pool, or the library's pool map)",
    async (p) => {
      const which = p.flags.get("pool") ?? "queue";
      if (which !== "queue" && which !== "map") throw new CourseInputError(`--pool must be queue or map, got ${JSON.stringify(which)}`);
      const o = { batch: intFlag(p, "batch"), kind: kindFlag(p, "threads") };
      const r =
        which === "queue"
          ? await shoelaceQueuePool(p.positional[0], { ...o, workers: intFlag(p, "workers") })
          : await shoelacePoolMap(p.positional[0], { ...o, size: intFlag(p, "workers") });
      return { count: r.count, totalArea: r.totalArea, workers: r.workers, kind: r.kind, ms: round1(r.ms) };
    },
  ),
  robots: example("robots [--same-order yes|no]", "ch 12: red and blue robots on two locks; deadlock (caught by the watchdog) or done", async (p) => {
    const r = await robots({ sameOrder: yesNo(p, "same-order", false) });
    return { deadlocked: r.deadlocked, cycle: r.graph?.cycle ?? [], ms: round1(r.ms) };
  }),
  "trains-threads": example(
    "trains-threads [--strategy none|hierarchy|arbitrator]",
    "ch 12: four train threads with crossings as Mutexes; deadlock (caught by the watchdog) or all arrive",
    async (p) => {
      const r = await trainsOnThreads(strategyFlag(p, "none"));
      return { strategy: r.strategy, deadlocked: r.deadlocked, violations: r.violations, fronts: r.fronts, cycle: r.graph?.cycle ?? [], ms: round1(r.ms) };
    },
  ),
  "philosophers-threads": example(
    "philosophers-threads [--strategy hierarchy|arbitrator] [--ms 400]",
    "ch 12: five philosopher threads dine for --ms; meals each, meals per second, fairness",
    async (p) => {
      const s = strategyFlag(p, "hierarchy");
      if (s === "none")
        throw new CourseInputError("--strategy none deadlocks; use robots or trains-threads to see a deadlock, or pick hierarchy or arbitrator");
      const r = await philosophersOnThreads(s, { ms: intFlag(p, "ms") });
      return { ...r, throughput: round1(r.throughput), fairness: Math.round(r.fairness * 1000) / 1000 };
    },
  ),
};
