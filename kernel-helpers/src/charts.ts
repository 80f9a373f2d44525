// Charts from a cell: build (src/charts), render to SVG in the kernel process,
// and display one mime bundle that every front end can show. Re-exported from index.ts.
//
// Which mime a front end shows: JupyterLab ranks text/html (50) above Vega-Lite
// (57) above image/svg+xml (80); nbclassic and nbconvert take text/html first,
// then image/svg+xml, and never Vega-Lite. So:
//   "interactive" (default): image/svg+xml + Vega-Lite + text/plain. JupyterLab
//      draws the interactive Vega-Lite chart; nbclassic and the course's notes
//      template (tools/nbconvert) show the SVG; a terminal gets the table.
//   "static": adds text/html (the SVG inside a div), which every front end takes
//      first, JupyterLab included; use it for a stock `jupyter nbconvert --to html`,
//      which strips image/svg+xml.
// Either way each front end shows exactly one chart per display.
import { randomBytes } from "node:crypto";
// The builders come from src/charts' public index, which index.ts re-exports as is;
// this module adds only what needs a front end: displaying, live displays, sweeps.
import {
  renderSvg,
  loadVega,
  timelineChart,
  contentionChart,
  speedupChart,
  outcomesChart,
  waitForChart,
  pipelineChart,
  taskStreamChart,
  barsChart,
  windRoseChart,
  heatmapChart,
  animationChart,
  measureSweep,
  summariseSpeedup,
  ChartInputError,
  type Chart,
  type SpeedupPoint,
  type TimingStatistic,
} from "../../src/charts";

/** A display message's content, as Jupyter defines it. */
export interface DisplayContent {
  data: { [mime: string]: unknown };
  metadata: { [key: string]: unknown };
  transient?: { display_id?: string };
}

/** Where bundles go: tslab's writer in a kernel; tests may install their own. */
export type DisplaySink = (content: DisplayContent, update: boolean) => void;

export type ChartMode = "interactive" | "static";

const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
let mode: ChartMode = "interactive";
let customSink: DisplaySink | null = null;

/** Chooses the bundle kind (see the top of this file). Throws on an unknown mode. */
export function setChartMode(m: ChartMode): void {
  if (m !== "interactive" && m !== "static")
    throw new ChartInputError(
      "setChartMode",
      "mode",
      `is ${JSON.stringify(m)}`,
      'Use "interactive" (Vega-Lite in JupyterLab) or "static" (inline SVG everywhere).',
    );
  mode = m;
}

export function chartMode(): ChartMode {
  return mode;
}

/** Sends displays to `sink` instead of the kernel (null restores the default). For tests and tools. */
export function setDisplaySink(sink: DisplaySink | null): void {
  customSink = sink;
}

let kernelDisplay: () => DisplaySink | null = () => null;

/**
 * @internal The kernel adapter (./tslab.ts) says here how displays reach the front
 * end: `find` returns the current cell's writer, or null when there is none.
 */
export function useKernelDisplay(find: () => DisplaySink | null): void {
  kernelDisplay = find;
}

function kernelSink(): DisplaySink | null {
  return customSink ?? kernelDisplay();
}

/** Displays one mime bundle in the cell; returns false (and shows nothing) outside a kernel. */
export function displayBundle(data: { [mime: string]: unknown }): boolean {
  const sink = kernelSink();
  if (!sink) return false;
  sink({ data, metadata: {} }, false);
  return true;
}

/** True when displays reach a front end (a notebook kernel, or an installed sink). */
export function inKernel(): boolean {
  return kernelSink() !== null;
}

const escAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The mime bundle for a rendered chart (chart.svg must be set: call renderSvg first). */
export function mimeBundle(chart: Chart, m: ChartMode = mode): { [mime: string]: unknown } {
  if (!chart || typeof chart !== "object" || typeof chart.text !== "string")
    throw new ChartInputError("mimeBundle", "chart", "is not a Chart", "Pass what a chart builder returns, e.g. timelineChart(run).");
  if (!chart.svg) throw new ChartInputError("mimeBundle", "chart", "has no SVG yet", "Call `await renderSvg(chart)` first (show() does this for you).");
  const data: { [mime: string]: unknown } = {};
  if (m === "static") data["text/html"] = `<div class="interleave-chart" role="img" aria-label="${escAttr(chart.title)}">${chart.svg}</div>`;
  data["image/svg+xml"] = chart.svg;
  if (chart.grammar === "vega-lite") data[VEGALITE_MIME] = chart.spec;
  else data["application/vnd.vega.v5+json"] = chart.spec;
  data["text/plain"] = chart.text;
  return data;
}

/**
 * Renders and displays a chart; resolves to the same chart (now with `svg`).
 * Outside a kernel it prints the text table to stdout instead (no rendering).
 * Rejects if the spec does not compile.
 */
export async function show(chart: Chart): Promise<Chart> {
  const sink = kernelSink();
  if (!sink) {
    console.log(mustBeChart(chart, "show").text);
    return quiet(chart);
  }
  await renderSvg(chart);
  sink({ data: mimeBundle(chart), metadata: {} }, false);
  return quiet(chart);
}

/**
 * tslab prints the value of a cell's last expression, so `await timeline(run)`
 * would dump the whole spec under the chart. A non-enumerable inspect hook
 * makes that a one-liner; JSON and property access are unchanged.
 */
function quiet(chart: Chart): Chart {
  if (!Object.hasOwn(chart, inspectCustom))
    Object.defineProperty(chart, inspectCustom, { value: () => `[Chart: ${chart.title}]`, enumerable: false, configurable: true });
  return chart;
}
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

function mustBeChart(chart: Chart, fn: string): Chart {
  if (!chart || typeof chart !== "object" || typeof chart.text !== "string" || !chart.spec)
    throw new ChartInputError(fn, "chart", "is not a Chart", "Pass what a chart builder returns, e.g. timelineChart(run).");
  return chart;
}

/** Starts loading vega in the background so the first chart of a session is quick. */
export function preloadCharts(): void {
  loadVega().catch(() => undefined); // a real failure surfaces on the first show()
}

// One function per catalogue entry: build, render, display, return the Chart.

/** A builder's displaying twin: builds the chart from the same arguments, shows it, resolves with it. */
function shown<A extends unknown[]>(build: (...args: A) => Chart): (...args: A) => Promise<Chart> {
  return (...args) => show(build(...args));
}

/** Lanes per worker: spawning / running / blocked (per primitive kind) / holding; barrier phases as rules. */
export const timeline = shown(timelineChart);
/** Per lock: wait-time histogram, and waiting vs holding per worker. */
export const contention = shown(contentionChart);
/** Time, speedup (ideal line, fitted Amdahl curve) and efficiency vs workers. Needs a 1-worker point. */
export const speedup = shown(speedupChart);
/** Histogram of a racy program's final values, graded expected / acceptable / forbidden. */
export const outcomes = shown(outcomesChart);
/** The wait-for graph of a deadlock, cycle in red. */
export const waitFor = shown(waitForChart);
/** Busy/idle per pipeline stage and queue depth over time. */
export const pipeline = shown(pipelineChart);
/** A pool's tasks on one lane per worker, with queue waits. */
export const taskStream = shown(taskStreamChart);
/** A labelled bar chart, e.g. letter frequencies. */
export const bars = shown(barsChart);
/** 8 counts (N, NE, … NW) as a wind rose. */
export const windRose = shown(windRoseChart);
/** A matrix as coloured cells. */
export const heatmap = shown(heatmapChart);
/** Frames as one looping SVG (SMIL, no script), with a frame slider in JupyterLab. */
export const animation = shown(animationChart);

// Live displays: one output area replaced in place (update_display_data).

/** A display area whose content can be replaced while a cell runs. */
export interface LiveChart {
  /** Replaces the content with this chart (rendered here). Outside a kernel: does nothing. */
  show(chart: Chart): Promise<void>;
  /** Replaces the content with a line of text. */
  text(line: string): void;
}

function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}

/**
 * One display area: the first send creates it (display_data with a display_id),
 * later sends replace it (update_display_data). Returns false outside a kernel.
 */
function openDisplay(): (data: { [mime: string]: unknown }) => boolean {
  const id = newDisplayId();
  let shown = false;
  return (data) => {
    const sink = kernelSink();
    if (!sink) return false;
    sink({ data, metadata: {}, transient: { display_id: id } }, shown);
    shown = true;
    return true;
  };
}

/** Opens a live display. Nothing appears until the first show()/text(). */
export function liveChart(): LiveChart {
  const send = openDisplay();
  // Renders are serialised so a slow render cannot overwrite a newer one.
  let last: Promise<void> = Promise.resolve();
  return {
    show(chart: Chart): Promise<void> {
      mustBeChart(chart, "liveChart().show");
      const next = last.then(async () => {
        if (!kernelSink()) return;
        await renderSvg(chart);
        send(mimeBundle(chart));
      });
      last = next.catch(() => undefined);
      return next;
    },
    text(line: string): void {
      send({ "text/plain": String(line) });
    },
  };
}

/** A progress line updated in place. */
export interface Progress {
  /** Adds `n` (default 1) finished items. */
  tick(n?: number): void;
  /** Sets the number of finished items. */
  set(done: number): void;
  /** Marks it complete and shows the final line (also when fewer items finished). */
  finish(): void;
  readonly done: number;
}

/**
 * A progress bar for `total` items (e.g. N runs of a race). In a kernel it
 * updates one output in place, at most every 100 ms; outside, it prints a line
 * at each tenth. Throws on a total that is not a positive integer.
 */
export function progress(total: number, label = "progress"): Progress {
  if (!Number.isInteger(total) || total < 1)
    throw new ChartInputError("progress", "total", `is ${JSON.stringify(total)}`, "Pass the number of items as a positive integer.");
  const send = openDisplay();
  const started = Date.now();
  let done = 0,
    lastSent = 0,
    lastTenth = -1,
    finished = false;
  const render = (force: boolean) => {
    const now = Date.now();
    const frac = Math.max(0, Math.min(1, done / total));
    const pct = Math.round(frac * 100);
    const secs = ((now - started) / 1000).toFixed(1);
    if (!inKernel()) {
      // Plain Node: a line per tenth, not one per item.
      const tenth = Math.floor(frac * 10);
      if (tenth !== lastTenth || force) console.log(`${label}: ${done}/${total} (${pct}%) ${secs} s`);
      lastTenth = tenth;
      return;
    }
    if (!force && now - lastSent < 100) return; // the front end need not see every item
    lastSent = now;
    const bar = "#".repeat(Math.round(frac * 30)).padEnd(30, ".");
    send({
      "text/html": `<div class="interleave-progress" style="font:13px sans-serif"><progress max="${total}" value="${Math.min(done, total)}" style="width:240px"></progress> ${escAttr(label)}: ${done}/${total} (${pct}%) · ${secs} s</div>`,
      "text/plain": `${label}: [${bar}] ${done}/${total} (${pct}%) ${secs} s`,
    });
  };
  const advance = (to: number, what: string) => {
    if (!Number.isFinite(to)) throw new ChartInputError("progress", what, `is ${JSON.stringify(to)}`, "Pass a finite number of items.");
    if (finished) return;
    const reached = done < total && to >= total;
    done = to;
    render(reached);
  };
  return {
    tick(n = 1) {
      advance(done + n, "tick(n)");
    },
    set(d: number) {
      advance(d, "set(done)");
    },
    finish() {
      if (finished) return;
      finished = true;
      render(true);
    },
    get done() {
      return done;
    },
  };
}

export interface SweepResult {
  points: SpeedupPoint[];
  chart: Chart;
  /** The fitted serial fraction s of Amdahl's law. */
  serialFraction: number;
}

/**
 * Measures `runOnce(w)` for each worker count (`repeats` times; the median, or
 * the fastest with `statistic: "fastest"`, and the spread) and draws the speedup
 * chart, updated in place as points come in.
 * Outside a kernel nothing is drawn during the sweep; the final table is printed.
 * Errors from runOnce reject the sweep at once.
 */
export async function sweep(
  workers: number[],
  // biome-ignore lint/suspicious/noConfusingVoidType: runOnce may return nothing (an async function that only runs); `undefined` would refuse Promise<void>
  runOnce: (workers: number) => Promise<number | void> | number | void,
  opts: { repeats?: number; title?: string; statistic?: TimingStatistic } = {},
): Promise<SweepResult> {
  const live = liveChart();
  const inK = inKernel();
  const points = await measureSweep(workers, runOnce, {
    repeats: opts.repeats,
    statistic: opts.statistic,
    onPoint: async (pts) => {
      if (!inK) return;
      await live.show(speedupChart(pts, { title: opts.title, statistic: opts.statistic, partial: pts.length < new Set(workers).size }));
    },
  });
  const chart = speedupChart(points, { title: opts.title, statistic: opts.statistic });
  if (inK) await live.show(chart);
  else console.log(chart.text);
  return { points, chart: quiet(chart), serialFraction: summariseSpeedup(points, "sweep").serial };
}
