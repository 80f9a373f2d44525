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

/** The few parts of vega / vega-lite this module uses. */
interface VegaView {
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
    level(l?: number): any {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    warn: (...a) => (warnings.push(a.map(String).join(" ")), logger),
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
 */
export async function renderSvg(chart: Chart): Promise<string> {
  checkChart(chart, "renderSvg");
  if (chart.svg) return chart.svg;
  const [{ vega }, compiled] = await Promise.all([loadVega(), compileChart(chart)]);
  const view = new vega.View(vega.parse(compiled.vega), { renderer: "none" });
  try {
    chart.svg = await view.toSVG();
  } finally {
    view.finalize(); // releases timers and listeners the view holds
  }
  return chart.svg;
}

/** Compiles a bare Vega-Lite spec (handy for checking hand-written specs). */
export async function compileVegaLite(spec: ChartSpec): Promise<Compiled> {
  return compileChart({ title: String((spec as { title?: unknown }).title ?? "spec"), spec, grammar: "vega-lite", text: "" });
}

function checkChart(chart: Chart, fn: string): void {
  if (!chart || typeof chart !== "object" || !chart.spec || typeof chart.spec !== "object")
    throw new ChartInputError(fn, "chart", "is not a Chart (no `spec` object)", "Pass what a chart builder returns, e.g. timelineChart(run).");
}
