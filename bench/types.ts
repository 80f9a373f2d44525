// The data a benchmark run produces: what results.json holds and REPORT.md shows.

/** A target from the issue: `ratio <= 1.2`, `median <= 500` (in the figure's unit), `ratio >= 1.8`. */
export interface Target {
  /** Which number of the figure the target bounds. */
  on: "ratio" | "median";
  op: "<=" | ">=";
  value: number;
}

/** Median and spread of repeated measurements. Spread is the interquartile range (p25..p75). */
export interface Summary {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  reps: number;
}

/** One line of the report: a candidate measured against a baseline in the same run. */
export interface Figure {
  name: string;
  /** A short label for charts. */
  short?: string;
  /** Unit of median/spread ("ns/op", "ms", "µs", "tasks/s", "×"). */
  unit: string;
  median: number;
  /** Interquartile range [p25, p75] of the repetitions. */
  spread: [number, number];
  reps: number;
  baseline?: { name: string; median: number; spread: [number, number] };
  /**
   * candidate / baseline: a cost ratio (lower is better) for times, a speedup
   * (baseline time / candidate time, higher is better) where `ratioKind` says so.
   */
  ratio?: number;
  ratioKind?: "cost" | "speedup";
  target?: Target;
  /** Set when a target exists: did this run meet it? */
  pass?: boolean;
  note?: string;
}

/** A chart rendered to SVG next to the report (file name relative to the output folder). */
export interface ChartFile {
  title: string;
  file: string;
}

export interface GroupResult {
  group: GroupName;
  /** Why the whole group did not run (missing module, no python3, …). */
  skipped?: string;
  /** The group threw: `skipped` holds the message. */
  error?: boolean;
  figures: Figure[];
  /** Extra tables (e.g. the workers sweep) as rows of cells, first row = header. */
  tables?: { title: string; rows: string[][] }[];
  /** Charts to render: a title, and a thunk that builds the chart with the project's chart functions. */
  charts?: { title: string; file: string; build: () => Promise<string | null> }[];
  notes?: string[];
  seconds?: number;
  /** Share of the cores' time the hypervisor took while the group ran (steal), null where unknown. */
  steal?: number | null;
}

export const GROUPS = ["sync", "spawn", "course", "notes", "charts"] as const;
/** Groups that run only when named (`npm run bench -- explore`), not in a default run. */
export const NAMED_GROUPS = ["explore", "lab"] as const;
export type GroupName = (typeof GROUPS)[number] | (typeof NAMED_GROUPS)[number] | "sweep";

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  platform: string;
  arch: string;
  memoryGiB: number;
  loadavg: number[];
  date: string;
}

export interface BenchOptions {
  groups: GroupName[];
  smoke: boolean;
  check: boolean;
  /** Worker counts of the scaling sweep, when asked for. */
  workers: number[] | null;
  out: string;
}

export interface Results {
  machine: Machine;
  options: { groups: string[]; smoke: boolean; check: boolean; workers: number[] | null };
  spreadIs: string;
  groups: Array<Omit<GroupResult, "charts"> & { charts?: ChartFile[] }>;
  /**
   * Targets checked; those missed; and those missed in a group the host disturbed
   * (steal above STEAL_DISTURBS), which decide nothing either way.
   */
  targets: { checked: number; missed: string[]; disturbed: string[] };
}
