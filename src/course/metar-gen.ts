// Chapter 10: a generator of METAR files in the real monthly format (one file per
// month, "apr2008.txt"), so the pipeline has a realistic data set on any machine.
// It writes the awkward cases the counting rule must get right: COR and AUTO,
// continuation lines, VRB and calm winds, gusts and three-digit speeds (not counted),
// trend groups (counted), NIL reports, reports missing "=", a TAF section.
//
// The generator knows the counts it intends from how it built each report (which
// tokens are wind groups, where lines wrap, which reports lack "="), not by running
// the parser, so a test can check the parser against it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkInt } from "./errors";
import { compassIndex } from "./metar";
import { Rng } from "./prng";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const INDENT = " ".repeat(24);
const WIDTH = 72;

/** A token of a report; `dir` is set when the token is exactly a wind group (undefined: not one; null: VRB). */
interface Tok {
  text: string;
  dir?: number | null;
}

interface Report {
  lines: Tok[][];
  /** The regex's head condition holds: the first group after "Z " and any "AUTO " is a wind group. */
  head: boolean;
  closed: boolean;
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const daysIn = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

/** A wind state that drifts, with a prevailing south-westerly like Heathrow's. */
class Weather {
  dir = 240;
  speed = 10;
  /** Typical temperature of the month (°C), set per file. */
  season = 10;
  constructor(private rng: Rng) {}
  step(): void {
    const r = this.rng;
    this.dir = (this.dir + r.int(-20, 20) + (r.chance(0.05) ? r.int(-90, 90) : 0) + 360) % 360;
    // Pull gently back towards 240°.
    this.dir = Math.round(this.dir + (r.chance(0.1) ? Math.sign(240 - this.dir) * 10 : 0));
    this.speed = Math.max(1, Math.min(35, this.speed + r.int(-3, 3) + (this.speed > 12 ? -1 : this.speed < 7 ? 1 : 0)));
  }
  ddd(): string {
    const d = Math.round(this.dir / 10) * 10;
    return pad(d === 0 ? 360 : d, 3);
  }
}

function windTok(ddd: string, ss: number): Tok {
  return { text: `${ddd}${pad(ss, 2)}KT`, dir: Number(ddd) };
}

/** The body groups after the main wind: visibility, weather, cloud, temperatures, pressure. */
function bodyGroups(rng: Rng, w: Weather): Tok[] {
  const out: Tok[] = [];
  if (rng.chance(0.1)) {
    const d = Number(w.ddd());
    out.push({ text: `${pad(((d + 300) % 360) + 10, 3)}V${pad(((d + 40) % 360) + 10, 3)}` });
  }
  const cavok = rng.chance(0.15);
  if (cavok) out.push({ text: "CAVOK" });
  else {
    out.push({ text: rng.chance(0.7) ? "9999" : pad(rng.int(4, 99) * 100, 4) });
    if (rng.chance(0.2)) out.push({ text: rng.pick(["-RA", "RA", "SHRA", "-DZ", "BR", "FG", "-SHRA", "TSRA", "-SN", "HZ"]) });
    const layers = rng.int(0, 3);
    if (layers === 0) out.push({ text: "NSC" });
    let h = rng.int(3, 20);
    for (let i = 0; i < layers; i++) {
      out.push({ text: `${rng.pick(["FEW", "SCT", "BKN", "OVC"])}${pad(h, 3)}${rng.chance(0.05) ? "CB" : ""}` });
      h += rng.int(5, 40);
    }
  }
  const t = w.season + rng.int(-5, 5),
    dp = t - rng.int(0, 8);
  const temp = (x: number) => (x < 0 ? `M${pad(-x, 2)}` : pad(x, 2));
  out.push({ text: `${temp(t)}/${temp(dp)}` }, { text: `Q${pad(rng.int(975, 1040), 4)}` });
  return out;
}

/** Trend groups; a wind group in a trend counts when the report counts. */
function trendGroups(rng: Rng, w: Weather): Tok[] {
  const r = rng.next();
  if (r < 0.55) return [{ text: "NOSIG" }];
  if (r < 0.67) return [{ text: "BECMG" }, windTok(w.ddd(), rng.int(5, 25))];
  if (r < 0.71) return [{ text: "BECMG" }, windTok(w.ddd(), rng.int(5, 25)), { text: "9999" }];
  if (r < 0.76) return [{ text: "TEMPO" }, { text: `${w.ddd()}${pad(rng.int(15, 25), 2)}G${pad(rng.int(30, 45), 2)}KT` }];
  if (r < 0.86) return [{ text: "TEMPO" }, { text: rng.pick(["SHRA", "-SHRA", "4000 RA", "TSRA", "BKN012"]) }];
  if (r < 0.87) return [{ text: "BECMG" }, { text: `VRB${pad(rng.int(2, 5), 2)}KT`, dir: null }];
  return [];
}

function makeReport(rng: Rng, w: Weather, stamp: string, dayTime: string, allowOpen: boolean): Report {
  const head: Tok[] = [{ text: stamp }, { text: "METAR" }];
  if (rng.chance(0.02)) head.push({ text: "COR" });
  head.push({ text: "EGLL" }, { text: `${dayTime}Z` });
  const auto = rng.chance(0.03);
  if (auto) head.push({ text: "AUTO" });
  let toks: Tok[];
  let headOk = true;
  if (rng.chance(0.005)) {
    toks = [...head, { text: "NIL" }];
    headOk = false;
  } else {
    const k = rng.next();
    let wind: Tok;
    if (auto && k < 0.2) {
      wind = { text: "/////KT" };
      headOk = false;
    } else if (k < 0.04) wind = { text: "00000KT", dir: 0 };
    else if (k < 0.09) wind = { text: `VRB${pad(rng.int(1, 5), 2)}KT`, dir: null };
    else if (k < 0.17) {
      wind = { text: `${w.ddd()}${pad(w.speed + 5, 2)}G${pad(w.speed + rng.int(12, 20), 2)}KT` };
      headOk = false;
    } else if (k < 0.173) {
      wind = { text: `${w.ddd()}1${pad(rng.int(0, 5), 2)}KT` };
      headOk = false;
    } else wind = windTok(w.ddd(), w.speed);
    toks = [...head, wind, ...bodyGroups(rng, w)];
    const trend = trendGroups(rng, w);
    // Sometimes the trend goes on a continuation line, as in real files.
    const forceBreakAt = trend.length && rng.chance(0.3) ? toks.length : -1;
    // Rarely the file wraps inside "BECMG 25015KT": the joined "BECMG25015KT" no longer
    // begins with a wind group, so that trend wind is not counted.
    const splitTrend = trend.length > 1 && trend[1].dir !== undefined && rng.chance(0.05) ? toks.length + 1 : -1;
    toks.push(...trend);
    const closed = closeIt(rng, toks, allowOpen);
    return { lines: wrap(toks, head.length + 1, [forceBreakAt, splitTrend]), head: headOk, closed };
  }
  const closed = closeIt(rng, toks, allowOpen);
  return { lines: wrap(toks, toks.length, []), head: headOk, closed };
}

/** Appends "=" to the last token, except in a few reports (which then merge with the next). */
function closeIt(rng: Rng, toks: Tok[], allowOpen: boolean): boolean {
  if (allowOpen && rng.chance(0.005)) return false;
  toks[toks.length - 1] = { ...toks[toks.length - 1], text: `${toks[toks.length - 1].text}=` };
  return true;
}

/** Breaks tokens into lines of at most WIDTH characters, never before `keep`, and at each forced index. */
function wrap(toks: Tok[], keep: number, forced: number[]): Tok[][] {
  const lines: Tok[][] = [[]];
  let len = 0;
  toks.forEach((t, i) => {
    const line = lines[lines.length - 1];
    const start = i > 0 && (forced.includes(i) || (i >= keep && len + 1 + t.text.length > WIDTH));
    if (start) {
      lines.push([t]);
      len = INDENT.length + t.text.length;
    } else {
      line.push(t);
      len += (line.length > 1 ? 1 : 0) + t.text.length;
    }
  });
  return lines;
}

/**
 * What the course's rule counts for these reports, from the generator's own knowledge:
 * trimmed lines join with no separator, so the last token of a line fuses with the
 * first of the next, and a fused token is a wind only if its first part is one; an
 * unclosed report fuses with the next, and the whole counts if either head does.
 */
function intendedCounts(reports: Report[], dist: number[]): void {
  let pending: { toks: Tok[][]; head: boolean } | null = null;
  for (const r of reports) {
    let fused: Tok[][] = [];
    for (const line of r.lines) {
      line.forEach((t, i) => {
        if (i === 0 && fused.length) fused[fused.length - 1].push(t);
        else fused.push([t]);
      });
    }
    let head = r.head;
    if (pending) {
      pending.toks[pending.toks.length - 1].push(...fused[0]);
      fused = [...pending.toks, ...fused.slice(1)];
      head = head || pending.head;
    }
    if (!r.closed) {
      pending = { toks: fused, head };
      continue;
    }
    pending = null;
    if (!head) continue;
    for (const parts of fused) {
      const dir = parts[0].dir;
      if (dir === undefined) continue;
      if (dir === null) for (let i = 0; i < 8; i++) dist[i]++;
      else dist[compassIndex(dir)]++;
    }
  }
}

export interface MetarDataset {
  dir: string;
  files: string[];
  reports: number;
  /** The 8 counts (N … NW) that the course's rule must find in these files. */
  expected: number[];
}

/**
 * Writes `months` monthly files (from January of `startYear`) into `dir`, creating it.
 * Half-hourly reports (:20 and :50), newest first, ~1,400 a month, ~150 kB a file;
 * every third file ends with a TAF section. Deterministic for a given seed.
 */
export function generateMetarDataset(dir: string, opts: { months?: number; seed?: number; startYear?: number } = {}): MetarDataset {
  const months = checkInt("months", opts.months ?? 12, 1, 1200);
  const seed = checkInt("seed", opts.seed ?? 1, 0, 0xffffffff);
  const startYear = checkInt("startYear", opts.startYear ?? 2008, 1950, 2999);
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const w = new Weather(rng);
  const expected = [0, 0, 0, 0, 0, 0, 0, 0];
  const files: string[] = [];
  let total = 0;
  for (let m = 0; m < months; m++) {
    const year = startYear + Math.floor(m / 12),
      month0 = m % 12;
    const days = daysIn(year, month0);
    const mm = pad(month0 + 1, 2);
    const text: string[] = [
      `# Query made at 01/01/${year + 1} 12:00:00 UTC`,
      `# Time interval: from 01/${mm}/${year} 00:00 to ${days}/${mm}/${year} 23:59 UTC`,
      `# METAR/SPECI from EGLL, London / Heathrow Airport (United Kingdom)`,
      `# Synthetic data in the format of the course's files (interleave, seed ${seed})`,
      `#`,
    ];
    const reports: Report[] = [];
    w.season = Math.round(11 - 7 * Math.cos(((month0 - 0.5) / 12) * 2 * Math.PI));
    for (let day = days; day >= 1; day--) {
      for (let hour = 23; hour >= 0; hour--) {
        for (const minute of [50, 20]) {
          w.step();
          const last = day === 1 && hour === 0 && minute === 20;
          const stamp = `${year}${mm}${pad(day, 2)}${pad(hour, 2)}${pad(minute, 2)}`;
          const r = makeReport(rng, w, stamp, `${pad(day, 2)}${pad(hour, 2)}${pad(minute, 2)}`, !last);
          reports.push(r);
          r.lines.forEach((line, i) => {
            text.push((i ? INDENT : "") + line.map((t) => t.text).join(" "));
          });
        }
      }
    }
    if (m % 3 === 2) {
      // Everything from the first line containing "TAF" on is ignored by the rule.
      const d = Number(w.ddd());
      text.push(
        `${year}${mm}${pad(days, 2)}2300 TAF EGLL ${pad(days, 2)}2300Z ${pad(days, 2)}24/${pad(days, 2)}30 ${pad(d, 3)}12KT 9999 BKN040`,
        `${INDENT}TEMPO ${pad(days, 2)}24/${pad(days, 2)}30 ${pad(d, 3)}15G25KT 4000 SHRA=`,
        `${year}${mm}${pad(days, 2)}1700 TAF EGLL ${pad(days, 2)}1700Z ${pad(days, 2)}18/${pad(days, 2)}24 VRB03KT CAVOK=`,
      );
    }
    intendedCounts(reports, expected);
    const file = join(dir, `${MONTHS[month0]}${year}.txt`);
    writeFileSync(file, `${text.join("\n")}\n`);
    files.push(file);
    total += reports.length;
  }
  return { dir, files, reports: total, expected };
}
