// Plain-text tables: the text/plain fallback of every chart.

export type Cell = string | number | null | undefined;

/** Formats a number for a table: integers as is, others with up to `digits` decimals. */
export function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return x.toFixed(digits).replace(/\.?0+$/, "");
}

/** Renders rows under a header as aligned columns (numbers right-aligned). */
export function table(headers: string[], rows: Cell[][]): string {
  const cells = rows.map((r) => headers.map((_, i) => cellText(r[i])));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number" || r[i] == null));
  const width = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(width[i]) : c.padEnd(width[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(width.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function cellText(c: Cell): string {
  if (c == null) return "";
  return typeof c === "number" ? fmt(c) : c;
}

/** A title line, optional notes, then the table. */
export function titled(title: string, body: string, notes: string[] = []): string {
  return [title, ...notes, "", body].join("\n");
}
