// sync: the library's primitives against bare Atomics, each pair measured in
// alternating windows inside one run. bench/sync.ts (syncBench: the primitives
// on raw workers) gives the figures with targets; this module adds the same
// primitives as a notebook runs them, inside the library's threads.run /
// processes.run (child/sync-work.ts), and tracing on vs off.
import { join } from "node:path";
import { ROOT } from "../lib";
import { syncBench, type SyncFigure } from "../sync";
import { library } from "../library";
import { ratiosSvg } from "../charts";
import { labelled, meets, paired, pairedFigure, pairedFrom, soloFigure, summarize } from "../stats";
import type { Figure, GroupResult, Target } from "../types";
import { reps, type GroupContext } from "./context";

const WORK = join(ROOT, "bench", "child", "sync-work.ts");

export async function syncGroup(ctx: GroupContext): Promise<GroupResult> {
  ctx.log("the sync core on raw workers (bench/sync.ts)");
  const figures: Figure[] = fromSyncBench(await syncBench({ smoke: ctx.smoke }));
  const notes: string[] = ["figures without “via threads.run” come from bench/sync.ts (primitives on raw workers)"];
  const got = await library();
  if ("why" in got) return { group: "sync", figures, notes: [...notes, got.why] };
  const L = got.lib;
  // The targets are on the raw-worker figures; those through threads.run are extra information.
  const via = "via threads.run: ";
  const o = reps(ctx, 7, 1);
  const windowMs = ctx.smoke ? 10 : 100;
  const runOpts = (trace: boolean) => ({ prefix: false, deadlockAfter: Infinity, trace, timeout: 120_000 });

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
  figures.push(
    labelled("run: contended mutex", pairedFigure(`${via}mutex contended, 2 threads: lock + ++ + unlock`, "ns/op", "bare Atomics CAS mutex", contended)),
  );
  figures.push(soloFigure(`${via}mutex contended, 2 threads: smaller thread's share`, "share", summarize(shares), undefined, "fair: each within 0.4–0.6"));

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
  figures.push(labelled("run: barrier", pairedFigure(`${via}barrier wait, 2 threads`, "µs/wait", "bare Atomics barrier", pairedFrom(bb, bc))));

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
  const tr = await paired(
    () => traced(false),
    () => traced(true),
    { warmup: 0, reps: ctx.smoke ? 2 : 5 },
  );
  figures.push(
    labelled(
      "run: tracing on/off",
      pairedFigure("via threads.run: contended mutex, tracing on", "ns/op", "tracing off", tr, le(1.5), "threads.run(…, { trace: true }) vs { trace: false }"),
    ),
  );

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
  return {
    group: "sync",
    figures,
    notes,
    charts: [
      { title: "sync ratios", file: "sync-ratios.svg", build: () => ratiosSvg(figures, "sync: cost ratio to the bare Atomics baseline (lower is better)") },
    ],
  };
}

function le(value: number): Target {
  return { on: "ratio", op: "<=", value };
}

/** bench/sync.ts's figures in the report's shape. */
function fromSyncBench(rows: SyncFigure[]): Figure[] {
  return rows.map((r) => {
    const target: Target | undefined = typeof r.target === "number" ? le(r.target) : r.target;
    const f: Figure = {
      name: r.name,
      unit: r.unit,
      median: r.median,
      spread: r.spread,
      reps: r.reps,
      baseline: r.baseline,
      ratio: r.ratio,
      ratioKind: "cost",
      target,
    };
    f.note = r.note;
    f.pass = meets(target, f);
    return f;
  });
}
