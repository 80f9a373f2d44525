// Chapter 10: the three-stage METAR pipeline on a hand-made file with a known answer,
// and on a generated data set against the single-process count.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stageOccupancyChart, windPipeline } from "../../src/course/ch10-pipelining";
import { extractWinds, reportCounts, splitReports, windCountsDir, windTokens } from "../../src/course/metar";
import { generateMetarDataset } from "../../src/course/metar-gen";
import { withTempDir } from "./helpers";

const IND = "                        ";
// 240° (SW) and, on the continuation line, a trend 270° (W); a variable wind (all 8);
// a gust (the report does not count); COR + calm (N); 090° (E); 135° (SE), 180° (S),
// 045° (NE), 315° (NW) as trend groups; then a TAF section whose winds are ignored.
const HAND = [
  "# Query made at 01/05/2008 12:00:00 UTC",
  "# METAR/SPECI from EGLL, London / Heathrow Airport (United Kingdom)",
  "#",
  "200804302350 METAR EGLL 302350Z 24013KT 9999 FEW015 BKN040 08/06 Q0999",
  `${IND}BECMG 27015KT=`,
  "200804302320 METAR EGLL 302320Z AUTO VRB03KT 9999 NCD 08/06 Q0999=",
  "200804302250 METAR EGLL 302250Z 24013G25KT 9999 08/06 Q0999 BECMG 24010KT=",
  "200804302220 METAR COR EGLL 302220Z 00000KT CAVOK 10/05 Q1000=",
  "200804302150 METAR EGLL 302150Z 09010KT 9999 FEW030 12/04 Q1012",
  `${IND}TEMPO 13510KT`,
  `${IND}BECMG 18008KT 04506KT 31512KT=`,
  "200804302300 TAF EGLL 302300Z 3024/3106 18012KT 9999=",
  "200804302120 METAR EGLL 302120Z 18010KT 9999 Q1012=",
  "", // the file ends with a newline
].join("\n");
//               N  NE E  SE S  SW W  NW
const EXPECTED = [2, 2, 2, 2, 2, 2, 2, 2];

test("hand-made file: continuation lines, VRB, a gust that does not count, COR, calm, TAF", async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, "apr2008.txt"), HAND);
    assert.equal(windCountsDir(dir), EXPECTED, "the single-process count agrees with the hand count");
    for (const kind of ["threads", "processes"] as const) {
      const r = await windPipeline(dir, { kind, batch: 2 });
      assert.equal(r.counts, EXPECTED, `pipeline on ${kind}`);
      assert.is(r.reports, 5);
    }
  });
});

test("generated months: the pipeline equals the single-process count and the generator's answer", async () => {
  await withTempDir(async (dir) => {
    const d = join(dir, "metar");
    mkdirSync(d);
    const ds = generateMetarDataset(d, { months: 3, seed: 4 });
    const single = windCountsDir(d);
    assert.equal(single, ds.expected);
    const r = await windPipeline(d, { kind: "processes" });
    assert.equal(r.counts, single);
    const depth = r.data.trace.filter((e) => e.type === "counter");
    assert.ok(depth.length > 0, "queue depth recorded");
  });
});

test("wherever the filter runs, the counts are the same; the work time leaves out the start; occupancies are shares", async () => {
  await withTempDir(async (dir) => {
    const ds = generateMetarDataset(dir, { months: 2, seed: 9 });
    // 0.3 leaves some batches with no report checked in split; batch 7 leaves a short last batch.
    for (const filterInSplit of [0, 0.3, 0.5, 1]) {
      const r = await windPipeline(dir, { kind: "threads", batch: 7, filterInSplit });
      assert.equal(r.counts, ds.expected, `filter share ${filterInSplit} in split`);
      assert.ok(r.startMs > 0 && r.startMs < r.ms - r.workMs, "starting the stages is before the work and within the call");
      assert.ok(r.workMs > 0 && r.workMs < r.ms, "work time within the whole call");
      assert.is(r.occupancy.length, 3);
      assert.ok(r.occupancy.every((o) => o >= 0 && o <= 1));
      assert.is(r.filterInSplit, filterInSplit);
    }
  });
});

test("a batch that the split stage filtered down to nothing still flows (the hand-made file, all in split, batches of 1)", async () => {
  await withTempDir(async (dir) => {
    writeFileSync(join(dir, "apr2008.txt"), HAND);
    const r = await windPipeline(dir, { kind: "threads", batch: 1, filterInSplit: 1 });
    assert.equal(r.counts, EXPECTED);
    assert.is(r.reports, 5);
  });
});

test("reportCounts + windTokens is extractWinds", () => {
  for (const r of splitReports(HAND)) assert.equal(reportCounts(r) ? windTokens(r) : [], extractWinds(r));
});

test("the stage-occupancy chart: one bar per stage and run; bad input named", () => {
  const c = stageOccupancyChart([
    { label: "a", occupancy: [0.5, 1, 0.1], speedup: 1.4 },
    { label: "b", occupancy: [1, 0.3, 0.05] },
  ]);
  assert.is((c.spec.data as { values: unknown[] }).values.length, 6);
  assert.match(c.text, /1\.4/);
  assert.throws(() => stageOccupancyChart([{ label: "a", occupancy: [1] }]), /occupancy has 3 shares/);
});

test("a missing directory is named", async () => {
  const e = await windPipeline("/nonexistent/metar").then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e!.message, /does not exist/);
  for (const bad of [-0.1, 1.5, Number.NaN, "split" as never]) {
    const e2 = await windPipeline("/tmp", { filterInSplit: bad }).then(
      () => null,
      (x: Error) => x,
    );
    assert.match(e2!.message, /filterInSplit must be a share from 0 .* to 1/, String(bad));
  }
});

test.run();
