// Server-side rendering: Vega-Lite → Vega → SVG string, in Node, no browser.
//
// vega and vega-lite are ESM-only with top-level await, so `require` cannot load
// them and TypeScript/esbuild would rewrite a plain `import()` into `require`.
// A Function-built `import()` survives both compilers; the module promise is
// cached so the ~0.3–0.5 s import is paid once per process.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Chart, ChartSpec } from "./types";
import { ChartInputError } from "./errors";
import { bindLifted, liftSpec, type Lifted } from "./shape";

/** The few parts of vega / vega-lite this module uses. */
interface VegaView {
  /** Replaces a named dataset's tuples (applied by the next run). */
  data(name: string, values: unknown[]): VegaView;
  /** Sets a signal's value (applied by the next run). */
  signal(name: string, value: unknown): VegaView;
  toSVG(scale?: number): Promise<string>;
  finalize(): void;
}
interface VegaModule {
  View: new (runtime: unknown, opts: { renderer: "none" }) => VegaView;
  parse(spec: unknown, config?: unknown): unknown;
}
interface VegaLiteLogger {
  level(): number;
  level(l: number): VegaLiteLogger;
  warn(...args: unknown[]): VegaLiteLogger;
  info(...args: unknown[]): VegaLiteLogger;
  debug(...args: unknown[]): VegaLiteLogger;
  error(...args: unknown[]): VegaLiteLogger;
}
interface VegaLiteModule {
  compile(spec: unknown, opts?: { logger?: VegaLiteLogger }): { spec: unknown };
}
export interface VegaModules {
  vega: VegaModule;
  vegaLite: VegaLiteModule;
}

const dynamicImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<unknown>;
let loading: Promise<VegaModules> | null = null;

/** Loads vega + vega-lite once; later calls share the same promise. Rejects if they are not installed. */
export function loadVega(): Promise<VegaModules> {
  if (!loading) {
    loading = (async () => {
      // kernel-helpers/build.mjs bundles both into dist/vega.mjs (one file loads ≈ 2.5× faster
      // than the packages' many); from the sources (tests under tsx) use the packages.
      const bundled = join(__dirname, "vega.mjs");
      if (existsSync(bundled)) {
        const m = (await dynamicImport(pathToFileURL(bundled).href)) as { vega: VegaModule; vegaLite: VegaLiteModule };
        return { vega: m.vega, vegaLite: m.vegaLite };
      }
      const url = (name: string) => pathToFileURL(require.resolve(name)).href;
      const [vega, vegaLite] = await Promise.all([dynamicImport(url("vega")), dynamicImport(url("vega-lite"))]);
      return { vega: vega as VegaModule, vegaLite: vegaLite as VegaLiteModule };
    })();
    // A failed load (missing package) must not poison every later call.
    loading.catch(() => (loading = null));
  }
  return loading;
}

export interface Compiled {
  /** The Vega spec to parse. */
  vega: unknown;
  /** Vega-Lite warnings (an empty list for a clean spec). */
  warnings: string[];
}

/**
 * Compiles a chart's spec to Vega. Vega-Lite errors throw (naming the chart);
 * warnings are collected, not printed, so tests can assert there are none.
 */
export async function compileChart(chart: Chart): Promise<Compiled> {
  checkChart(chart, "compileChart");
  if (chart.grammar === "vega") return { vega: chart.spec, warnings: [] };
  const { vegaLite } = await loadVega();
  const warnings: string[] = [];
  let level = 2;
  const logger: VegaLiteLogger = {
    // biome-ignore lint/suspicious/noExplicitAny: Vega-Lite's logger overloads level(): number and level(n): this; one body returns either
    level(l?: number): any {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    warn: (...a) => {
      warnings.push(a.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
    error: (...a) => {
      throw new Error(`Vega-Lite error in chart "${chart.title}": ${a.map(String).join(" ")}`);
    },
  };
  const out = vegaLite.compile(chart.spec, { logger });
  return { vega: out.spec, warnings };
}

/**
 * Renders a chart to an SVG string (and stores it in `chart.svg`). A chart
 * that already carries its SVG (hand-drawn animations) is returned as is.
 * Throws if the spec does not compile.
 *
 * Compiling (Vega-Lite → Vega → dataflow description) is most of a render's
 * work and depends on the spec's shape, not on its data, titles or domains
 * (see shape.ts). Each shape is compiled once and kept as JSON text (a View
 * mutates the description it is given); a render builds a fresh View from it
 * and hands it this chart's values. (Reusing one View per shape, updating
 * its data, is faster still but does not draw the same: Vega's incremental
 * updates keep series order, legend widths and axis ticks from the last chart.)
 */
export async function renderSvg(chart: Chart): Promise<string> {
  checkChart(chart, "renderSvg");
  if (chart.svg) return chart.svg;
  const { vega } = await loadVega();
  let runtime: unknown;
  let datasets: [string, unknown[]][] = [];
  let signals: [string, unknown][] = [];
  if (chart.grammar === "vega") {
    runtime = vega.parse((await compileChart(chart)).vega);
  } else {
    const lifted = liftSpec(chart.spec);
    const values = new Map(lifted.signals);
    const fits = (s: CompiledShape) => s.fixed.every(([name, text]) => (name ? JSON.stringify(values.get(name)) : lifted.titles) === text);
    let shape = shapes.get(lifted.key);
    if (shape) shapes.delete(lifted.key); // re-inserted below: most recently used last
    if (shape && fits(shape)) {
      shapeStats.reused++;
      runtime = JSON.parse(shape.runtime);
    } else {
      shapeStats.compiled++;
      const compiled = await compileShape(chart, lifted);
      shape = compiled.shape;
      runtime = compiled.parsed;
      shapes.delete(lifted.key); // a parallel render may have stored its own compile meanwhile
    }
    shapes.set(lifted.key, shape);
    if (shapes.size > MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
    const { dataNames } = shape;
    datasets = lifted.datasets.filter(([name]) => dataNames.has(name));
    signals = shape.signals.map((name) => [name, values.get(name)]);
  }
  const view = new vega.View(runtime, { renderer: "none" });
  try {
    for (const [name, values] of datasets) view.data(name, values);
    for (const [name, value] of signals) view.signal(name, value);
    chart.svg = await view.toSVG();
  } finally {
    view.finalize(); // releases timers and listeners the view holds
  }
  return chart.svg;
}

/** How many renders compiled their spec's shape and how many reused a compiled one (for tests and the bench). */
export const shapeStats = { compiled: 0, reused: 0 };

/** A compiled spec shape (not animation.ts's Shape, a figure drawn in a frame). */
interface CompiledShape {
  /** The dataflow description (vega.parse's output) as JSON text. */
  runtime: string;
  /** The datasets it reads. */
  dataNames: Set<string>;
  /** The signals standing for lifted titles and domains, set on each render. */
  signals: string[];
  /** Lifted domains this shape serves only with these values (name → JSON text; "" for all titles). */
  fixed: [string, string][];
}
/** Compiled shapes by key (shape.ts), least recently used first. */
const shapes = new Map<string, CompiledShape>();
/** A notebook shows tens of chart shapes; each kept one costs 20–200 KB of text. */
const MAX_SHAPES = 32;

/** Compiles a shape; also returns its dataflow description, for the render that compiled it. */
async function compileShape(chart: Chart, lifted: Lifted): Promise<{ shape: CompiledShape; parsed: unknown }> {
  const { vega } = await loadVega();
  let bound = bindLifted((await compileChart({ ...chart, spec: lifted.spec })).vega as Record<string, unknown>, lifted);
  if (!bound) {
    // Vega-Lite did not pass some title through verbatim: compile the titles as they are.
    const noTitles = liftSpec(chart.spec, { titles: false });
    bound = bindLifted((await compileChart({ ...chart, spec: noTitles.spec })).vega as Record<string, unknown>, noTitles)!;
    bound.fixed.push(["", lifted.titles]);
  }
  const parsed = vega.parse(bound.vega);
  const data = (bound.vega.data as { name: string }[] | undefined) ?? [];
  // The text is taken before a View sees (and mutates) the description.
  const shape = { runtime: JSON.stringify(parsed), dataNames: new Set(data.map((d) => d.name)), signals: bound.signals, fixed: bound.fixed };
  return { shape, parsed };
}

/** Compiles a bare Vega-Lite spec (handy for checking hand-written specs). */
export async function compileVegaLite(spec: ChartSpec): Promise<Compiled> {
  return compileChart({ title: String((spec as { title?: unknown }).title ?? "spec"), spec, grammar: "vega-lite", text: "" });
}

function checkChart(chart: Chart, fn: string): void {
  if (!chart || typeof chart !== "object" || !chart.spec || typeof chart.spec !== "object")
    throw new ChartInputError(fn, "chart", "is not a Chart (no `spec` object)", "Pass what a chart builder returns, e.g. timelineChart(run).");
}
