// `npm run bench -- [group…] [--smoke] [--check] [--workers 1,2,4,8,16] [--out dir]`
// Runs the benchmark groups one after another (never concurrently: they would
// disturb each other), then writes results.json, REPORT.md and the charts.
import { join } from "node:path";
import { parseArgs, UsageError, USAGE } from "./args";
import { machineInfo } from "./machine";
import { stealClock } from "../tools/procs";
import { buildResults, renderCharts, writeReport } from "./report";
import { fmt, ROOT } from "./lib";
import type { GroupName, GroupResult } from "./types";
import type { GroupContext } from "./groups/context";
import { syncGroup } from "./groups/sync";
import { spawnGroup } from "./groups/spawn";
import { courseGroup } from "./groups/course";
import { notesGroup } from "./groups/notes";
import { labGroup } from "./groups/lab";
import { chartsGroup } from "./groups/charts";
import { exploreGroup } from "./groups/explore";
import { sweepGroup } from "./groups/sweep";
import { killAllChildren } from "./groups/children";

const RUNNERS: Record<GroupName, (ctx: GroupContext) => Promise<GroupResult>> = {
  sync: syncGroup,
  spawn: spawnGroup,
  course: courseGroup,
  notes: notesGroup,
  lab: labGroup,
  charts: chartsGroup,
  explore: exploreGroup,
  sweep: sweepGroup,
};

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(process.argv.slice(2), join(ROOT, "bench"));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(`bench: ${err.message}`);
      console.error(USAGE);
      return err.message ? 2 : 0;
    }
    throw err;
  }
  const machine = machineInfo();
  const ctx: GroupContext = { smoke: opts.smoke, workers: opts.workers, out: opts.out, machine, log: (m) => console.log(`  ${m}`) };
  console.log(
    `bench: ${opts.groups.join(", ")}${opts.workers ? " + sweep" : ""}${opts.smoke ? " (smoke)" : ""} on ${machine.cores} cores, Node ${machine.node}`,
  );
  const results: GroupResult[] = [];
  const names: GroupName[] = [...opts.groups, ...(opts.workers ? (["sweep"] as const) : [])];
  let errors = 0;
  for (const name of names) {
    console.log(`[${name}]`);
    const t0 = performance.now();
    const steal = stealClock(machine.cores);
    let r: GroupResult;
    try {
      r = await RUNNERS[name](ctx);
    } catch (err) {
      errors++;
      const e = err as Error;
      console.error(`  ${name} failed: ${e.stack ?? e.message}`);
      r = { group: name, figures: [], skipped: `error: ${e.message.split("\n")[0]}`, error: true };
    }
    r.seconds = (performance.now() - t0) / 1000;
    // The notes group reads a build made earlier and gives that build's steal itself.
    if (r.steal === undefined) r.steal = steal.since();
    if (r.skipped) console.log(`  skipped: ${r.skipped}`);
    for (const f of r.figures) {
      const ratio = f.ratio === undefined ? "" : `  ratio ${fmt(f.ratio)}×`;
      const pass = f.pass === undefined || opts.smoke ? "" : f.pass ? "  pass" : "  MISS";
      console.log(`  ${f.name}: ${fmt(f.median)} ${f.unit} (IQR ${fmt(f.spread[0])}–${fmt(f.spread[1])})${ratio}${pass}`);
    }
    results.push(r);
  }
  const charts = await renderCharts(results, opts.out);
  const report = buildResults(machine, opts, results, charts);
  writeReport(opts.out, report);
  console.log(`bench: wrote ${join(opts.out, "results.json")} and REPORT.md`);
  if (errors) console.error(`bench: ${errors} group(s) failed with an error (see above)`);
  if (opts.check) {
    const { missed, disturbed, checked } = report.targets;
    if (missed.length) {
      console.error(`bench --check: ${missed.length} target(s) missed:`);
      for (const m of missed) console.error(`  ${m}`);
      return 1;
    }
    if (disturbed.length) {
      // Neither a pass nor a fail: the host took the CPU away while these were measured.
      console.error(
        `bench --check: inconclusive: ${disturbed.length} target(s) missed in groups disturbed by the host's steal; rerun those groups on a quieter machine:`,
      );
      for (const m of disturbed) console.error(`  ${m}`);
      return 3;
    }
    console.log(`bench --check: all ${checked} targets met`);
  }
  return errors ? 1 : 0;
}

main().then(
  (code) => {
    killAllChildren();
    process.exit(code);
  },
  (err) => {
    killAllChildren();
    console.error(err);
    process.exit(1);
  },
);
