// The report: targets counted only in full runs, every group in the Markdown.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildResults, markdown } from "../../bench/report";
import { pairedFigure, pairedFrom } from "../../bench/stats";
import type { BenchOptions, GroupResult, Machine } from "../../bench/types";

const machine: Machine = { cores: 2, cpu: "test", node: "v20", platform: "Linux", arch: "x64", memoryGiB: 1, loadavg: [0, 0, 0], date: "2026-01-01T00:00:00Z" };
const opts = (smoke: boolean): BenchOptions => ({ groups: ["sync", "notes"], smoke, check: false, workers: null, out: "/tmp" });

function groups(): GroupResult[] {
  const slow = pairedFigure("mutex contended", "ns/op", "bare", pairedFrom([10, 10], [20, 20]), { on: "ratio", op: "<=", value: 1.2 });
  const fine = pairedFigure("barrier", "µs/wait", "bare", pairedFrom([10, 10], [11, 11]), { on: "ratio", op: "<=", value: 1.3 });
  return [
    { group: "sync", figures: [slow, fine] },
    { group: "notes", figures: [], skipped: "no timings.json in .build/: run `npm run notes` first" },
  ];
}

test("a full run lists each missed target with its value and bound", () => {
  const r = buildResults(machine, opts(false), groups(), new Map());
  assert.is(r.targets.checked, 2);
  assert.equal(r.targets.missed, ["sync / mutex contended: 2.00×, target ratio ≤ 1.2×"]);
  const md = markdown(r);
  assert.match(md, /Targets: 1 of 2 met/);
  assert.match(md, /## notes\n\nskipped: no timings.json/);
  assert.match(md, /\*\*MISS\*\*/);
});

test("a miss in a group the host disturbed (steal) is neither met nor failed; the group's line gives the steal", () => {
  const g = groups();
  g[0].steal = 0.12;
  g[0].seconds = 20;
  const r = buildResults(machine, opts(false), g, new Map());
  assert.is(r.targets.checked, 2);
  assert.equal(r.targets.missed, []);
  assert.equal(r.targets.disturbed, ["sync / mutex contended: 2.00×, target ratio ≤ 1.2× (steal 12 % while measured)"]);
  const md = markdown(r);
  assert.match(md, /Targets: 1 of 2 met\.\n/);
  assert.match(md, /^Missed, in groups the host disturbed \(steal over 3 %\), so neither met nor failed/m);
  assert.match(md, /_group took 20\.0 s; the hypervisor took 12 % of the cores' time \(steal\): timings of this group are disturbed/);
  g[0].steal = 0.01;
  const quiet = buildResults(machine, opts(false), g, new Map());
  assert.equal(quiet.targets.missed, ["sync / mutex contended: 2.00×, target ratio ≤ 1.2×"], "a little steal voids nothing");
  assert.equal(quiet.targets.disturbed, []);
  assert.match(markdown(quiet), /_group took 20\.0 s; hypervisor steal 1\.0 % of the cores' time_/);
});

test("a smoke run checks no target", () => {
  const r = buildResults(machine, opts(true), groups(), new Map());
  assert.is(r.targets.checked, 0);
  assert.equal(r.targets.missed, []);
  assert.is(r.groups[0].figures[0].pass, undefined);
  assert.match(markdown(r), /not checked \(smoke\)/);
});

test.run();
