import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { addToDistribution, compassIndex, extractWinds, splitReports, windCountsDir, windCountsText } from "../../src/course/metar";
import { generateMetarDataset } from "../../src/course/metar-gen";
import { FIXTURES, PYTHON, runPython, withTempDir } from "./helpers";

// fixtures/metar/apr2008.txt, report by report (dist order N, NE, E, SE, S, SW, W, NW):
//  1 24013KT + continuation "TEMPO SHRA="           → 240/45 = 5.33 → SW
//  2 24012G25KT first (gust)                           → report does not count, so
//    its "BECMG 27010KT" does not count either
//  3 COR, VRB03KT                                      → +1 on all 8
//  4 AUTO 00000KT, BECMG 09008KT                       → N (calm), E (90/45 = 2)
//  5 31015KT, continuation "BECMG 36020KT="            → NW (6.89 → 7), N (8 mod 8 = 0)
//  (a # comment line: ignored)
//  6 200105KT (three-digit speed)                      → does not count
//  7 13004KT with no "=": fuses with report 8 15006KT  → SE (2.89 → 3), SE (3.33 → 3)
//  9 NIL                                               → nothing
// 10 22010KT, then "BECMG" / "25015KT=" on two lines: the join gives "BECMG25015KT",
//    which does not begin with a wind group            → SW only (4.89 → 5)
// 11 18010KT, TEMPO 20015G30KT (gust)                  → S only
// 12 02010KT                                           → N (0.44 → 0)
// 13 06710KT                                           → NE (1.49 → 1)
// 14 06808KT                                           → E (1.51 → 2)
// TAF line: the rest of the file (a TAF and a METAR 27010KT) is ignored.
// N = 3 + 1, NE = 1 + 1, E = 2 + 1, SE = 2 + 1, S = 1 + 1, SW = 2 + 1, W = 0 + 1, NW = 1 + 1
const FIXTURE_COUNTS = [4, 2, 3, 3, 2, 3, 1, 2];
const FIXTURE_DIR = join(FIXTURES, "metar");

test("the hand-made fixture gives the counts derived by hand", () => {
  assert.equal(windCountsDir(FIXTURE_DIR), FIXTURE_COUNTS);
});

test("stage 1: comments skipped, continuation joined with no separator, unclosed report fused, TAF ends", () => {
  const reports = splitReports(readFileSync(join(FIXTURE_DIR, "apr2008.txt"), "utf8"));
  assert.is(reports.length, 13);
  assert.is(reports[0], "200804302350 METAR EGLL 302350Z 24013KT 9999 FEW015 BKN040 08/06 Q0999TEMPO SHRA=");
  assert.ok(reports[6].includes("Q1002200804302020 METAR"));
  assert.ok(reports.every((r) => !r.includes("TAF") && !r.includes("#")));
  assert.equal(splitReports("x=\n# c = \ny\nz TAF=\nw="), ["x=", ""]);
  assert.equal(splitReports("a\r\nb=\rc=\n"), ["ab=", "c="]);
});

test("stage 2: which reports count and which tokens are winds", () => {
  const w = (r: string) => extractWinds(r).map((x) => x.group);
  assert.equal(w("1 METAR EGLL 012350Z 24013KT 9999 BECMG 25015KT="), ["24013KT", "25015KT"]);
  assert.equal(w("1 METAR EGLL 012350Z AUTO 24013KT 9999="), ["24013KT"]);
  assert.equal(w("1 METAR COR EGLL 012350Z VRB03KT 9999="), ["VRB03KT"]);
  assert.equal(w("1 METAR EGLL 012350Z 24013G25KT 9999 BECMG 25015KT="), []);
  assert.equal(w("1 METAR EGLL 012350Z 240105KT 9999="), []);
  assert.equal(w("1 METAR EGLL 012350Z 24013KT 9999"), [], "no = : does not count");
  assert.equal(w("1 METAR EGLL 012350Z NIL="), []);
  assert.equal(w("1 METAR EGLL 012350Z 24013KT 9999 TEMPO 24020G35KT="), ["24013KT"]);
  assert.equal(
    extractWinds("1 METAR EGLL 012350Z VRB03KT 00000KT=").map((x) => x.dir),
    [null, 0],
  );
});

test("stage 3: round(ddd/45) mod 8, calm on N, VRB on all 8, shared Int32Array works", () => {
  assert.equal([0, 22, 23, 67, 68, 180, 337, 338, 360].map(compassIndex), [0, 0, 1, 1, 2, 4, 7, 0, 0]);
  const dist = new Int32Array(new SharedArrayBuffer(32));
  addToDistribution(dist, [
    { group: "VRB02KT", dir: null },
    { group: "27010KT", dir: 270 },
  ]);
  assert.equal(Array.from(dist), [1, 1, 1, 1, 1, 1, 2, 1]);
  assert.throws(() => addToDistribution([0, 0], []), /8 slots/);
});

test("a missing or empty directory is a clear error", async () => {
  assert.throws(() => windCountsDir("/no/such/metar/dir"), /does not exist or is not a directory/);
  await withTempDir((dir) => assert.throws(() => windCountsDir(dir), /holds no \.txt files/));
});

test("the generator's files hold what it intended, in the real format", async () => {
  await withTempDir((dir) => {
    const d = generateMetarDataset(join(dir, "metar"), { months: 3, seed: 4 });
    assert.equal(
      d.files.map((f) => f.slice(-11)),
      ["jan2008.txt", "feb2008.txt", "mar2008.txt"],
    );
    assert.equal(windCountsDir(d.dir), d.expected);
    assert.ok(d.reports > 4000 && d.reports < 4500, `about 1,440 reports a month, got ${d.reports}`);
    const text = readFileSync(d.files[0], "utf8");
    assert.ok(text.length > 110_000 && text.length < 190_000, `~150 kB, got ${text.length}`);
    assert.match(text, /^# /);
    assert.match(text, /^\d{12} METAR EGLL \d{6}Z /m);
    assert.match(text, /^ {24}\S/m); // continuation lines
    for (const s of ["VRB0", "G", "AUTO", "BECMG", "TEMPO", "00000KT"]) assert.ok(text.includes(s), s);
    // Same seed, same data.
    const again = generateMetarDataset(join(dir, "again"), { months: 3, seed: 4 });
    assert.equal(readFileSync(again.files[2], "utf8"), readFileSync(d.files[2], "utf8"));
  });
});

test("over more months: COR, NIL, three-digit speeds, unclosed reports and TAF sections all appear", async () => {
  await withTempDir((dir) => {
    const d = generateMetarDataset(dir, { months: 12, seed: 1 });
    const all = d.files.map((f) => readFileSync(f, "utf8")).join("\n");
    assert.ok(all.includes("METAR COR EGLL"));
    assert.ok(/Z NIL=/.test(all));
    assert.ok(/ \d{3}1\d\dKT/.test(all));
    assert.ok(/ TAF EGLL /.test(all));
    assert.ok(/\d{4}\n\d{12} METAR/.test(all), "a report without = followed by the next");
    assert.equal(windCountsDir(dir), d.expected);
    // Text-level and directory-level counting agree.
    const dist = [0, 0, 0, 0, 0, 0, 0, 0];
    for (const f of d.files) windCountsText(readFileSync(f, "utf8"), dist);
    assert.equal(dist, d.expected);
  });
});

test("the Python original gives the same 8 counts", async () => {
  if (!PYTHON) return console.log("skipped: no python3");
  assert.equal(runPython("wind.py", [FIXTURE_DIR]), FIXTURE_COUNTS);
  await withTempDir((dir) => {
    const d = generateMetarDataset(dir, { months: 2, seed: 8 });
    // A non-.txt file is ignored by both.
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "notes.md"), "200804302350 METAR EGLL 302350Z 24013KT=\n");
    assert.equal(runPython("wind.py", [dir]), d.expected);
    assert.equal(windCountsDir(dir), d.expected);
  });
});

test.run();
