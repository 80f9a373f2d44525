// Small helpers the groups share: the repository root, number formatting.
import { resolve } from "node:path";

export const ROOT = resolve(__dirname, "..");

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
