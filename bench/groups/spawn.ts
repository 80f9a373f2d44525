// spawn: what starting a worker through the library costs over the raw Node
// call, and the library pool against piscina. Start = from the call until the
// worker's result is back and the worker is gone (the library's join settles
// only when its worker has exited, so the raw baselines wait for 'exit' too).
import { library } from "../library";
import { ratiosSvg } from "../charts";
import { labelled, paired, pairedFigure } from "../stats";
import type { Figure, GroupResult } from "../types";
import { reps, type GroupContext } from "./context";
import { Probe } from "./probe";

export async function spawnGroup(ctx: GroupContext): Promise<GroupResult> {
  const got = await library();
  if ("why" in got) return { group: "spawn", figures: [], skipped: got.why };
  if (got.from !== "kernel-helpers/dist") return { group: "spawn", figures: [], skipped: "needs the built kernel-helpers (npm run build:helpers)" };
  const probe = await Probe.start();
  try {
    const has = (await probe.call("has")).value as { threads: boolean; processes: boolean; ThreadPool: boolean };
    if (!has.threads || !has.processes) return { group: "spawn", figures: [], skipped: "kernel-helpers has no threads / processes yet" };
    const figures: Figure[] = [];
    const notes: string[] = ["measured in a clean Node process (no tsx loader) that loads the built kernel-helpers, as a notebook kernel does"];
    const op = (name: string, args?: object) => async () => (await probe.call(name, args)).ms;
    // Per kind of worker: the probe's two calls (raw Node, the library), the spawner and raw call named in the figure, repetitions.
    const starts = [
      { kind: "thread", raw: "rawThread", lib: "libThread", spawner: "threads", baseline: "raw new Worker(eval)", reps: 15, warmup: 3 },
      { kind: "process", raw: "rawProcess", lib: "libProcess", spawner: "processes", baseline: "raw fork(file)", reps: 9, warmup: 2 },
    ] as const;
    for (const s of starts) {
      ctx.log(`${s.kind} start`);
      const m = await paired(op(s.raw), op(s.lib), reps(ctx, s.reps, s.warmup));
      const title = `${s.kind} start → result → exit: ${s.spawner}.spawn(fn).join()`;
      figures.push(labelled(`${s.kind} start`, pairedFigure(title, "ms", s.baseline, m, { on: "ratio", op: "<=", value: 1.2 })));
    }
    if (!has.ThreadPool) notes.push("pool vs piscina skipped: kernel-helpers has no ThreadPool yet");
    else {
      const tasks = ctx.smoke ? 200 : 5_000;
      const size = 2;
      ctx.log("pool throughput");
      // Throughput (tasks/s) from each batch time; both pools are started by the warm-up batches.
      const rate = (name: string) => async () => tasks / ((await probe.call(name, { tasks, size })).ms / 1000);
      const q = await paired(rate("poolPiscina"), rate("poolOurs"), reps(ctx, 7, 2), "cost");
      const f = pairedFigure(`pool throughput, ${tasks} tiny tasks, ${size} threads: ThreadPool`, "tasks/s", "piscina", q, {
        on: "ratio",
        op: ">=",
        value: 1.0,
      });
      f.ratioKind = "speedup";
      f.note = "ratio = ThreadPool ÷ piscina throughput (higher is better)";
      f.short = "pool throughput";
      figures.push(f);
    }
    return {
      group: "spawn",
      figures,
      notes,
      charts: [{ title: "spawn ratios", file: "spawn-ratios.svg", build: () => ratiosSvg(figures, "spawn: ratio to raw Node / piscina") }],
    };
  } finally {
    await probe.close();
  }
}
