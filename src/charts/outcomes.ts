// outcomes: how often each final value of a racy program came up over many
// runs, each value graded expected / acceptable / forbidden (JCStress style).
import type { Chart } from "./types";
import { BASE_CONFIG, GRADE_COLORS } from "./palette";
import { ChartInputError, isFiniteNumber } from "./errors";
import { fmt, table, titled } from "./text";

export type Grade = "expected" | "acceptable" | "forbidden";
/** Outcome counts: value → count, or simply the list of values observed (one per run). */
export type OutcomeCounts = Record<string, number> | Map<string | number, number> | (string | number)[];
/** How to grade a value: a function, or a table (values missing from it are forbidden). */
export type Grader = ((value: string) => Grade) | Record<string, Grade>;

export interface OutcomesOptions {
  title?: string;
  /** Bars drawn at most; rarer values are pooled into one "other" bar (default 40). */
  maxBars?: number;
  /** What a value is, for the axis title (default "final value"). */
  valueLabel?: string;
}

const GRADES: Grade[] = ["expected", "acceptable", "forbidden"];

function toCounts(counts: OutcomeCounts): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, n: unknown, where: string) => {
    if (!isFiniteNumber(n) || n < 0 || !Number.isInteger(n))
      throw new ChartInputError("outcomesChart", where, `is ${JSON.stringify(n)}, not a count`, "Counts are whole numbers ≥ 0.");
    out.set(k, (out.get(k) ?? 0) + n);
  };
  if (Array.isArray(counts)) for (const v of counts) add(String(v), 1, "counts");
  else if (counts instanceof Map) for (const [k, n] of counts) add(String(k), n, `counts.get(${JSON.stringify(k)})`);
  else if (counts && typeof counts === "object") for (const [k, n] of Object.entries(counts)) add(k, n, `counts[${JSON.stringify(k)}]`);
  else throw new ChartInputError("outcomesChart", "counts", `is ${typeof counts}`, "Pass { value: count }, a Map, or the array of observed values.");
  return out;
}

/** Builds the outcome histogram. Throws ChartInputError on bad counts or grades. */
export function outcomesChart(counts: OutcomeCounts, grade: Grader, opts: OutcomesOptions = {}): Chart {
  const tally = toCounts(counts);
  if (typeof grade !== "function" && (grade == null || typeof grade !== "object"))
    throw new ChartInputError(
      "outcomesChart",
      "grade",
      `is ${grade === null ? "null" : typeof grade}`,
      'Pass a function value → "expected" | "acceptable" | "forbidden", or a { value: grade } table.',
    );
  const gradeOf = (v: string): Grade => {
    const g = typeof grade === "function" ? grade(v) : (grade[v] ?? "forbidden");
    if (!GRADES.includes(g))
      throw new ChartInputError(
        "outcomesChart",
        "grade",
        `returned ${JSON.stringify(g)} for value ${v}`,
        'Grades are "expected", "acceptable" or "forbidden".',
      );
    return g;
  };
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const numeric = [...tally.keys()].every((k) => k.trim() !== "" && Number.isFinite(Number(k)));
  let rows = [...tally.entries()].map(([value, count]) => ({ value, count, grade: gradeOf(value) }));
  const maxBars = opts.maxBars ?? 40;
  const notes: string[] = [];
  if (rows.length > maxBars) {
    // Keep every graded-expected/forbidden value visible if possible: the rare forbidden one is the story.
    rows.sort((a, b) => b.count - a.count);
    const keep = rows.slice(0, maxBars - 1),
      rest = rows.slice(maxBars - 1);
    const worst = rest.some((r) => r.grade === "forbidden") ? "forbidden" : rest.some((r) => r.grade === "acceptable") ? "acceptable" : "expected";
    notes.push(`${rows.length} distinct values; the ${rest.length} rarest pooled as "other"`);
    rows = [...keep, { value: `other (${rest.length} values)`, count: rest.reduce((a, r) => a + r.count, 0), grade: worst }];
  }
  if (numeric) rows.sort((a, b) => (a.value.startsWith("other") ? 1 : b.value.startsWith("other") ? -1 : Number(a.value) - Number(b.value)));
  const byGrade = Object.fromEntries(GRADES.map((g) => [g, rows.filter((r) => r.grade === g).reduce((a, r) => a + r.count, 0)])) as Record<Grade, number>;
  const pct = (n: number) => (total ? (100 * n) / total : 0);
  const title = opts.title ?? `Outcomes of ${total} runs`;
  notes.unshift(GRADES.map((g) => `${g}: ${byGrade[g]} (${fmt(pct(byGrade[g]), 1)}%)`).join(" · "));
  const values = rows.map((r) => ({ ...r, pct: Math.round(pct(r.count) * 10) / 10, label: `${r.count} (${fmt(pct(r.count), 1)}%)` }));
  const order = rows.map((r) => r.value);
  const x = { field: "value", type: "nominal", sort: order, title: opts.valueLabel ?? "final value", axis: { labelAngle: rows.length > 8 ? -45 : 0 } };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: notes, anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    width: { step: Math.max(18, Math.min(70, Math.floor(640 / Math.max(1, rows.length)))) },
    height: 240,
    data: { values },
    layer: [
      {
        mark: "bar",
        encoding: {
          x,
          y: { field: "count", type: "quantitative", title: "runs" },
          color: { field: "grade", type: "nominal", title: "grade", scale: { domain: GRADES, range: GRADES.map((g) => GRADE_COLORS[g]) } },
          tooltip: [{ field: "value" }, { field: "grade" }, { field: "count" }, { field: "pct", title: "%" }],
        },
      },
      { mark: { type: "text", dy: -7, fontSize: 10 }, encoding: { x, y: { field: "count", type: "quantitative" }, text: { field: "label" } } },
    ],
  };
  const text = titled(
    title,
    table(
      ["value", "grade", "count", "%"],
      rows.map((r) => [r.value, r.grade, r.count, Math.round(pct(r.count) * 10) / 10]),
    ),
    notes,
  );
  return { title, spec, grammar: "vega-lite", text };
}
