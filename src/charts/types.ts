// The one shape every chart builder returns, and the plain inputs they accept.
import type { RunData } from "../trace/types";

/** A Vega-Lite (or, where noted, Vega) specification as plain JSON. */
export type ChartSpec = { [key: string]: unknown };

/**
 * A chart: a title, a spec a front end can render, a plain-text table of the
 * numbers (for terminals and screen readers) and, once rendered, the SVG.
 */
export interface Chart {
  title: string;
  spec: ChartSpec;
  /** Which grammar `spec` is written in (Vega-Lite unless noted). */
  grammar: "vega-lite" | "vega";
  /** A small plain-text table of the numbers the chart shows. */
  text: string;
  /** Static SVG; set by renderSvg (or up front by charts drawn by hand, e.g. animations). */
  svg?: string;
}

/** A finished run, or anything (such as the spawning area's `Run`) that serialises to one. */
export type RunLike = RunData | { toJSON(): RunData };
