// Small, realistic inputs for the chart tests: shaped like what the spawning,
// sync and pool areas record (src/trace/types.ts), made by hand.
import type { PrimitiveRef, RunData, TaskRecord, TraceEvent, WaitForGraph } from "../../src/trace/types";
import type { Frame } from "../../src/charts";

const T0 = 1_700_000_000_000;
export const balance: PrimitiveRef = { kind: "mutex", id: "m1", label: "balance" };
export const gate: PrimitiveRef = { kind: "barrier", id: "b1", label: "gate" };

/** main + 3 threads: spawn, run (whole life), wait for a mutex, hold it, meet at a barrier twice. */
export function mutexRun(): RunData {
  const trace: TraceEvent[] = [];
  const workers = ["t0", "t1", "t2"].map((label, id) => ({ id, label, kind: "thread" as const, spawnedAt: T0 + id, readyAt: T0 + 5 + id, endedAt: T0 + 95 }));
  trace.push({ type: "span", worker: "main", state: "running", start: T0, end: T0 + 100 });
  trace.push({ type: "span", worker: "main", state: "blocked", start: T0 + 10, end: T0 + 96, prim: { kind: "join", id: "j" } });
  workers.forEach((w, i) => {
    trace.push({ type: "span", worker: w.label, state: "spawning", start: T0 + i, end: T0 + 5 + i });
    trace.push({ type: "span", worker: w.label, state: "running", start: T0 + 5 + i, end: T0 + 95 });
    for (let k = 0; k < 6; k++) {
      const s = T0 + 10 + k * 12 + i * 3;
      trace.push({ type: "span", worker: w.label, state: "blocked", start: s, end: s + 1 + i, prim: balance, outcome: "acquired" });
      trace.push({ type: "span", worker: w.label, state: "holding", start: s + 1 + i, end: s + 3 + i, prim: balance });
    }
    trace.push({ type: "span", worker: w.label, state: "blocked", start: T0 + 48 - i * 2, end: T0 + 50, prim: gate, outcome: "woken" });
  });
  trace.push({ type: "instant", worker: "t0", name: "phase", at: T0 + 50, prim: gate, args: { phase: 1 } });
  trace.push({ type: "instant", worker: "t1", name: "phase", at: T0 + 90, prim: gate, args: { phase: 2 } });
  return { kind: "threads", n: 3, startedAt: T0, endedAt: T0 + 100, workers: [{ id: -1, label: "main", kind: "main", spawnedAt: T0 }, ...workers], trace };
}

/** A run with `n` trace events over 8 threads (for the aggregation path). */
export function bigRun(n: number): RunData {
  const trace: TraceEvent[] = [];
  const per = Math.floor(n / 8 / 2);
  for (let w = 0; w < 8; w++)
    for (let k = 0; k < per; k++) {
      const s = T0 + k * 0.1;
      trace.push({ type: "span", worker: `t${w}`, state: "running", start: s, end: s + 0.06 });
      trace.push({ type: "span", worker: `t${w}`, state: "blocked", start: s + 0.06, end: s + 0.1, prim: balance });
    }
  const workers = Array.from({ length: 8 }, (_, id) => ({ id, label: `t${id}`, kind: "thread" as const, spawnedAt: T0 }));
  return { kind: "threads", n: 8, startedAt: T0, endedAt: T0 + per * 0.1, workers, trace };
}

/** Three pipelined processes with queues between them (depth counters). */
export function pipelineRun(): RunData {
  const trace: TraceEvent[] = [];
  const q1: PrimitiveRef = { kind: "queue", id: "q1", label: "reports" };
  const q2: PrimitiveRef = { kind: "pipe", id: "q2", label: "winds" };
  ["p0", "p1", "p2"].forEach((w, i) => {
    trace.push({ type: "span", worker: w, state: "running", start: T0 + 2, end: T0 + 200 });
    for (let k = 0; k < 8; k++) {
      const s = T0 + 10 + k * 22 + i * 5;
      trace.push({ type: "span", worker: w, state: "blocked", start: s, end: s + 6 + i * 3, prim: i === 0 ? q1 : q2 });
    }
  });
  for (let k = 0; k <= 40; k++) {
    trace.push({ type: "counter", name: "reports depth", at: T0 + k * 5, value: Math.round(5 + 4 * Math.sin(k / 3)) });
    trace.push({ type: "counter", name: "winds depth", at: T0 + k * 5, value: k % 7 });
  }
  const workers = ["p0", "p1", "p2"].map((label, id) => ({ id, label, kind: "process" as const, spawnedAt: T0 }));
  return { kind: "processes", n: 3, startedAt: T0, endedAt: T0 + 205, workers, trace };
}

/** 24 pool tasks on 4 workers, submitted at once; one fails. */
export function poolTasks(): TaskRecord[] {
  const free = [0, 0, 0, 0];
  return Array.from({ length: 24 }, (_, task) => {
    const w = free.indexOf(Math.min(...free));
    const startedAt = T0 + free[w] + 1;
    const endedAt = startedAt + 5 + ((task * 7) % 11);
    free[w] = endedAt - T0;
    return { task, worker: `w${w}`, submittedAt: T0, startedAt, endedAt, ...(task === 13 ? { error: "RangeError: bad polygon" } : {}) };
  });
}

/** Red and blue robots: each holds one lock and waits for the other's. Plus a bystander. */
export function deadlockGraph(): WaitForGraph {
  const a: PrimitiveRef = { kind: "mutex", id: "a", label: "lock A" },
    b: PrimitiveRef = { kind: "mutex", id: "b", label: "lock B" };
  const c: PrimitiveRef = { kind: "mutex", id: "c" };
  return {
    holds: [
      { worker: "t0", prim: a },
      { worker: "t1", prim: b },
      { worker: "t2", prim: c },
    ],
    waits: [
      { worker: "t0", prim: b, since: T0 + 5 },
      { worker: "t1", prim: a, since: T0 + 6 },
      { worker: "t3", prim: c, since: T0 + 7 },
    ],
    cycle: ["t0", "b", "t1", "a"],
  };
}

/** Four trains on a # of tracks: crossings coloured by the train that holds them. */
export function trainFrames(steps = 24): Frame[] {
  const colors = ["#4c78a8", "#f58518", "#54a24b", "#e45756"];
  const crossings = [
    [120, 120],
    [240, 120],
    [240, 240],
    [120, 240],
  ];
  const frames: Frame[] = [];
  for (let k = 0; k < steps; k++) {
    const shapes: Frame["shapes"] = [
      { type: "line", x: 0, y: 120, x2: 360, y2: 120, stroke: "#bbb", width: 3 },
      { type: "line", x: 0, y: 240, x2: 360, y2: 240, stroke: "#bbb", width: 3 },
      { type: "line", x: 120, y: 0, x2: 120, y2: 360, stroke: "#bbb", width: 3 },
      { type: "line", x: 240, y: 0, x2: 240, y2: 360, stroke: "#bbb", width: 3 },
    ];
    const front = Math.min(k * 10, 115);
    // each train runs toward its crossing; owner = train whose front reached it
    const trains = [
      { x: front - 60, y: 120, x2: front + 10, y2: 120 },
      { x: 240, y: front - 60, x2: 240, y2: front + 10 },
      { x: 360 - front + 60, y: 240, x2: 360 - front - 10, y2: 240 },
      { x: 120, y: 360 - front + 60, x2: 120, y2: 360 - front - 10 },
    ];
    trains.forEach((t, i) => {
      shapes.push({ type: "line", ...t, stroke: colors[i], width: 9 });
    });
    crossings.forEach(([x, y], i) => {
      shapes.push({ type: "rect", x: x - 9, y: y - 9, w: 18, h: 18, fill: front + 10 >= 110 ? colors[i] : "#eeeeee", stroke: "#333" });
    });
    frames.push({ label: k < 11 ? `step ${k}: trains approach` : `step ${k}: every train waits for the next crossing — deadlock`, shapes });
  }
  return frames;
}

export const T_ZERO = T0;

/** One chart of every type, for the visual check and the README images. */
export async function gallery(): Promise<Record<string, import("../../src/charts").Chart>> {
  const C = await import("../../src/charts");
  const letters: Record<string, number> = {};
  "the quick brown fox jumps over the lazy dog while threads race for the shared table".replace(/[a-z]/g, (c) => {
    letters[c] = (letters[c] ?? 0) + 1;
    return c;
  });
  const sorted = Object.fromEntries(Object.entries(letters).sort());
  return {
    timeline: C.timelineChart(mutexRun()),
    "timeline-100k": C.timelineChart(bigRun(100_000)),
    contention: C.contentionChart(mutexRun()),
    speedup: C.speedupChart([
      { workers: 1, ms: 1000, min: 985, max: 1020 },
      { workers: 2, ms: 540, min: 520, max: 575 },
      { workers: 4, ms: 330, min: 310, max: 360 },
      { workers: 8, ms: 240, min: 225, max: 270 },
    ]),
    outcomes: C.outcomesChart({ "100": 912, "90": 41, "110": 38, "-30": 9 }, (v) => (v === "100" ? "expected" : Number(v) >= 0 ? "acceptable" : "forbidden"), {
      title: "Stingy and spendy, 1000 runs without a lock",
      valueLabel: "final balance",
    }),
    "wait-for": C.waitForChart(deadlockGraph()),
    pipeline: C.pipelineChart(pipelineRun(), { names: ["split", "parse", "count"] }),
    "task-stream": C.taskStreamChart(poolTasks()),
    bars: C.barsChart(sorted, { title: "Letter frequency", xLabel: "letter", yLabel: "count (letters)" }),
    "wind-rose": C.windRoseChart([412, 220, 180, 260, 390, 980, 760, 330], { title: "Wind at EGLL" }),
    heatmap: C.heatmapChart(
      Array.from({ length: 12 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 3) % 11) - 5)),
      { title: "12 × 12 product block" },
    ),
    animation: C.animationChart(trainFrames(16), {
      title: "Four trains, four crossings",
      legend: ["train 0", "train 1", "train 2", "train 3"].map((label, i) => ({ label, color: ["#4c78a8", "#f58518", "#54a24b", "#e45756"][i] })),
    }),
  };
}
