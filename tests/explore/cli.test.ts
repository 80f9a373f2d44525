// `npm run -s course -- explore <model> …`: one JSON object on stdout; bad usage exits 2.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { runExploreCli } from "../../src/explore/cli";
import { CourseInputError } from "../../src/course/errors";

const ROOT = resolve(__dirname, "..", "..");
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src", "course", "cli.ts"), ...args], { encoding: "utf8", cwd: ROOT, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("lost-update --reduction none: C(4k, 2k) schedules and the distribution, as one JSON object", () => {
  const r = cli(["explore", "lost-update", "--reduction", "none", "--k", "3"]);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.is(lines.length, 1, "one line");
  const j = JSON.parse(lines[0]);
  assert.equal(Object.keys(j).slice(0, 8), ["model", "reduction", "schedules", "outcomes", "deadlocks", "shortestDeadlock", "complete", "ms"]);
  assert.is(j.model, "lost-update");
  assert.is(j.reduction, "none");
  assert.is(j.schedules, 924);
  assert.equal(j.outcomes, { 2: 8, 3: 300, 4: 416, 5: 180, 6: 20 });
  assert.is(j.deadlocks, 0);
  assert.is(j.shortestDeadlock, null);
  assert.is(j.complete, true);
  assert.type(j.ms, "number");
  for (const [k, n] of [
    [1, 6],
    [2, 70],
  ])
    assert.is(runExploreCli(["lost-update", "--reduction", "none", "--k", String(k)]).schedules, n);
});

test('philosophers: the outcome "deadlock" counts deadlocked schedules, with the shortest one', () => {
  const j = JSON.parse(cli(["explore", "philosophers", "--n", "3", "--reduction", "none"]).stdout);
  assert.equal(j.outcomes, { "all ate": 162, deadlock: 6 });
  assert.is(j.deadlocks, 1);
  assert.is(j.shortestDeadlock.length, 3);
  const por = runExploreCli(["philosophers"]);
  assert.is(por.reduction, "por");
  assert.equal(Object.keys(por.outcomes).sort(), ["all ate", "deadlock"]);
  assert.ok(por.schedules < 100);
  for (const strategy of ["hierarchy", "arbitrator"]) {
    const f = runExploreCli(["philosophers", "--n", "4", "--strategy", strategy, "--reduction", "states"]);
    assert.equal(Object.keys(f.outcomes), ["all ate"], strategy);
    assert.is(f.complete, true);
    assert.type(f.interleavings, "number");
  }
  const t = runExploreCli(["trains"]);
  assert.equal(Object.keys(t.outcomes).sort(), ["all through", "deadlock"]);
  assert.is(t.shortestDeadlock!.length, 4);
});

test("sampling: seeded, the same seed gives the same counts", () => {
  const a = runExploreCli(["lost-update", "--k", "3", "--sample", "200", "--seed", "9"]);
  const b = runExploreCli(["lost-update", "--k", "3", "--sample", "200", "--seed", "9"]);
  assert.is(a.reduction, "sample");
  assert.is(a.schedules, 200);
  assert.is(a.complete, false);
  assert.equal(a.outcomes, b.outcomes);
  assert.equal(a.sample, { n: 200, seed: 9, sampler: "random" });
  const p = runExploreCli(["philosophers", "--sample", "50", "--sampler", "pct"]);
  assert.is(p.sample!.sampler, "pct");
});

test("bad usage: a clear message and exit 2", () => {
  const bad = (args: string[], re: RegExp) => {
    const r = cli(["explore", ...args]);
    assert.is(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.is(r.stdout, "");
    assert.match(r.stderr, re);
  };
  bad(["lost-update", "--bogus", "1"], /course: explore: Unknown option '--bogus'; usage: explore <model>/);
  bad(["frobnicate"], /unknown model "frobnicate"; the models are lost-update, stingy-spendy/);
  bad([], /give exactly one model/);
  bad(["philosophers", "--k", "2"], /model philosophers takes --n, --strategy, not --k/);
  bad(["lost-update", "--reduction", "fast"], /--reduction must be one of none, por, states/);
  bad(["trains", "--strategy", "magic"], /--strategy must be one of none, hierarchy, arbitrator/);
  bad(["lost-update", "--seed", "3"], /--seed and --sampler go with --sample N/);
  const h = cli(["--help"]);
  assert.is(h.status, 0);
  assert.match(h.stdout, /explore <model> \[--reduction none\|por\|states\]/);
  let err: unknown;
  try {
    runExploreCli(["barrier", "--variant", "twice"]);
  } catch (e) {
    err = e;
  }
  assert.instance(err, CourseInputError);
});

test.run();
