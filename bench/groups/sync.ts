// sync: the library's primitives against bare Atomics, each pair measured in
// alternating windows inside one run. The sync area's bench/sync.ts (syncBench:
// the primitives on raw workers) gives the core figures when it exists; this
// module adds the same primitives as a notebook runs them, inside the library's
// threads.run / processes.run (child/sync-work.ts), and tracing on vs off.
import { join } from "node:path";
import { existsSync } from "node:fs";
import { ROOT, tryImport } from "../lib";
import { library } from "../library";
import { ratiosSvg } from "../charts";
import { labelled, meets, paired, pairedFigure, pairedFrom, soloFigure, summarize } from "../stats";
import type { Figure, GroupResult, Target } from "../types";
import { reps, type GroupContext } from "./context";

const WORK = join(ROOT, "bench", "child", "sync-work.ts");

export async function syncGroup(ctx: GroupContext): Promise<GroupResult> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  let core = false;
  if (existsSync(join(ROOT, "bench", "sync.ts"))) {
    const own = await tryImport("bench/sync");
    if ("mod" in own && typeof own.mod.syncBench === "function") {
      ctx.log("the sync area's syncBench (raw workers)");
      figures.push(...fromSyncBench(await own.mod.syncBench({ smoke: ctx.smoke })));
      notes.push("figures without “via threads.run” come from the sync area's bench/sync.ts (primitives on raw workers)");
      core = true;
    } else notes.push(`bench/sync.ts not used: ${"why" in own ? own.why : "it exports no syncBench"}`);
  }
  const got = await library();
  if ("why" in got) return { group: "sync", figures, skipped: figures.length ? undefined : got.why, notes: [...notes, got.why] };
  const L = got.lib;
  if (!L.Mutex || !L.Barrier || !L.threads) {
    const why = "kernel-helpers has no Mutex / Barrier / threads yet";
    return { group: "sync", figures, skipped: figures.length ? undefined : why, notes: [...notes, why] };
  }
  // With the core figures present, the run-based ones are extra information, not targets.
  const tgt = (t: Target): Target | undefined => (core ? undefined : t);
  const via = core ? "via threads.run: " : "";
  const o = reps(ctx, 7, 1);
  const windowMs = ctx.smoke ? 10 : 100;
  const runOpts = (trace: boolean) => ({ prefix: false, deadlockAfter: Infinity, trace, timeout: 120_000 });

  // Uncontended, on this thread: lock + unlock pairs (the core figures have it already).
  if (!core) {
  ctx.log("uncontended mutex");
  const N = ctx.smoke ? 20_000 : 1_000_000;
  const bare = new Int32Array(new SharedArrayBuffer(4));
  const m = new L.Mutex();
  const bareLoop = () => {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      if (Atomics.compareExchange(bare, 0, 0, 1) !== 0) throw new Error("bare mutex found held");
      if (Atomics.sub(bare, 0, 1) !== 1) Atomics.notify(bare, 0, 1);
    }
    return ((performance.now() - t0) * 1e6) / N;
  };
  const libLoop = () => {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      m.lock();
      m.unlock();
    }
    return ((performance.now() - t0) * 1e6) / N;
  };
  figures.push(labelled("uncontended mutex", pairedFigure("mutex uncontended: lock + unlock", "ns/op", "bare Atomics CAS mutex", await paired(bareLoop, libLoop, o), le(1.2))));
  }

  // Contended, 2 threads: ops per window → ns per op; shares of the library windows.
  ctx.log("contended mutex, 2 threads");
  const windows = 2 * (o.warmup + o.reps);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const run = await L.threads.run(
    2,
    WORK,
    { job: "mutex", gate: new L.Barrier(2), m: new L.Mutex(), bare: new Int32Array(new SharedArrayBuffer(4)), windows, ms: windowMs, counter },
    runOpts(false),
  );
  const res = run.results as Array<{ ops: number[]; took: number[] }>;
  const totalOps = res.reduce((s, r) => s + r.ops.reduce((a, b) => a + b, 0), 0);
  if (counter[0] !== totalOps) throw new Error(`contended mutex lost updates: counter ${counter[0]}, ops ${totalOps}`);
  const nsPerOp = (w: number) => (Math.max(res[0].took[w], res[1].took[w]) * 1e6) / (res[0].ops[w] + res[1].ops[w]);
  const b: number[] = [];
  const c: number[] = [];
  const shares: number[] = [];
  for (let w = 2 * o.warmup; w < windows; w += 2) {
    b.push(nsPerOp(w));
    c.push(nsPerOp(w + 1));
    const tot = res[0].ops[w + 1] + res[1].ops[w + 1];
    shares.push(Math.min(res[0].ops[w + 1], res[1].ops[w + 1]) / tot);
  }
  const contended = pairedFrom(b, c);
  figures.push(labelled(`${core ? "run: " : ""}contended mutex`, pairedFigure(`${via}mutex contended, 2 threads: lock + ++ + unlock`, "ns/op", "bare Atomics CAS mutex", contended, tgt(le(1.2)))));
  figures.push(soloFigure(`${via}mutex contended, 2 threads: smaller thread's share`, "share", summarize(shares), tgt({ on: "median", op: ">=", value: 0.4 }), "fair: each within 0.4–0.6"));

  // Barrier, 2 threads.
  ctx.log("barrier, 2 threads");
  const rounds = ctx.smoke ? 200 : 5_000;
  const brun = await L.threads.run(
    2,
    WORK,
    { job: "barrier", gate: new L.Barrier(2), b: new L.Barrier(2), bare: new Int32Array(new SharedArrayBuffer(8)), windows, rounds },
    runOpts(false),
  );
  const bres = brun.results as number[][];
  const bb: number[] = [];
  const bc: number[] = [];
  for (let w = 2 * o.warmup; w < windows; w += 2) {
    bb.push(Math.max(bres[0][w], bres[1][w]));
    bc.push(Math.max(bres[0][w + 1], bres[1][w + 1]));
  }
  figures.push(labelled(`${core ? "run: " : ""}barrier`, pairedFigure(`${via}barrier wait, 2 threads`, "µs/wait", "bare Atomics barrier", pairedFrom(bb, bc), tgt(le(1.3)))));

  // Tracing on vs off: whole runs, alternating, library mutex only.
  ctx.log("tracing on vs off");
  const traced = async (trace: boolean) => {
    const r = await L.threads.run(
      2,
      WORK,
      { job: "mutex", gate: new L.Barrier(2), m: new L.Mutex(), bare: null, windows: 2, ms: windowMs, counter: null },
      runOpts(trace),
    );
    const rr = r.results as Array<{ ops: number[]; took: number[] }>;
    return (Math.max(rr[0].took[1], rr[1].took[1]) * 1e6) / (rr[0].ops[1] + rr[1].ops[1]);
  };
  const tr = await paired(() => traced(false), () => traced(true), { warmup: 0, reps: ctx.smoke ? 2 : 5 });
  figures.push(labelled("run: tracing on/off", pairedFigure("via threads.run: contended mutex, tracing on", "ns/op", "tracing off", tr, le(1.5), "threads.run(…, { trace: true }) vs { trace: false }")));

  // Cross-process futex mutex vs the thread figure above.
  if (L.processes) {
    ctx.log("contended mutex, 2 processes");
    try {
      const gate = new L.Barrier(2, { shared: "process" });
      const pm = new L.Mutex({ shared: "process" });
      try {
        const pw = 1 + o.reps;
        const prun = await L.processes.run(2, WORK, { job: "mutex", gate, m: pm, bare: null, windows: pw, ms: windowMs, counter: null }, runOpts(false));
        const pr = prun.results as Array<{ ops: number[]; took: number[] }>;
        const per: number[] = [];
        for (let w = 1; w < pw; w++) per.push((Math.max(pr[0].took[w], pr[1].took[w]) * 1e6) / (pr[0].ops[w] + pr[1].ops[w]));
        const f = soloFigure(`${via}mutex contended, 2 processes (shared-memory futex)`, "ns/op", summarize(per));
        f.baseline = { name: "same, 2 threads", median: contended.cand.median, spread: [contended.cand.p25, contended.cand.p75] };
        f.ratio = f.median / contended.cand.median;
        f.ratioKind = "cost";
        f.note = "different runs: ratio is indicative";
        f.short = "run: processes vs threads";
        figures.push(f);
      } finally {
        gate.dispose?.();
        pm.dispose?.();
      }
    } catch (err) {
      notes.push(`cross-process mutex not measured: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  notes.push(
    `“via threads.run”: the library loaded from ${got.from}, workers started by its threads.run / processes.run (as in a notebook: the deadlock watchdog's observer installed); windows of ${windowMs} ms alternate baseline and library inside one run`,
  );
  return { group: "sync", figures, notes, charts: [{ title: "sync ratios", file: "sync-ratios.svg", build: () => ratiosSvg(figures, "sync: cost ratio to the bare Atomics baseline (lower is better)") }] };
}


function le(value: number): Target {
  return { on: "ratio", op: "<=", value };
}

/** Adapts the sync area's own bench/sync.ts figures to the report's shape. */
function fromSyncBench(rows: any[]): Figure[] {
  const figures: Figure[] = rows.map((r) => {
    const spread: [number, number] = Array.isArray(r.spread) ? [r.spread[0], r.spread[1]] : [r.median - (r.spread ?? 0) / 2, r.median + (r.spread ?? 0) / 2];
    const baseline = typeof r.baseline === "object" && r.baseline ? r.baseline : typeof r.baseline === "number" ? { name: "baseline", median: r.baseline, spread: [r.baseline, r.baseline] } : undefined;
    const target: Target | undefined =
      typeof r.target === "number" ? { on: "ratio", op: "<=", value: r.target } : r.target && typeof r.target === "object" ? r.target : undefined;
    const f: Figure = { name: String(r.name), unit: String(r.unit ?? ""), median: r.median, spread, reps: r.reps ?? 0, baseline, ratio: r.ratio, ratioKind: "cost", target };
    f.note = r.note;
    f.pass = meets(target, f);
    return f;
  });
  return figures;
}
