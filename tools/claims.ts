// Claims in the notes build: every `claim(…)` a notebook made leaves its record in
// the cell's outputs (mime CLAIM_MIME, src/claims). This module collects them from
// the executed copies, writes `.build/claims.json` and says what the build saw:
//   claims: N held, M not seen (machine), K failed
// An "always" claim that failed has already failed its cell (ClaimError); here it is
// counted and named again so that the build's summary cannot hide it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { CLAIM_MIME, formatValue, type ClaimRecord } from "../src/claims";
import { ToolError } from "./errors";
import { readNotebook } from "./notebook";

/** One claim as the build records it: the record's own fields, and where the claim was made. */
export type BuildClaim = Pick<ClaimRecord, "id" | "text" | "kind" | "held" | "value" | "expected" | "load"> & {
  /** The notebook's source path relative to the repository (or its file name). */
  notebook: string;
  /** 0-based index of the cell among all the notebook's cells (code and markdown). */
  cell: number;
};

function isRecord(x: unknown): x is ClaimRecord {
  const r = x as ClaimRecord;
  return (
    !!r &&
    typeof r === "object" &&
    typeof r.id === "string" &&
    typeof r.text === "string" &&
    (r.kind === "always" || r.kind === "machine") &&
    typeof r.held === "boolean"
  );
}

/**
 * The claims in one executed notebook, in cell order (a cell may hold several).
 * `name` is what the records call the notebook (default: the file name). Raises a
 * ToolError when the file is not a notebook or holds a malformed claim record.
 */
export function collectClaims(executed: string, name = basename(executed)): BuildClaim[] {
  const nb = readNotebook(executed);
  const found: BuildClaim[] = [];
  nb.cells.forEach((cell, index) => {
    for (const out of cell.outputs ?? []) {
      const data = out.data as Record<string, unknown> | undefined;
      if (!data || !(CLAIM_MIME in data)) continue;
      const r = data[CLAIM_MIME];
      if (!isRecord(r))
        throw new ToolError(
          `${executed}, cell ${index}: a ${CLAIM_MIME} output is not a claim record (${JSON.stringify(r).slice(0, 120)}). Make claims with claim() from kernel-helpers.`,
        );
      found.push({
        notebook: name,
        cell: index,
        id: r.id,
        text: r.text,
        kind: r.kind,
        held: r.held,
        value: r.value ?? null,
        expected: r.expected ?? null,
        load: r.load,
      });
    }
  });
  return found;
}

/**
 * Writes `claims` to `file` (JSON array). Records of notebooks not in `claims`'s
 * `notebooks` are kept from the existing file, so that building one notebook at a
 * time still leaves every notebook's latest claims there.
 */
export function writeClaims(file: string, claims: BuildClaim[], notebooks: string[]): BuildClaim[] {
  const redone = new Set(notebooks);
  let kept: BuildClaim[] = [];
  if (existsSync(file)) {
    try {
      const old = JSON.parse(readFileSync(file, "utf8")) as unknown;
      if (Array.isArray(old)) kept = (old as BuildClaim[]).filter((c) => c && typeof c.notebook === "string" && !redone.has(c.notebook));
    } catch {
      // a damaged file is rewritten from this build's claims
    }
  }
  const all = [...kept, ...claims].sort((a, b) => (a.notebook < b.notebook ? -1 : a.notebook > b.notebook ? 1 : a.cell - b.cell));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(all, null, 1)}\n`);
  return all;
}

export interface ClaimCounts {
  held: number;
  notSeen: number;
  failed: number;
}

export function countClaims(claims: BuildClaim[]): ClaimCounts {
  return {
    held: claims.filter((c) => c.held).length,
    notSeen: claims.filter((c) => !c.held && c.kind === "machine").length,
    failed: claims.filter((c) => !c.held && c.kind === "always").length,
  };
}

/** `claims: N held, M not seen (machine), K failed` */
export function claimsSummary(claims: BuildClaim[]): string {
  const c = countClaims(claims);
  return `claims: ${c.held} held, ${c.notSeen} not seen (machine), ${c.failed} failed`;
}

function valueNote(c: BuildClaim): string {
  if (c.value === null) return "";
  return `; measured ${formatValue(c.value)}${c.expected === null ? "" : `, expected ${formatValue(c.expected)}`}`;
}

/**
 * The build's report on claims: the summary line, then each failed claim (a bug: it
 * must hold everywhere) and each machine claim not seen on this run, with the load.
 */
export function formatClaims(claims: BuildClaim[]): string {
  const lines = [claimsSummary(claims)];
  for (const c of claims.filter((c) => !c.held && c.kind === "always"))
    lines.push(`  FAILED ${c.id} (${c.notebook}, cell ${c.cell}): ${c.text}${valueNote(c)}. It must hold on every machine: fix the lesson or the library.`);
  for (const c of claims.filter((c) => !c.held && c.kind === "machine"))
    lines.push(`  not seen ${c.id} (${c.notebook}, cell ${c.cell}): ${c.text}${valueNote(c)}; load ${c.load}`);
  return lines.join("\n");
}
