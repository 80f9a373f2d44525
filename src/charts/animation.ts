// animation: a sequence of frames (e.g. trains on their tracks, crossings
// coloured by owner) as ONE self-contained SVG whose frames switch with SMIL,
// so it plays with no script — in nbclassic, in exported HTML, in a browser
// opening the file. The Vega-Lite spec carries the same frames with a slider
// for front ends that run Vega (JupyterLab).
import type { Chart } from "./types";
import { BASE_CONFIG } from "./palette";
import { ChartInputError, isFiniteNumber } from "./errors";
import { table, titled } from "./text";

export type Shape =
  | { type: "rect"; x: number; y: number; w: number; h: number; fill?: string; stroke?: string }
  | { type: "circle"; x: number; y: number; r: number; fill?: string; stroke?: string }
  | { type: "line"; x: number; y: number; x2: number; y2: number; stroke?: string; width?: number }
  | { type: "text"; x: number; y: number; text: string; fill?: string; size?: number };

/** One picture: shapes in pixel coordinates (origin top left), and a caption. */
export interface Frame {
  label?: string;
  shapes: Shape[];
}

export interface AnimationOptions {
  title?: string;
  /** Drawing size in pixels (default: fits the shapes). */
  width?: number;
  height?: number;
  /** Frames per second (default 4). */
  fps?: number;
  /** Above this many frames, every k-th frame is kept (default 300). */
  maxFrames?: number;
  /** Colour key drawn under the picture: what each colour means. */
  legend?: { label: string; color: string }[];
}

let clipCounter = 0;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (x: number) => String(Math.round(x * 100) / 100);

function checkFrames(frames: Frame[], fn: string): void {
  if (!Array.isArray(frames) || frames.length === 0)
    throw new ChartInputError(fn, "frames", "is empty or not an array", "Pass at least one { label, shapes: [...] } frame.");
  frames.forEach((f, i) => {
    if (!f || !Array.isArray(f.shapes)) throw new ChartInputError(fn, `frames[${i}]`, "has no `shapes` array", "Each frame is { label?, shapes: Shape[] }.");
    f.shapes.forEach((s, j) => {
      const need =
        s?.type === "rect"
          ? ["x", "y", "w", "h"]
          : s?.type === "circle"
            ? ["x", "y", "r"]
            : s?.type === "line"
              ? ["x", "y", "x2", "y2"]
              : s?.type === "text"
                ? ["x", "y"]
                : null;
      if (!need) throw new ChartInputError(fn, `frames[${i}].shapes[${j}].type`, `is ${JSON.stringify(s?.type)}`, 'Use "rect", "circle", "line" or "text".');
      for (const k of need)
        if (!isFiniteNumber((s as Record<string, unknown>)[k]))
          throw new ChartInputError(
            fn,
            `frames[${i}].shapes[${j}].${k}`,
            `is ${JSON.stringify((s as Record<string, unknown>)[k])}`,
            "Coordinates are finite numbers in pixels.",
          );
    });
  });
}

function sample(frames: Frame[], max: number): { kept: Frame[]; step: number } {
  const step = Math.max(1, Math.ceil(frames.length / max));
  const kept = frames.filter((_, i) => i % step === 0);
  if ((frames.length - 1) % step !== 0) kept.push(frames[frames.length - 1]); // always end on the final state
  return { kept, step };
}

function extent(frames: Frame[]): { w: number; h: number } {
  let w = 100,
    h = 60;
  for (const f of frames)
    for (const s of f.shapes) {
      const right = s.type === "rect" ? s.x + s.w : s.type === "circle" ? s.x + s.r : s.type === "line" ? Math.max(s.x, s.x2) : s.x + 8 * s.text.length;
      const bottom = s.type === "rect" ? s.y + s.h : s.type === "circle" ? s.y + s.r : s.type === "line" ? Math.max(s.y, s.y2) : s.y + 4;
      w = Math.max(w, right + 10);
      h = Math.max(h, bottom + 10);
    }
  return { w: Math.ceil(w), h: Math.ceil(h) };
}

function shapeSvg(s: Shape): string {
  switch (s.type) {
    case "rect":
      return `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" fill="${esc(s.fill ?? "#888")}"${s.stroke ? ` stroke="${esc(s.stroke)}"` : ""}/>`;
    case "circle":
      return `<circle cx="${num(s.x)}" cy="${num(s.y)}" r="${num(s.r)}" fill="${esc(s.fill ?? "#888")}"${s.stroke ? ` stroke="${esc(s.stroke)}"` : ""}/>`;
    case "line":
      return `<line x1="${num(s.x)}" y1="${num(s.y)}" x2="${num(s.x2)}" y2="${num(s.y2)}" stroke="${esc(s.stroke ?? "#333")}" stroke-width="${num(s.width ?? 2)}"/>`;
    case "text":
      return `<text x="${num(s.x)}" y="${num(s.y)}" font-size="${num(s.size ?? 12)}" fill="${esc(s.fill ?? "#222")}">${esc(s.text)}</text>`;
  }
}

/**
 * Draws the frames as one SVG that loops with SMIL (no script). Frame 0 is
 * visible up front, so a viewer without SMIL still shows a picture.
 * Throws ChartInputError on malformed frames.
 */
export function animationSvg(frames: Frame[], opts: AnimationOptions = {}): string {
  checkFrames(frames, "animationSvg");
  const fps = opts.fps ?? 4;
  if (!isFiniteNumber(fps) || fps <= 0)
    throw new ChartInputError("animationSvg", "opts.fps", `is ${JSON.stringify(opts.fps)}`, "Frames per second must be a positive number.");
  const { kept, step } = sample(frames, opts.maxFrames ?? 300);
  const fit = extent(kept);
  const W = opts.width ?? fit.w,
    H = opts.height ?? fit.h;
  const top = 44,
    legendH = opts.legend?.length ? 26 : 0,
    bottom = 24;
  const total = top + H + bottom + legendH;
  const n = kept.length,
    dur = n / fps;
  const title = opts.title ?? "Animation";
  // Several animations can share one HTML page: ids must not collide.
  const clipId = `interleave-clip-${(clipCounter++).toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const sub = `${frames.length} frames${step > 1 ? ` (every ${step}th shown)` : ""}, ${fps} per second, looping`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="interleave-animation" width="${W}" height="${total}" viewBox="0 0 ${W} ${total}" font-family="sans-serif">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${total}" fill="white"/>`,
    // Shapes outside the drawing area must not paint over the title or captions.
    `<defs><clipPath id="${clipId}"><rect x="0" y="0" width="${W}" height="${H}"/></clipPath></defs>`,
    `<text x="4" y="18" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="4" y="34" font-size="11" fill="#555">${esc(sub)}</text>`,
  ];
  kept.forEach((f, i) => {
    // Discrete visibility keyed to this frame's slot in the loop.
    const a = i / n,
      b = (i + 1) / n;
    const anim =
      n === 1
        ? ""
        : i === 0
          ? `<animate attributeName="visibility" calcMode="discrete" values="visible;hidden" keyTimes="0;${b}" dur="${dur}s" repeatCount="indefinite"/>`
          : `<animate attributeName="visibility" calcMode="discrete" values="hidden;visible;hidden" keyTimes="0;${a};${Math.min(1, b)}" dur="${dur}s" repeatCount="indefinite"/>`;
    parts.push(
      `<g class="frame" visibility="${i === 0 ? "visible" : "hidden"}">${anim}<g transform="translate(0,${top})"><g clip-path="url(#${clipId})">${f.shapes.map(shapeSvg).join("")}</g></g>` +
        `<text x="4" y="${top + H + 16}" font-size="12" fill="#333">${esc(f.label ?? `frame ${i * step + 1}`)}</text></g>`,
    );
  });
  if (opts.legend?.length) {
    let x = 4;
    const y = top + H + bottom + 6;
    for (const l of opts.legend) {
      parts.push(
        `<rect x="${x}" y="${y}" width="12" height="12" fill="${esc(l.color)}"/><text x="${x + 16}" y="${y + 10}" font-size="11">${esc(l.label)}</text>`,
      );
      x += 30 + 7 * l.label.length;
    }
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** The animation as a Chart: the SMIL SVG up front plus a Vega-Lite spec with a frame slider. */
export function animationChart(frames: Frame[], opts: AnimationOptions = {}): Chart {
  const svg = animationSvg(frames, opts);
  const { kept, step } = sample(frames, opts.maxFrames ?? 300);
  const fit = extent(kept);
  const W = opts.width ?? fit.w,
    H = opts.height ?? fit.h;
  const rows = kept.flatMap((f, i) => [
    ...f.shapes.map((s) => ({
      frame: i,
      ...s,
      x2: s.type === "rect" ? s.x + s.w : s.type === "line" ? s.x2 : undefined,
      y2: s.type === "rect" ? s.y + s.h : s.type === "line" ? s.y2 : undefined,
      size: s.type === "circle" ? Math.PI * s.r * s.r : undefined,
    })),
    { frame: i, type: "caption", x: 4, y: H + 16, text: f.label ?? `frame ${i * step + 1}` },
  ]);
  const px = (field: string) => ({ field, type: "quantitative", scale: null, axis: null });
  /** A field drawn as its value says (a colour, a width), with no scale. */
  const asIs = (field: string, type = "nominal") => ({ field, type, scale: null });
  /** One layer draws one shape type of the current frame, placed at its x and y. */
  const layer = (type: string, mark: unknown, encoding: object) => ({
    transform: [{ filter: `datum.frame == frame && datum.type == '${type}'` }],
    mark,
    encoding: { x: px("x"), y: px("y"), ...encoding },
  });
  const ends = { x2: { field: "x2" }, y2: { field: "y2" } };
  const title = opts.title ?? "Animation";
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: [`${frames.length} frames: drag the slider`], anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    width: W,
    height: H + 24,
    data: { values: rows },
    params: [{ name: "frame", value: 0, bind: { input: "range", min: 0, max: Math.max(0, kept.length - 1), step: 1, name: "frame " } }],
    layer: [
      layer("rect", "rect", { ...ends, fill: asIs("fill"), stroke: asIs("stroke") }),
      layer("line", "rule", { ...ends, color: asIs("stroke"), strokeWidth: asIs("width", "quantitative") }),
      layer("circle", { type: "point", filled: true, opacity: 1 }, { size: asIs("size", "quantitative"), fill: asIs("fill") }),
      layer("text", { type: "text", align: "left", baseline: "alphabetic" }, { text: { field: "text" }, color: asIs("fill") }),
      layer("caption", { type: "text", align: "left" }, { text: { field: "text" } }),
    ],
  };
  const shownRows = kept.slice(0, 20).map((f, i) => [i * step + 1, f.label ?? "", f.shapes.length]);
  const text = titled(title, table(["frame", "label", "shapes"], shownRows), [
    `${frames.length} frames, ${opts.fps ?? 4} per second${kept.length > 20 ? "; first 20 listed" : ""}`,
  ]);
  return { title, spec, grammar: "vega-lite", text, svg };
}
