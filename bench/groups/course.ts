// course: each CPU-bound course workload single-threaded (the course's own
// single version) vs split over 2 and N worker threads, and vs its Python
// original when python3 is there. Workers are started before timing (spawn
// cost has its own group); every parallel and Python result must equal the
// single-threaded one, or the group fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withCrew, type Crew } from "../crew";
import { fmt } from "../lib";
import { speedupSvg, type SweepPoint } from "../charts";
import { labelled, paired, pairedFigure, pairedFrom, soloFigure, summarize, timeMs, timeMsCpu, type Paired, type RepOptions } from "../stats";
import type { Figure, GroupResult } from "../types";
import { reps, type GroupContext } from "./context";
import { withSingles, type Singles } from "./singles";
import { pinPlan } from "../pin";
import { pythonAvailable, runPython } from "./python";
import { library } from "../library";
import { matmulRounds } from "../../src/course/matmul";
import { DisagreeError, letters, matmul, shoelace, singleHere, wind, type Workload } from "./workloads";

/** N of "N workers": the core count, or 4 on a 2-core machine to show oversubscription. */
export function bigN(cores: number): number {
  return cores > 2 ? cores : 4;
}

export async function courseGroup(ctx: GroupContext): Promise<GroupResult> {
  const dir = mkdtempSync(join(tmpdir(), "interleave-bench-"));
  const figures: Figure[] = [];
  const notes: string[] = [];
  const rows: string[][] = [
    [
      "workload",
      "single ms",
      "2 workers ms",
      "speedup at 2",
      "control at 2",
      "kernel control at 2",
      "2 vs 1 worker",
      `${bigN(ctx.machine.cores)} workers ms`,
      `speedup at ${bigN(ctx.machine.cores)}`,
      "Python ms",
      "result",
    ],
  ];
  const charts: NonNullable<GroupResult["charts"]> = [];
  const py = await pythonAvailable();
  if (!py.ok) notes.push(`Python ports skipped: ${py.why}`);
  else
    notes.push(
      `Python ${py.version}, running this project's ports of the workloads (bench/python; not the course's own programs): times are process wall times (interpreter start included) unless the script reports its own "ms" (matmul does).`,
    );
  // Threads pinned to CPUs where possible: every single on each core of a pair, every
  // crew's workers round-robin over the cores (singles.ts says why).
  const plan = pinPlan();
  const cpus = "cpus" in plan ? plan.cpus : null;
  try {
    await withSingles(cpus, async (singles) => {
      notes.push(
        `Singles: the course's single-threaded version on worker threads (not the bench's main thread), ${singles.describe()}; ` +
          (cpus
            ? `"single ms" is the harmonic mean of its time on each of the two: a core of their average speed. Crews' workers are pinned round-robin over CPUs ${cpus.join(", ")}.`
            : `threads are not pinned (${"why" in plan ? plan.why : ""}), so a single lands on either core and an uneven machine moves the speedups.`),
      );
      const [loop, kernel] = await controls(ctx, singles, cpus);
      figures.push(loop, kernel);
      if (!ctx.smoke && Math.abs(kernel.ratio! - 2) > 0.25) {
        notes.push(
          `This run's kernel control is ${fmt(kernel.ratio!)}× (the integer loop's ${fmt(loop.ratio!)}×): the cores' speeds changed between the single and the split, ` +
            `or something else ran beside them, so the speedups below say more about the machine than about the code. Run again when the kernel control is near 2×.`,
        );
      }
      for (const w of [matmul(), shoelace(), letters(), wind()] as Workload[]) {
        const why = await w.prepare(dir, ctx.smoke).catch((e: Error) => {
          if (e instanceof DisagreeError) throw e;
          return `data could not be made: ${e.message}`;
        });
        if (why) {
          notes.push(`${w.name}: skipped (${why})`);
          continue;
        }
        await measureWorkload(ctx, w, singles, cpus, py, { figures, notes, rows, charts });
        if (w.name === "matmul") {
          const t = await tracingFigures(ctx);
          if ("why" in t) notes.push(`matmul tracing on/off: skipped (${t.why})`);
          else figures.push(...t);
        }
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push(
    "Workers are started before timing; a run = the whole workload. matmul: the course's 10 rounds of fresh random matrices; the workers stay for all rounds and meet at shared-memory waits (chapter 7's barriers), taking interleaved shares of the rows from a shared counter, while the main thread draws the next round's matrices; a round is published by whichever comes second, the main thread having drawn it or the last worker having finished the round before, and a worker waiting for a round polls for up to 1 ms before it sleeps. shoelace: the workers read the file themselves, 8 byte ranges per worker taken from a shared counter, each the lines that start in it. letter count: the 20 documents taken largest first from a shared index by the workers, each read once and counted 40 times (chapter 3's passes). wind: the 12 monthly files dealt round-robin.",
    "Controls: the integer loop keeps only a core's integer units busy; the matmul kernel on fixed matrices loads and multiplies every cycle, as the workloads do. On the shared 2-core VMs this was built on, one vCPU at times ran such code much slower than the other for seconds to minutes (measured at one moment, two processes pinned one to each vCPU: the kernel 1.5–1.65× slower on one, letter counting 1.6×, the integer loop 2–3%). With the single timed on each core, the controls stay near 2× through such a period (the kernel control's note gives each core's time); one far from 2× (either way) marks a run in which the cores' speeds changed between the single and the split: its course speedups say more about the machine than about the code.",
    'matmul tracing on/off: chapter 7\'s notebook program (threads.run from the built kernel-helpers, barriers "work start" and "work complete", workers started inside the timed call, rows id, id + 2, …), run with { trace: false } and { trace: true } in alternating pairs.',
  );
  return {
    group: "course",
    figures,
    tables: [{ title: "Speedups (single = the course's single-threaded version)", rows }],
    notes,
    charts,
    skipped: figures.length ? undefined : "no course workload could run",
  };
}

/** Where a workload's measurements go. */
interface CourseOut {
  figures: Figure[];
  notes: string[];
  rows: string[][];
  charts: NonNullable<GroupResult["charts"]>;
}

/**
 * One workload: its answer checked on every side, then single vs 2 and N workers
 * (wall and CPU time), the controls again, 2 vs 1 worker, and this project's Python port;
 * adds its figures, its table row and its speedup chart to `out`.
 */
async function measureWorkload(
  ctx: GroupContext,
  w: Workload,
  singles: Singles,
  cpus: number[] | null,
  py: Awaited<ReturnType<typeof pythonAvailable>>,
  out: CourseOut,
): Promise<void> {
  const { figures, notes, rows, charts } = out;
  ctx.log(w.name);
  const expected = singleHere(w);
  for (const solo of singles.crews) {
    const got = await runSingleOn(solo, w);
    if (!w.same(expected, got)) throw new DisagreeError(`${w.name}: the single on a worker gave ${w.show(got)}, on the main thread ${w.show(expected)}`);
  }
  const row = [w.name];
  const o = reps(ctx, 7, 2);
  const ns = [2, bigN(ctx.machine.cores)];
  let singleMs = 0;
  const points: SweepPoint[] = [];
  for (const n of ns) {
    await withCrew(
      n,
      async (crew) => {
        await w.init?.(crew);
        const got = await w.parallel(crew);
        if (!w.same(expected, got)) {
          throw new DisagreeError(`${w.name} with ${n} workers gave ${w.show(got)}, single-threaded gave ${w.show(expected)}`);
        }
        // Process CPU time (all threads) beside the wall time: robust to a loaded machine,
        // it shows whether splitting the work added work (ratio ≈ 1: it did not).
        const cpuS: number[] = [];
        const cpuP: number[] = [];
        const p = await paired(
          () => singles.time((solo) => runSingleOn(solo, w), cpuS),
          () => timeMsCpu(() => w.parallel(crew), cpuP),
          o,
          "speedup",
        );
        if (n === 2) {
          const c = pairedFrom(cpuS.slice(-o.reps), cpuP.slice(-o.reps));
          const f = pairedFigure(`${w.name}: CPU time, 2 workers (all threads)`, "ms CPU", "single", c);
          f.note = "cost ratio ≈ 1: the split adds no work; on an idle machine speedup ≈ 2 ÷ this ratio";
          figures.push(f);
        }
        if (n === 2) singleMs = p.base.median;
        if (n === 2) points.push({ workers: 1, ms: p.base.median, samples: p.baseValues });
        points.push({ workers: n, ms: p.cand.median, samples: p.candValues });
        const target = n === 2 && w.target2 ? ({ on: "ratio", op: ">=", value: 1.8 } as const) : undefined;
        figures.push(pairedFigure(`${w.name}: ${n} workers vs single`, "ms", "single", p, target, undefined, "speedup"));
        if (n === 2) row.push(fmt(p.base.median));
        row.push(fmt(p.cand.median), `${fmt(p.ratio)}×`);
        // The control again, right after this workload on the same crew: what the machine gave just then.
        if (n === 2) {
          const again = { warmup: 1, reps: ctx.smoke ? 2 : 5 };
          row.push(`${fmt((await spinPaired(ctx, singles, crew, again)).ratio)}×`, `${fmt((await kernelPaired(ctx, singles, crew, again)).ratio)}×`);
        }
        // The split's own gain: 2 workers against 1 worker running the same job code
        // (its messages, shared counters and waits included).
        if (n === 2) {
          for (const solo of singles.crews) {
            await w.init?.(solo);
            const got1 = await w.parallel(solo);
            if (!w.same(expected, got1)) throw new DisagreeError(`${w.name} with 1 worker gave ${w.show(got1)}, single-threaded gave ${w.show(expected)}`);
          }
          const one = await paired(
            () => singles.time((solo) => w.parallel(solo)),
            () => timeMs(() => w.parallel(crew)),
            o,
            "speedup",
          );
          const f = pairedFigure(`${w.name}: 2 workers vs 1 worker (same job code)`, "ms", "1 worker", one, undefined, undefined, "speedup");
          f.note = "the split's own gain, both sides in worker threads";
          figures.push(f);
          row.push(`${fmt(one.ratio)}×`);
        }
      },
      cpus ?? undefined,
    );
  }
  if (py.ok && w.python) {
    try {
      // Each run is checked against the TypeScript result; pure Python matmul takes seconds, so few runs.
      const runs: number[] = [];
      for (let i = 0; i < (ctx.smoke ? 1 : 2); i++) {
        const out = await runPython(w.python.script, w.python.args);
        const got = w.fromPython!(out.json);
        if (!w.same(expected, got)) {
          throw new DisagreeError(`${w.name}: the Python port gave ${w.show(got)}, TypeScript gave ${w.show(expected)}`);
        }
        runs.push(out.ms);
      }
      const s = { summary: summarize(runs) };
      const f = soloFigure(`${w.name}: Python port (single)`, "ms", s.summary);
      f.baseline = { name: "TypeScript single", median: singleMs, spread: [singleMs, singleMs] };
      f.ratio = s.summary.median / singleMs;
      f.ratioKind = "speedup";
      f.note = "results agree; ratio = Python time ÷ TypeScript single time";
      figures.push(f);
      row.push(fmt(s.summary.median));
    } catch (err) {
      if (err instanceof DisagreeError) throw err;
      notes.push(`${w.name}: Python port not run (${(err as Error).message.split("\n")[0]})`);
      row.push("–");
    }
  } else row.push("–");
  row.push(w.show(expected));
  rows.push(row);
  const file = `course-${w.name.replace(/\W+/g, "-")}.svg`;
  charts.push({ title: `${w.name}: speedup`, file, build: () => speedupSvg(points, `${w.name}: speedup (1 = single-threaded)`) });
}

/**
 * Issue #4's figures: the matmul chapter's run with tracing on vs off (wall time,
 * the target, and process CPU time, which a loaded machine does not distort). The program
 * is chapter 7's notebook cell (notebooks/07-barriers.ipynb, src/course/ch07-barriers.ts):
 * threads.run from the built kernel-helpers, as a kernel loads it; the timed call
 * includes starting the workers, as the learner waits for it. The result must
 * equal the single-threaded matmul.
 */
async function tracingFigures(ctx: GroupContext): Promise<Figure[] | { why: string }> {
  const got = await library();
  if ("why" in got) return { why: got.why };
  const L = got.lib;
  if (!L.threads?.run || !L.Barrier || !L.SharedArray || !L.randomMatrix)
    return { why: "kernel-helpers lacks threads.run, Barrier, SharedArray or randomMatrix" };
  ctx.log("matmul: tracing on vs off (chapter 7's run)");
  const [size, rounds, seed] = ctx.smoke ? [40, 2, 1] : [200, 10, 1];
  const expected = matmulRounds({ n: size, rounds, seed });
  const events: Record<"on" | "off", number> = { on: 0, off: 0 };
  const once = async (trace: boolean) => {
    const r = await chapter7Matmul(L, 2, size, rounds, seed, trace);
    if (r.checksum !== expected.checksum || r.sum !== expected.sum) {
      throw new DisagreeError(
        `matmul (chapter 7, trace ${trace}) gave checksum ${r.checksum}, sum ${r.sum}; single-threaded gave ${expected.checksum}, ${expected.sum}`,
      );
    }
    events[trace ? "on" : "off"] = r.events;
  };
  // A run is ~0.2 s, most of it starting two workers, which a loaded machine makes
  // noisy: more pairs than the other figures, so the median ratio settles.
  const cpuOff: number[] = [];
  const cpuOn: number[] = [];
  const o = ctx.smoke ? { warmup: 0, reps: 2 } : { warmup: 2, reps: 31 };
  const p = await paired(
    () => timeMsCpu(() => once(false), cpuOff),
    () => timeMsCpu(() => once(true), cpuOn),
    o,
  );
  const wall = pairedFigure(
    "matmul, chapter 7's run on 2 threads: tracing on",
    "ms",
    "tracing off",
    p,
    { on: "ratio", op: "<=", value: 1.05 },
    `threads.run(…, { trace: true }) vs { trace: false }, worker start included; ${events.on} trace events with tracing on, ${events.off} off`,
  );
  const cpu = pairedFigure(
    "matmul, chapter 7's run on 2 threads: tracing on, CPU time (all threads)",
    "ms CPU",
    "tracing off",
    pairedFrom(cpuOff.slice(-o.reps), cpuOn.slice(-o.reps)),
    undefined,
    "the work tracing adds; a loaded machine does not distort it",
  );
  return [labelled("matmul tracing on/off", wall), cpu];
}

/**
 * Chapter 7's barrier matrix multiply as the notebook writes it: the caller draws a
 * and b into shared memory, everyone meets at "work start", worker id computes rows
 * id, id + n, …, everyone meets at "work complete", the caller folds c into the
 * checksum. `L` is the built kernel-helpers.
 */
async function chapter7Matmul(L: any, workers: number, size: number, rounds: number, seed: number, trace: boolean) {
  const made: Array<{ dispose(): void }> = [];
  const keep = <T extends { dispose(): void }>(x: T): T => {
    made.push(x);
    return x;
  };
  try {
    const a = keep(new L.SharedArray("int32", size * size, { lock: false, label: "a" }));
    const b = keep(new L.SharedArray("int32", size * size, { lock: false, label: "b" }));
    const c = keep(new L.SharedArray("int32", size * size, { lock: false, label: "c" }));
    const start = keep(new L.Barrier(workers + 1, { label: "work start" }));
    const done = keep(new L.Barrier(workers + 1, { label: "work complete" }));
    const running = L.threads.run(
      workers,
      ({ id, n, a, b, c, start, done, size, rounds }: any) => {
        const { multiplyRows } = require("kernel-helpers");
        for (let r = 0; r < rounds; r++) {
          start.wait();
          multiplyRows(a.values, b.values, c.values, size, id, n);
          done.wait();
        }
      },
      { a, b, c, start, done, size, rounds },
      { trace, deadlockAfter: 30_000, timeout: 120_000 },
    );
    running.catch(() => {
      start.abort();
      done.abort();
    });
    const rng = new L.Rng(seed);
    let h = 0;
    let sum = 0;
    try {
      for (let r = 0; r < rounds; r++) {
        L.randomMatrix(size, rng, a.values);
        L.randomMatrix(size, rng, b.values);
        await start.waitAsync();
        await done.waitAsync();
        const cv: Int32Array = c.values;
        h = L.checksum(cv, h);
        for (let i = 0; i < cv.length; i++) sum += cv[i];
      }
    } catch (e) {
      start.abort();
      done.abort();
      await running; // a worker's failure is the real cause (it broke the barriers): it rejects with that
      throw e;
    }
    const run = await running;
    return { checksum: h, sum, events: run.trace.length as number };
  } finally {
    for (const m of made) m.dispose();
  }
}

/** A workload's single-threaded version, whole, on the worker `solo` (singles.ts says why there); resolves with its answer. */
async function runSingleOn<R>(solo: Crew, w: Workload<R>): Promise<R> {
  const [r] = await solo.all<R>("single", () => w.singleTask());
  return r;
}

/**
 * The machine controls, single (on each core, singles.ts) vs split over 2 workers: a
 * pure integer loop, and matmul's kernel on fixed matrices. On an idle 2-core
 * machine both give ≈ 2×, and so they do on cores of different speeds, since the
 * single is timed on each. The loop hardly notices a core slowed by a busy neighbour
 * (another VM on the same physical core); the kernel, which loads and multiplies
 * every cycle, does, as the course workloads do: its note gives each core's time.
 */
async function controls(ctx: GroupContext, singles: Singles, cpus: number[] | null): Promise<Figure[]> {
  return withCrew(
    2,
    async (crew) => {
      const o = reps(ctx, 7, 2);
      const loop = pairedFigure(
        "control: pure integer loop, 2 workers vs single",
        "ms",
        "single",
        await spinPaired(ctx, singles, crew, o),
        undefined,
        undefined,
        "speedup",
      );
      loop.note = "≈ 2× on an idle 2-core machine; read the course speedups against it (the table repeats it after each workload)";
      loop.short = "control";
      const perCore = singles.crews.map(() => [] as number[]);
      const kernel = pairedFigure(
        "control: matmul kernel on fixed matrices, 2 workers vs single",
        "ms",
        "single",
        await kernelPaired(ctx, singles, crew, o, perCore),
        undefined,
        undefined,
        "speedup",
      );
      const onEach = singles.cpus
        ? `; the single on CPU ${singles.cpus.map((c, i) => `${c}: ${fmt(summarize(perCore[i].slice(-o.reps)).median)} ms`).join(", CPU ")}`
        : "";
      kernel.note = `≈ 2× on an idle machine, far from it when the cores' speeds change within a run${onEach}`;
      kernel.short = "kernel control";
      return [loop, kernel];
    },
    cpus ?? undefined,
  );
}

/** A machine control: `job` with `args(workers)` on the singles' workers vs on each of the crew's, `before` each run (wall time only). */
function controlPaired<A>(
  o: RepOptions,
  singles: Singles,
  crew: Crew,
  job: string,
  args: (workers: number) => A,
  before = () => {},
  perCore?: number[][],
): Promise<Paired> {
  const run = (c: Crew) => {
    before();
    return c.all(job, () => args(c.size));
  };
  return paired(
    () => singles.time(run, undefined, perCore),
    () => timeMs(() => run(crew)),
    o,
    "speedup",
  );
}

function spinPaired(ctx: GroupContext, singles: Singles, crew: Crew, o: RepOptions): Promise<Paired> {
  const n = ctx.smoke ? 2_000_000 : 100_000_000;
  return controlPaired(o, singles, crew, "spin", (workers) => ({ n: n / workers }));
}

/** The kernel control: `products` products' shares from one shared counter, reset before each run. */
function kernelPaired(ctx: GroupContext, singles: Singles, crew: Crew, o: RepOptions, perCore?: number[][]): Promise<Paired> {
  const [n, products] = ctx.smoke ? [40, 2] : [200, 8];
  const next = new SharedArrayBuffer(4);
  return controlPaired(
    o,
    singles,
    crew,
    "kernel",
    () => ({ n, products, next }),
    () => (new Int32Array(next)[0] = 0),
    perCore,
  );
}
