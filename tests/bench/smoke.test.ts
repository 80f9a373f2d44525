// `npm run bench -- --smoke` end to end, into a temporary folder (the committed
// report is never touched): every group is present with figures or a reason,
// the JSON is well-formed and the Markdown report names every group.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Results } from "../../bench/types";

const root = resolve(__dirname, "..", "..");
const out = mkdtempSync(join(tmpdir(), "bench-smoke-"));

test("bench --smoke writes a well-formed report for every group", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "main.ts"), "--smoke", "--workers", "1,2", "--out", out], {
    cwd: root,
    encoding: "utf8",
    timeout: 170_000,
  });
  assert.is(r.status, 0, `bench --smoke failed:\n${r.stdout}\n${r.stderr}`);
  const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results;
  assert.ok(res.machine.cores >= 1 && /^v\d+/.test(res.machine.node), "machine info");
  assert.is(res.options.smoke, true);
  assert.equal(
    res.groups.map((g) => g.group),
    ["sync", "spawn", "course", "notes", "charts", "sweep"],
  );
  for (const g of res.groups) {
    assert.ok(g.figures.length > 0 || (typeof g.skipped === "string" && g.skipped.length > 0), `${g.group}: no figures and no skip reason`);
    assert.not.ok(g.error, `${g.group} failed: ${g.skipped}`);
    for (const f of g.figures) {
      assert.ok(Number.isFinite(f.median), `${g.group} / ${f.name}: median ${f.median}`);
      assert.ok(f.spread.length === 2 && f.spread[0] <= f.spread[1], `${g.group} / ${f.name}: spread`);
      assert.ok(f.reps >= 1 && typeof f.unit === "string");
      if (f.baseline) assert.ok(Number.isFinite(f.ratio), `${g.group} / ${f.name}: ratio missing`);
    }
    for (const c of g.charts ?? []) assert.ok(readFileSync(join(out, c.file), "utf8").includes("<svg"), `${c.file} is not SVG`);
  }
  assert.equal(res.targets.missed, [], "smoke runs do not check targets");
  const md = readFileSync(join(out, "REPORT.md"), "utf8");
  for (const g of res.groups) assert.ok(md.includes(`## ${g.group}`), `REPORT.md lacks ${g.group}`);
  assert.match(md, /Smoke run/);
  // The host's steal while each group ran (Linux's /proc/stat), on the group's closing line.
  if (process.platform === "linux") {
    for (const g of res.groups.filter((x) => x.group !== "notes")) {
      assert.ok(typeof g.steal === "number" && g.steal >= 0 && g.steal <= 1, `${g.group}: steal ${g.steal}`);
    }
    assert.match(
      md,
      /_group took [\d.]+ s(; hypervisor steal [\d.]+ % of the cores' time|; the hypervisor took [\d.]+ % of the cores' time \(steal\): timings of this group are disturbed)/,
    );
  }
});

test("bench refuses an unknown group with a clear message", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "main.ts"), "nope", "--out", out], { cwd: root, encoding: "utf8" });
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown group "nope": choose among sync, spawn, course, notes, charts/);
  assert.not.ok(existsSync(join(out, "nope")));
});

test.after(() => rmSync(out, { recursive: true, force: true }));

test.run();
