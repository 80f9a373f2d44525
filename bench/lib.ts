// Small helpers the groups share: the repository root, loading areas that may
// not exist yet, number formatting.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..");

/**
 * Imports a project module by path from the repository root, or returns why it
 * could not (the area is not built yet). The path is a variable so that the
 * type checker does not require the file to exist.
 */
export async function tryImport(rel: string): Promise<{ mod: any } | { why: string }> {
  const found = [rel, rel + ".ts", join(rel, "index.ts"), rel + ".js"]
    .map((p) => join(ROOT, p))
    .find((p) => existsSync(p) && /\.(ts|js)$/.test(p));
  if (!found) return { why: `${rel} does not exist yet` };
  try {
    return { mod: await import(found) };
  } catch (err) {
    return { why: `${rel} failed to load: ${(err as Error).message.split("\n")[0]}` };
  }
}

/** Formats a number for the report with about three significant digits. */
export function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}
