// Chapter 9: message passing. Ping-pong over a pipe (round-trip latency), and a
// fast producer feeding a slow consumer through a bounded queue, between threads or
// between processes; the queue's put/get events become a queue-depth counter.
//
// Worker functions are shipped as source (see ch07-barriers.ts for the rules).
import type { Run } from "../spawn/run";
import { BoundedQueue, pipe } from "../sync/index";
import type { CounterEvent, RunData, TraceEvent } from "../trace/types";
import { checkInt, CourseInputError } from "./errors";
import { courseWorkers, type ParallelKind } from "./workers";

function toData(run: RunData | { toJSON(): RunData }): RunData {
  return typeof (run as { toJSON?: unknown }).toJSON === "function" ? (run as { toJSON(): RunData }).toJSON() : (run as RunData);
}

/**
 * The run as data with one counter event per queue put/get (the depth right after
 * it), named after the queue's label: what the pipeline chart draws as queue depth.
 * Queue events come from workers only (the notebook's thread records no trace).
 */
export function withQueueDepth(run: RunData | { toJSON(): RunData }): RunData {
  const data = toData(run);
  const counters: CounterEvent[] = [];
  for (const e of data.trace) {
    if (e.type !== "instant" || e.prim?.kind !== "queue" || (e.name !== "put" && e.name !== "get")) continue;
    const depth = e.args?.depth;
    if (typeof depth !== "number") continue;
    counters.push({ type: "counter", name: e.prim.label ?? e.prim.id, at: e.at, value: depth, worker: e.worker });
  }
  const trace: TraceEvent[] = [...data.trace, ...counters].sort((a, b) => at(a) - at(b));
  return { ...data, trace };
}

function at(e: TraceEvent): number {
  return e.type === "span" ? e.start : e.at;
}

export interface PingPongResult {
  kind: ParallelKind;
  /** Round-trip times in microseconds, in order. */
  rttUs: number[];
  run: Run<number[] | number>;
}

/**
 * Two workers joined by a pipe: worker 0 sends `{ i, sentAt, payload }` (sentAt on
 * the shared clock, payload a string of `payloadBytes` characters, default none),
 * worker 1 sends each message straight back, worker 0 records now − sentAt.
 * `rounds` round trips, after `warmup` unrecorded ones. Resolves with the round-trip
 * times; the pipe's memory is always released.
 */
export async function pingPong(opts: { kind?: ParallelKind; rounds?: number; warmup?: number; payloadBytes?: number } = {}): Promise<PingPongResult> {
  const workers = courseWorkers(opts.kind ?? "processes", "pingPong");
  const rounds = checkInt("rounds", opts.rounds ?? 500, 1, 1_000_000);
  const warmup = checkInt("warmup", opts.warmup ?? 50, 0, 1_000_000);
  const payloadBytes = checkInt("payloadBytes", opts.payloadBytes ?? 0, 0, 16 << 20);
  const [left, right] = pipe({ shared: workers.shared, label: "ping-pong", capacity: 4, maxMessageBytes: 256 + payloadBytes });
  try {
    const run = await workers.spawner.run(
      2,
      ({ id, left, right, rounds, warmup, payloadBytes }) => {
        const total = rounds + warmup;
        if (id === 1) {
          for (let i = 0; i < total; i++) right.send(right.recv());
          return total;
        }
        const payload = "x".repeat(payloadBytes);
        const rtt: number[] = [];
        for (let i = 0; i < total; i++) {
          left.send({ i, sentAt: performance.timeOrigin + performance.now(), payload });
          const back = left.recv() as { sentAt: number };
          const us = (performance.timeOrigin + performance.now() - back.sentAt) * 1000;
          if (i >= warmup) rtt.push(Math.round(us * 10) / 10);
        }
        return rtt;
      },
      { left, right, rounds, warmup, payloadBytes },
      { deadlockAfter: 30_000 },
    );
    return { kind: workers.kind, rttUs: run.results[0] as number[], run };
  } finally {
    left.dispose();
    right.dispose();
  }
}

export interface ProducerConsumerResult {
  kind: ParallelKind;
  items: number;
  capacity: number;
  /** Items the consumer got, and their sum (must be items and 0+1+…+items−1). */
  received: number;
  sum: number;
  /** How long the producer spent blocked on a full queue, ms. */
  producerBlockedMs: number;
  /** That time as a share of the producer's life (its function running, from start to return). */
  producerBlockedShare: number;
  /** The run with the queue depth as counter events (see withQueueDepth). */
  data: RunData;
  run: Run<number | { received: number; sum: number }>;
}

/** What worker `id` of a producer/consumer pair runs (shipped as source to each worker). */
export type ProducerConsumerFn = (args: {
  id: number;
  n: number;
  queue: BoundedQueue<"int32">;
  items: number;
  consumeMs: number;
}) => number | { received: number; sum: number };

/**
 * The pair's worker function: worker 0 produces, worker 1 consumes. Shipped by
 * source, so it uses nothing but its argument.
 */
export function produceConsume({
  id,
  queue,
  items,
  consumeMs,
}: {
  id: number;
  queue: BoundedQueue<"int32">;
  items: number;
  consumeMs: number;
}): number | { received: number; sum: number } {
  if (id === 0) {
    for (let i = 0; i < items; i++) queue.put(i); // blocks while the queue is full
    queue.close();
    return items;
  }
  let received = 0,
    sum = 0;
  for (;;) {
    const v = queue.get(); // blocks while empty; undefined once closed and drained
    if (v === undefined) break;
    const until = performance.now() + consumeMs;
    while (performance.now() < until); // the slow part: work on the item
    received++;
    sum += v;
  }
  return { received, sum };
}

/**
 * Worker 0 (producer) puts 0, 1, …, items − 1 as fast as it can, then closes the
 * queue; worker 1 (consumer) gets items, spending `consumeMs` on each, until get()
 * returns undefined (closed and drained). With a slow consumer the queue fills to
 * `capacity` and put() blocks: the producer is paced by the consumer. `fn` runs
 * in place of produceConsume (a notebook's own copy of it).
 */
export async function producerConsumer(
  opts: { kind?: ParallelKind; items?: number; capacity?: number; consumeMs?: number; fn?: ProducerConsumerFn } = {},
): Promise<ProducerConsumerResult> {
  const workers = courseWorkers(opts.kind ?? "threads", "producerConsumer");
  const items = checkInt("items", opts.items ?? 200, 1, 10_000_000);
  const capacity = checkInt("capacity", opts.capacity ?? 10, 1, 1_000_000);
  const consumeMs = opts.consumeMs ?? 1;
  if (opts.fn !== undefined && typeof opts.fn !== "function")
    throw new CourseInputError(`producerConsumer: fn must be a worker function like produceConsume, got ${typeof opts.fn}`);
  if (typeof consumeMs !== "number" || !(consumeMs >= 0) || consumeMs > 1000) {
    throw new CourseInputError(`producerConsumer: consumeMs must be a number of ms from 0 to 1000, got ${String(consumeMs)}`);
  }
  const queue = new BoundedQueue(capacity, { shared: workers.shared, label: "queue", item: "int32" });
  try {
    const run = await workers.spawner.run(2, opts.fn ?? produceConsume, { queue, items, consumeMs }, { deadlockAfter: 30_000 });
    const got = run.results[1] as { received: number; sum: number };
    const data = withQueueDepth(run);
    const producerBlockedMs = data.trace
      .filter((e) => e.type === "span" && e.state === "blocked" && e.worker === run.workers[0].label)
      .reduce((s, e) => s + (e.type === "span" ? e.end - e.start : 0), 0);
    // The producer's life: its function running, blocked waits included (spawning left out).
    const own = data.trace.filter((e) => e.type === "span" && e.worker === run.workers[0].label && (e.state === "running" || e.state === "blocked"));
    const lifeMs = own.length
      ? Math.max(...own.map((e) => (e.type === "span" ? e.end : 0))) - Math.min(...own.map((e) => (e.type === "span" ? e.start : Infinity)))
      : 0;
    const producerBlockedShare = lifeMs > 0 ? Math.min(1, producerBlockedMs / lifeMs) : 0;
    return { kind: workers.kind, items, capacity, received: got.received, sum: got.sum, producerBlockedMs, producerBlockedShare, data, run };
  } finally {
    queue.dispose();
  }
}

/** Counts values into `bins` equal-width bins between min and max: [{ label, value }] for a bar chart. */
export function histogram(values: readonly number[], bins = 20, unit = ""): { label: string; value: number }[] {
  checkInt("bins", bins, 1, 1000);
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
    throw new CourseInputError("histogram: values must be a non-empty array of finite numbers");
  }
  const lo = Math.min(...values),
    hi = Math.max(...values);
  const width = (hi - lo) / bins || 1;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return counts.map((value, i) => ({ label: `${Math.round(lo + i * width)}–${Math.round(lo + (i + 1) * width)}${unit}`, value }));
}

/** Percentile p (0–100) of the values, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) throw new CourseInputError("percentile: values is empty");
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
