// Chapter 11: polygon areas by the shoelace formula, the pool's unit of work.
// A polygon file holds one polygon per line, written "(x,y),(x,y),…" with integer
// coordinates. A pool worker takes one line (or a batch) and returns its area.
import { createWriteStream, readFileSync, existsSync, statSync } from "node:fs";
import { checkInt, CourseInputError } from "./errors";
import { Rng } from "./prng";

export type Point = [x: number, y: number];

/**
 * Parses one line "(x,y),(x,y),…" (spaces around numbers and commas allowed, signs
 * allowed). Raises CourseInputError naming the line number, the column and what was
 * expected when the line is malformed or has fewer than 3 points.
 */
export function parsePolygon(line: string, lineNumber: number): Point[] {
  const where = `polygon line ${lineNumber}`;
  const points: Point[] = [];
  const s = line.trim();
  if (s === "") throw new CourseInputError(`${where}: empty line; write a polygon as (x,y),(x,y),(x,y) or remove the line`);
  const point = /\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\s*/y;
  let pos = 0;
  while (pos < s.length) {
    point.lastIndex = pos;
    const m = point.exec(s);
    if (!m) {
      throw new CourseInputError(`${where}, column ${pos + 1}: expected a point "(x,y)" with integer x and y, found ${JSON.stringify(s.slice(pos, pos + 20))}`);
    }
    points.push([Number(m[1]), Number(m[2])]);
    pos = point.lastIndex;
    if (pos < s.length) {
      if (s[pos] !== ",") {
        throw new CourseInputError(`${where}, column ${pos + 1}: expected "," between points, found ${JSON.stringify(s.slice(pos, pos + 20))}`);
      }
      pos++;
      if (pos === s.length) throw new CourseInputError(`${where}: trailing "," after the last point; remove it`);
    }
  }
  if (points.length < 3) throw new CourseInputError(`${where}: a polygon needs at least 3 points, found ${points.length}`);
  return points;
}

/**
 * Twice the signed area: Σ (x_i·y_{i+1} − x_{i+1}·y_i), wrapping around. An integer
 * for integer points, so sums of it stay exact (until 2^53).
 */
export function shoelaceTwice(points: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    s += x1 * y2 - x2 * y1;
  }
  return s;
}

/** The area of a simple polygon (vertices in either order): |shoelaceTwice| / 2. */
export function shoelaceArea(points: readonly Point[]): number {
  return Math.abs(shoelaceTwice(points)) / 2;
}

/** The area of one line of a polygon file (what a pool task does). */
export function lineArea(line: string, lineNumber: number): number {
  return shoelaceArea(parsePolygon(line, lineNumber));
}

/** Splits a polygon file into its non-blank lines, keeping 1-based line numbers. */
export function polygonLines(text: string): { line: string; lineNumber: number }[] {
  const out: { line: string; lineNumber: number }[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.trim() !== "") out.push({ line, lineNumber: i + 1 });
  });
  return out;
}

export interface ShoelaceResult {
  count: number;
  totalArea: number;
}

/**
 * The polygons of a piece of a polygon file: their count and the sum of their
 * twice-areas (exact integers; halve the sum at the end). Blank lines are skipped;
 * `firstLine` is the file line number of the text's first line (for error
 * messages). Goes through the lines as it splits them, with no object per line:
 * on a 100,000-line file that halves the time of collecting polygonLines first.
 */
export function shoelaceText(text: string, firstLine = 1): { count: number; twice: number } {
  let twice = 0,
    count = 0;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    twice += Math.abs(shoelaceTwice(parsePolygon(line, firstLine + i)));
    count++;
  }
  return { count, twice };
}

/** Single-threaded: the count of polygons in a file and the sum of their areas. */
export function shoelaceFile(file: string): ShoelaceResult {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new CourseInputError(`polygon file ${JSON.stringify(file)} does not exist or is not a file; generate one with: npm run course -- polygons <file>`);
  }
  const { count, twice } = shoelaceText(readFileSync(file, "utf8"));
  return { count, totalArea: twice / 2 };
}

/**
 * One random simple polygon: star-shaped around a centre (each vertex sits in its own
 * angular sector, at a random radius), so the outline never crosses itself and the
 * area is meaningful. Coordinates are integers in 0..1000.
 */
export function randomPolygon(rng: Rng, maxVertices = 12): Point[] {
  const k = rng.int(3, maxVertices);
  const r = rng.int(20, 150);
  const cx = rng.int(r, 1000 - r),
    cy = rng.int(r, 1000 - r);
  const points: Point[] = [];
  for (let i = 0; i < k; i++) {
    // Middle 80 % of the sector: neighbours keep some angle between them.
    const angle = ((i + 0.1 + 0.8 * rng.next()) / k) * 2 * Math.PI;
    const radius = r * (0.4 + 0.6 * rng.next());
    points.push([Math.round(cx + radius * Math.cos(angle)), Math.round(cy + radius * Math.sin(angle))]);
  }
  return points;
}

export function formatPolygon(points: readonly Point[]): string {
  return points.map(([x, y]) => `(${x},${y})`).join(",");
}

/**
 * Writes `count` random polygons to `file`, one per line; returns the count and the
 * total area it wrote (what shoelaceFile must read back).
 */
export async function generatePolygons(file: string, count: number, seed = 1, maxVertices = 12): Promise<ShoelaceResult> {
  checkInt("count", count, 1, 50_000_000);
  checkInt("maxVertices", maxVertices, 3, 1000);
  const rng = new Rng(seed);
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.on("error", reject));
  let twice = 0;
  let chunk = "";
  for (let i = 0; i < count; i++) {
    const p = randomPolygon(rng, maxVertices);
    twice += Math.abs(shoelaceTwice(p));
    chunk += `${formatPolygon(p)}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await Promise.race([new Promise<void>((ok) => out.once("drain", () => ok())), failed]);
      chunk = "";
    }
  }
  out.end(chunk);
  await Promise.race([new Promise<void>((ok) => out.once("finish", () => ok())), failed]);
  return { count, totalArea: twice / 2 };
}
