// Chapter 10: the wind distribution at London Heathrow from METAR reports, split
// into the three pipeline stages of the course. The counting rule is the course's,
// kept exactly (including its quirks) so that results match the original program
// on the same files:
//   stage 1 splitReports:  a line containing "TAF" ends the METAR part of the file;
//     a line containing "#" is a comment (not appended); every other line is trimmed
//     and appended to the current report with NO separator; a line containing "="
//     (comment or not) closes the current report. A report never closed is dropped.
//   stage 2 extractWinds:  a report counts only if it matches WIND_REPORT below: after
//     "EGLL <digits>Z " and any run of capitals and spaces ("AUTO ") comes a wind
//     group, and an "=" follows. In a counting report, every whitespace-separated
//     token that BEGINS with a wind group is a wind (so "BECMG 25015KT" counts too).
//     Wind group: exactly 5 digits + "KT", or "VRB" + 2 digits + "KT"; gusts
//     ("24013G25KT") and three-digit speeds are not wind groups.
//   stage 3 addToDistribution: direction index round(ddd / 45) mod 8 (0 = N … 7 = NW;
//     calm 00000KT lands on N); a variable wind adds one to all 8.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CourseInputError } from "./errors";

export const COMPASS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"] as const;

/** The course's report filter (searched anywhere in the report, like Python's re.search). */
export const WIND_REPORT = /\d* METAR.*EGLL \d*Z [A-Z ]*(\d{5}KT|VRB\d{2}KT).*=/;
/** A token that begins with a wind group; group 1 is the wind group itself. */
const WIND_TOKEN = /^(\d{5}KT|VRB\d{2}KT)/;

/** One counted wind: its group ("24013KT", "VRB03KT") and direction in degrees, null if variable. */
export interface Wind {
  group: string;
  dir: number | null;
}

/** The line breaks Python's str.splitlines() knows, so line splitting matches the original. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the file, group and record separators are line breaks too, as in Python's splitlines
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Stage 1: the reports of one file's text, in file order. */
export function splitReports(text: string): string[] {
  const reports: string[] = [];
  let current = "";
  for (const line of text.split(LINE_BREAK)) {
    if (line.includes("TAF")) break;
    if (!line.includes("#")) current += line.trim();
    if (line.includes("=")) {
      reports.push(current);
      current = "";
    }
  }
  return reports;
}

/** Stage 2: the counted winds of one report ([] when the report does not count). */
export function extractWinds(report: string): Wind[] {
  return WIND_REPORT.test(report) ? windTokens(report) : [];
}

/** Whether a report counts at all (the course's filter, WIND_REPORT). */
export function reportCounts(report: string): boolean {
  return WIND_REPORT.test(report);
}

/**
 * The wind groups of a report already known to count (reportCounts): every token that
 * begins with a wind group. extractWinds = the filter, then this.
 */
export function windTokens(report: string): Wind[] {
  const winds: Wind[] = [];
  for (const token of report.split(/\s+/)) {
    const m = WIND_TOKEN.exec(token);
    if (!m) continue;
    const group = m[1];
    winds.push({ group, dir: group.startsWith("VRB") ? null : Number(group.slice(0, 3)) });
  }
  return winds;
}

/** Compass index of a direction in degrees: round(ddd / 45) mod 8. */
export function compassIndex(dir: number): number {
  return Math.round(dir / 45) % 8;
}

/**
 * Stage 3: adds winds to an 8-slot distribution (N, NE, E, SE, S, SW, W, NW) in place
 * and returns it. Works on a plain array or an Int32Array view of shared memory (a
 * pipeline stage in another process may own it).
 */
export function addToDistribution<D extends Int32Array | number[]>(dist: D, winds: readonly Wind[]): D {
  if (dist.length !== 8) throw new CourseInputError(`dist must have 8 slots (N, NE, E, SE, S, SW, W, NW), got ${dist.length}`);
  for (const w of winds) {
    if (w.dir === null) for (let i = 0; i < 8; i++) dist[i]++;
    else dist[compassIndex(w.dir)]++;
  }
  return dist;
}

/** All three stages on one file's text. */
export function windCountsText(text: string, dist: number[] = [0, 0, 0, 0, 0, 0, 0, 0]): number[] {
  for (const report of splitReports(text)) addToDistribution(dist, extractWinds(report));
  return dist;
}

/**
 * The METAR files of a directory: every regular *.txt file, sorted by name (order
 * does not change the counts; it keeps runs and pipeline charts reproducible).
 * Raises CourseInputError when the directory is missing or holds no .txt file.
 */
export function metarFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CourseInputError(
      `METAR directory ${JSON.stringify(dir)} does not exist or is not a directory; pass a folder of monthly .txt files, or make one with: npm run course -- metar <dir>`,
    );
  }
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".txt"))
    .map((e) => join(dir, e.name))
    .sort();
  if (files.length === 0) throw new CourseInputError(`METAR directory ${JSON.stringify(dir)} holds no .txt files; expected files such as apr2008.txt`);
  return files;
}

/** Single process: the 8 counts (N, NE, E, SE, S, SW, W, NW) over every file of `dir`. */
export function windCountsDir(dir: string): number[] {
  const dist = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const file of metarFiles(dir)) windCountsText(readFileSync(file, "utf8"), dist);
  return dist;
}
