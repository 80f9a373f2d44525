// Generated inputs that notebooks and benchmarks share, made once and cached under
// .build/data/ (git-ignored). Each is written into a temporary sibling and renamed
// into place, so a reader never sees a half-written data set, and two kernels making
// the same one at once both end up with a complete copy.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkInt } from "./errors";
import { generateMetarDataset } from "./metar-gen";
import { dataDir } from "./paths";
import { generatePolygons } from "./shoelace";

function tempName(path: string): string {
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Moves `tmp` to `path` unless another writer got there first (then drops `tmp`). */
function publish(tmp: string, path: string): void {
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(path)) throw e;
  }
}

export interface MetarData {
  dir: string;
  files: number;
  reports: number;
  expected: number[];
}

/**
 * A METAR data set of `months` monthly files (default 12, seed 1), generated on first
 * use into .build/data/metar-<months>m-s<seed>/ with a manifest.json holding the counts
 * the course's rule must find. `root` overrides .build/data (tests).
 */
export function ensureMetarData(opts: { months?: number; seed?: number; root?: string } = {}): MetarData {
  const months = checkInt("months", opts.months ?? 12, 1, 1200);
  const seed = checkInt("seed", opts.seed ?? 1, 0, 0xffffffff);
  const root = opts.root ?? dataDir();
  const dir = join(root, `metar-${months}m-s${seed}`);
  const manifest = join(dir, "manifest.json");
  if (existsSync(manifest)) return { dir, ...JSON.parse(readFileSync(manifest, "utf8")) };
  mkdirSync(root, { recursive: true });
  const tmp = tempName(dir);
  try {
    const d = generateMetarDataset(tmp, { months, seed });
    // manifest.json is not a .txt file, so the wind counters skip it.
    writeFileSync(join(tmp, "manifest.json"), JSON.stringify({ files: d.files.length, reports: d.reports, expected: d.expected }));
    publish(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { dir, ...JSON.parse(readFileSync(manifest, "utf8")) };
}

export interface PolygonData {
  file: string;
  count: number;
  totalArea: number;
}

/**
 * A polygon file of `count` polygons (default 100,000, seed 1), generated on first use
 * into .build/data/polygons-<count>-s<seed>.txt, with its count and total area beside it.
 */
export async function ensurePolygons(opts: { count?: number; seed?: number; root?: string } = {}): Promise<PolygonData> {
  const count = checkInt("count", opts.count ?? 100_000, 1, 50_000_000);
  const seed = checkInt("seed", opts.seed ?? 1, 0, 0xffffffff);
  const root = opts.root ?? dataDir();
  const file = join(root, `polygons-${count}-s${seed}.txt`);
  const meta = `${file}.json`;
  if (existsSync(meta) && existsSync(file)) return { file, ...JSON.parse(readFileSync(meta, "utf8")) };
  mkdirSync(root, { recursive: true });
  const tmp = tempName(file);
  try {
    const r = await generatePolygons(tmp, count, seed);
    publish(tmp, file);
    writeFileSync(meta, JSON.stringify(r));
    return { file, ...r };
  } finally {
    rmSync(tmp, { force: true });
  }
}
