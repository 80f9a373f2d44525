// explore: the schedule explorer (src/explore). Model steps per second with no
// reduction (lost update, k = 5: 184,756 schedules) against a bare loop that only
// walks the same interleavings step by step without a model (cost ratio); the
// reduction factor (schedules without ÷ with reduction) on lost update k = 3 and
// philosophers n = 4; the time to explore 5 philosophers completely with
// reduction, and the trains model (all three strategies).
//
// The measurements run in a child process on an esbuild bundle of this file, with
// plain Node, as a kernel runs kernel-helpers' bundle (bench/bundle.ts says why not
// under the bench's tsx: typed-array loops, the explorer's engine included, slow down
// there). The child is this same file, started with INTERLEAVE_BENCH_EXPLORE set.
import { spawn } from "node:child_process";
import { bundleFor } from "../bundle";
import { ROOT } from "../lib";
import { pairedFrom, pairedFigure, soloFigure, summarize } from "../stats";
import type { GroupResult } from "../types";
import { reps, type GroupContext } from "./context";
import { track } from "./children";
import { exploreModel, models, type ExploreResult, type Model } from "../../src/explore";

interface ChildResult {
  k: number;
  schedules: number;
  /** Per repetition: explorer ns/step and the bare loop's ns/step, measured back to back. */
  explorerNs: number[];
  bareNs: number[];
  stepsPerSec: number[];
  lostUpdate: { none: number; por: number; statesRuns: number };
  philosophers4: { none: number; por: number; statesRuns: number };
  philosophers5Ms: number[];
  philosophers5Arbitrator: { ms: number; states: number; interleavings: number };
  trainsMs: number[];
  trainsEach: { strategy: string; reduction: string; ms: number; schedules: number; interleavings: number | null }[];
}

/** Walks every interleaving of two threads of n steps each, step by step, doing nothing else: the floor. */
function bareInterleavings(n: number): { schedules: number; steps: number; check: number } {
  // Every 2n-bit word with n bits set is one interleaving (bit set: thread 1 moves).
  const L = 2 * n;
  let schedules = 0,
    steps = 0,
    check = 0;
  let w = (1 << n) - 1;
  const end = 1 << L;
  while (w < end) {
    let x = 0;
    for (let i = 0; i < L; i++) x = (x * 31 + ((w >>> i) & 1)) | 0;
    check ^= x;
    steps += L;
    schedules++;
    const c = w & -w,
      r = w + c; // next word with as many bits set (Gosper)
    w = (((r ^ w) >>> 2) / c) | r;
  }
  return { schedules, steps, check };
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/** The child's work: every figure's raw numbers. */
function measure(smoke: boolean, reps: number): ChildResult {
  const k = smoke ? 3 : 5;
  const lu = models.lostUpdate({ k });
  const explorerNs: number[] = [],
    bareNs: number[] = [],
    stepsPerSec: number[] = [];
  let schedules = 0;
  for (let i = 0; i < reps + 1; i++) {
    // Pairs alternate which side goes first; the first pair is a warm-up.
    const runE = () => timed(() => exploreModel(lu, { reduction: "none", maxMs: 600_000 }));
    const runB = () => timed(() => bareInterleavings(2 * k));
    const [e, b] =
      i % 2 === 0
        ? [runE(), runB()]
        : (() => {
            const b2 = runB();
            return [runE(), b2] as const;
          })();
    if (e.value.schedules !== b.value.schedules)
      throw new Error(`explore bench: the explorer ran ${e.value.schedules} schedules, the bare loop ${b.value.schedules}`);
    if (i === 0) continue;
    schedules = e.value.schedules;
    explorerNs.push((e.ms * 1e6) / e.value.steps);
    bareNs.push((b.ms * 1e6) / b.value.steps);
    stepsPerSec.push(e.value.steps / (e.ms / 1000));
  }
  const count = (m: Model, reduction: "none" | "por" | "states"): ExploreResult => {
    const r = exploreModel(m, { reduction, maxMs: 600_000 });
    if (!r.complete) throw new Error(`explore bench: ${m.name} with ${reduction} did not complete: ${r.bound?.message}`);
    return r;
  };
  const lu3 = models.lostUpdate({ k: 3 });
  const p4 = models.philosophers({ n: 4 });
  const lostUpdate = { none: count(lu3, "none").schedules, por: count(lu3, "por").schedules, statesRuns: count(lu3, "states").schedules };
  const philosophers4 = { none: count(p4, "none").schedules, por: count(p4, "por").schedules, statesRuns: count(p4, "states").schedules };
  const philosophers5Ms: number[] = [];
  const trainsMs: number[] = [];
  let trainsEach: ChildResult["trainsEach"] = [];
  for (let i = 0; i < reps + 1; i++) {
    const p5 = timed(() => count(models.philosophers({ n: 5 }), "por"));
    // The trains: no strategy and the hierarchy with partial-order reduction; the
    // arbitrator, whose steps all sit under one lock, with state hashing.
    const each = (["none", "hierarchy", "arbitrator"] as const).map((strategy) => {
      const reduction = strategy === "arbitrator" ? "states" : "por";
      const t = timed(() => count(models.trains({ strategy }), reduction));
      return { strategy, reduction, ms: t.ms, schedules: t.value.schedules, interleavings: t.value.interleavings };
    });
    if (i === 0) continue;
    philosophers5Ms.push(p5.ms);
    trainsMs.push(each.reduce((s, x) => s + x.ms, 0));
    trainsEach = each;
  }
  const arb = timed(() => count(models.philosophers({ n: 5, strategy: "arbitrator" }), "states"));
  return {
    k,
    schedules,
    explorerNs,
    bareNs,
    stepsPerSec,
    lostUpdate,
    philosophers4,
    philosophers5Ms,
    philosophers5Arbitrator: { ms: arb.ms, states: arb.value.states ?? 0, interleavings: arb.value.interleavings ?? 0 },
    trainsMs,
    trainsEach,
  };
}

function runBundle(smoke: boolean, n: number): Promise<ChildResult> {
  const file = bundleFor("bench/groups/explore.ts");
  return new Promise((ok, fail) => {
    const child = track(
      spawn(process.execPath, [file], {
        cwd: ROOT,
        env: { ...process.env, INTERLEAVE_BENCH_EXPLORE: JSON.stringify({ smoke, reps: n }) },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    let out = "",
      err = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    child.once("error", fail);
    child.once("exit", (code, signal) => {
      if (code !== 0) return fail(new Error(`explore bench child exited with ${signal ?? code}: ${err.trim().split("\n").slice(-3).join(" / ")}`));
      try {
        ok(JSON.parse(out.trim().split("\n").pop() ?? "") as ChildResult);
      } catch {
        fail(new Error(`explore bench child printed no JSON (${out.slice(-200)})`));
      }
    });
  });
}

const f1 = (x: number) => x.toLocaleString("en", { maximumFractionDigits: 1 });

export async function exploreGroup(ctx: GroupContext): Promise<GroupResult> {
  const { reps: n } = reps(ctx, 5);
  const r = await runBundle(ctx.smoke, n);
  const cost = pairedFrom(r.bareNs, r.explorerNs, "cost");
  const luFactor = r.lostUpdate.none / r.lostUpdate.por;
  const p4Factor = r.philosophers4.none / r.philosophers4.por;
  const one = (x: number) => summarize([x]);
  return {
    group: "explore",
    figures: [
      soloFigure(
        `model steps per second, no reduction (lost update k = ${r.k}, ${r.schedules.toLocaleString("en")} schedules, prefixes re-run)`,
        "steps/s",
        summarize(r.stepsPerSec),
        { on: "median", op: ">=", value: 1_000_000 },
      ),
      pairedFigure(
        `explorer, time per model step`,
        "ns/step",
        "a bare loop that walks the same interleavings, one array read per step",
        cost,
        undefined,
        "the explorer re-runs each schedule from the start (generators cannot be copied): a step is a generator resume, the step's effect, and the enabled threads' check",
      ),
      soloFigure(
        "reduction factor on lost update k = 3: schedules with no reduction ÷ with por",
        "×",
        one(luFactor),
        undefined,
        `${r.lostUpdate.none} schedules ÷ ${r.lostUpdate.por}; state hashing counts all ${r.lostUpdate.none} from ${r.lostUpdate.statesRuns} end states reached (${f1(r.lostUpdate.none / r.lostUpdate.statesRuns)}×)`,
      ),
      soloFigure(
        "reduction factor on philosophers n = 4: schedules with no reduction ÷ with por",
        "×",
        one(p4Factor),
        undefined,
        `${r.philosophers4.none.toLocaleString("en")} schedules ÷ ${r.philosophers4.por}; state hashing: ${r.philosophers4.statesRuns} end states`,
      ),
      soloFigure(
        "philosophers n = 5 (no strategy): explored completely with por",
        "ms",
        summarize(r.philosophers5Ms),
        { on: "median", op: "<=", value: 2000 },
        `with the arbitrator (every step under one lock, so por cannot reorder): state hashing in ${f1(r.philosophers5Arbitrator.ms)} ms, ${r.philosophers5Arbitrator.interleavings.toLocaleString("en")} schedules over ${r.philosophers5Arbitrator.states.toLocaleString("en")} states`,
      ),
      soloFigure(
        "trains, all three strategies explored completely",
        "ms",
        summarize(r.trainsMs),
        { on: "median", op: "<=", value: 10_000 },
        r.trainsEach
          .map(
            (t) =>
              `${t.strategy} (${t.reduction}): ${f1(t.ms)} ms${t.interleavings !== null ? `, ${t.interleavings.toLocaleString("en")} schedules` : `, ${t.schedules} schedules`}`,
          )
          .join("; "),
      ),
    ],
  };
}

// The child: started by runBundle on the bundle of this file.
const childArgs = process.env.INTERLEAVE_BENCH_EXPLORE;
if (childArgs) {
  const { smoke, reps: n } = JSON.parse(childArgs) as { smoke: boolean; reps: number };
  process.stdout.write(`${JSON.stringify(measure(smoke, n))}\n`);
}
