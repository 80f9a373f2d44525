// waitFor: the wait-for graph of a deadlock. Workers (circles) and locks
// (squares) are nodes; "waits for" edges go worker → lock, "held by" edges go
// lock → worker; the cycle sits on the inner ring and is drawn in red.
// Layout is computed here (rings), so the spec is plain Vega-Lite in pixels.
import type { PrimitiveRef, WaitForGraph } from "../trace/types";
import type { Chart } from "./types";
import { BASE_CONFIG, STATE_COLORS, BLOCKED_COLORS, workerColor, compareWorkers } from "./palette";
import { ChartInputError } from "./errors";
import { primName } from "./data";
import { table, titled } from "./text";

export interface WaitForOptions {
  title?: string;
  /** Drawing size in pixels (default 460). */
  size?: number;
}

interface Node {
  key: string;
  name: string;
  kind: "worker" | "lock";
  inCycle: boolean;
  x: number;
  y: number;
  fill: string;
}

const CYCLE_RED = "#d62728";

/** Builds the wait-for graph chart. Throws ChartInputError on a malformed graph. */
export function waitForChart(graph: WaitForGraph, opts: WaitForOptions = {}): Chart {
  if (!graph || !Array.isArray(graph.holds) || !Array.isArray(graph.waits))
    throw new ChartInputError(
      "waitForChart",
      "graph",
      "has no `holds` and `waits` arrays",
      "Pass the WaitForGraph of a DeadlockError (error.graph) or build one with holds, waits and cycle.",
    );
  const cycle = Array.isArray(graph.cycle) ? graph.cycle : [];
  const workers = new Set<string>([...graph.holds, ...graph.waits].map((e) => e.worker));
  const prims = new Map<string, PrimitiveRef>();
  for (const e of [...graph.holds, ...graph.waits]) prims.set(e.prim.id, e.prim);
  const keyOf = (id: string): string => {
    if (workers.has(id)) return `w:${id}`;
    if (prims.has(id)) return `p:${id}`;
    throw new ChartInputError(
      "waitForChart",
      "graph.cycle",
      `names ${JSON.stringify(id)}, which is neither a worker nor a primitive in holds/waits`,
      "List the cycle as alternating worker labels and primitive ids that appear in the edges.",
    );
  };
  const cycleKeys = cycle.map(keyOf);
  const size = opts.size ?? 460;
  const c = size / 2;
  const nodes = new Map<string, Node>();
  const angles = new Map<string, number>();
  const put = (k: string, radius: number, a: number) => {
    const isW = k.startsWith("w:");
    const id = k.slice(2);
    angles.set(k, a);
    nodes.set(k, {
      key: k,
      name: isW ? id : primName(prims.get(id)!),
      kind: isW ? "worker" : "lock",
      inCycle: cycleKeys.includes(k),
      x: Math.round(c + radius * Math.cos(a)),
      y: Math.round(c + radius * Math.sin(a)),
      fill: isW ? workerColor(id) : "#eeeeee",
    });
  };
  // The cycle goes on the inner ring, in cycle order; everything else on the
  // outer ring next to a neighbour already placed, so few edges cross the middle.
  const inner = [...new Set(cycleKeys)];
  inner.forEach((k, i) => {
    put(k, inner.length > 1 ? size * 0.24 : 0, (2 * Math.PI * i) / inner.length - Math.PI / 2);
  });
  const links = [...graph.waits.map((e) => [`w:${e.worker}`, `p:${e.prim.id}`]), ...graph.holds.map((e) => [`p:${e.prim.id}`, `w:${e.worker}`])];
  const rest = [...[...workers].sort(compareWorkers).map((w) => `w:${w}`), ...[...prims.keys()].sort().map((p) => `p:${p}`)].filter((k) => !nodes.has(k));
  const outerR = inner.length ? size * 0.42 : size * 0.33;
  const used: number[] = [];
  const free = (a: number) => {
    // nudge away from angles already taken on the outer ring
    for (let tries = 0; tries < 24 && used.some((u) => Math.abs(Math.atan2(Math.sin(a - u), Math.cos(a - u))) < 0.45); tries++)
      a += 0.47 * (tries % 2 ? -(tries + 1) : tries + 1);
    used.push(a);
    return a;
  };
  let spare = 0;
  while (rest.length) {
    const i = rest.findIndex((k) => links.some(([a, b]) => (a === k && nodes.has(b)) || (b === k && nodes.has(a))));
    const k = rest.splice(Math.max(0, i), 1)[0];
    if (i >= 0) {
      const [a, b] = links.find(([a, b]) => (a === k && nodes.has(b)) || (b === k && nodes.has(a)))!;
      put(k, outerR, free(angles.get(a === k ? b : a)!));
    } else put(k, outerR, free(-Math.PI / 2 + Math.PI / 4 + spare++ * 1.3));
  }

  const cycleEdge = new Set<string>();
  for (let i = 0; i < cycleKeys.length && cycleKeys.length > 1; i++) cycleEdge.add(`${cycleKeys[i]}>${cycleKeys[(i + 1) % cycleKeys.length]}`);
  const edges = [
    ...graph.waits.map((e) => ({ from: `w:${e.worker}`, to: `p:${e.prim.id}`, relation: "waits for" })),
    ...graph.holds.map((e) => ({ from: `p:${e.prim.id}`, to: `w:${e.worker}`, relation: "held by" })),
  ].map((e) => {
    const a = nodes.get(e.from)!,
      b = nodes.get(e.to)!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const ux = (b.x - a.x) / len,
      uy = (b.y - a.y) / len;
    const r = 24; // stop short of the node so the arrowhead stays visible
    return {
      ...e,
      inCycle: cycleEdge.has(`${e.from}>${e.to}`),
      label: `${a.name} ${e.relation} ${b.name}`,
      x: a.x + ux * r,
      y: a.y + uy * r,
      x2: b.x - ux * r,
      y2: b.y - uy * r,
      // point-mark angle is clockwise from "up" in screen space
      angle: Math.round((Math.atan2(ux, -uy) * 180) / Math.PI),
    };
  });
  const px = (field: string) => ({ field, type: "quantitative", scale: null, axis: null });
  const relColor = {
    field: "relation",
    type: "nominal",
    title: "edge",
    scale: { domain: ["waits for", "held by"], range: [BLOCKED_COLORS.mutex, STATE_COLORS.holding] },
  };
  const nodeList = [...nodes.values()];
  const cycleNames = cycleKeys.map((k) => nodes.get(k)!.name);
  const title = opts.title ?? (cycleKeys.length ? "Deadlock: wait-for graph" : "Wait-for graph (no cycle)");
  const notes = cycleKeys.length
    ? [`cycle (red): ${[...cycleNames, cycleNames[0]].join(" → ")}`, "circles: workers · squares: locks"]
    : ["no cycle found", "circles: workers · squares: locks"];
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, subtitle: notes, anchor: "start", fontSize: 15 },
    config: BASE_CONFIG,
    width: size,
    height: size,
    layer: [
      {
        data: { values: edges.filter((e) => e.inCycle) },
        mark: { type: "rule", strokeWidth: 10, color: CYCLE_RED, opacity: 0.25 },
        encoding: { x: px("x"), y: px("y"), x2: { field: "x2" }, y2: { field: "y2" } },
      },
      {
        data: { values: edges },
        mark: { type: "rule", strokeWidth: 2.5 },
        encoding: { x: px("x"), y: px("y"), x2: { field: "x2" }, y2: { field: "y2" }, color: relColor, tooltip: [{ field: "label", title: "edge" }] },
      },
      {
        data: { values: edges },
        mark: { type: "point", shape: "triangle-up", filled: true, size: 140, opacity: 1 },
        encoding: { x: px("x2"), y: px("y2"), angle: { field: "angle", type: "quantitative", scale: null }, color: relColor },
      },
      {
        data: { values: nodeList },
        mark: { type: "point", filled: true, size: 1300, opacity: 1 },
        encoding: {
          x: px("x"),
          y: px("y"),
          shape: { field: "kind", type: "nominal", scale: { domain: ["worker", "lock"], range: ["circle", "square"] }, legend: null },
          fill: { field: "fill", type: "nominal", scale: null },
          stroke: { condition: { test: "datum.inCycle", value: CYCLE_RED }, value: "#666" },
          strokeWidth: { condition: { test: "datum.inCycle", value: 3.5 }, value: 1 },
          tooltip: [{ field: "name" }, { field: "kind" }, { field: "inCycle", title: "in cycle" }],
        },
      },
      {
        data: { values: nodeList.filter((n) => n.kind === "worker") },
        mark: { type: "text", fontSize: 12, fontWeight: "bold", color: "#fff" },
        encoding: { x: px("x"), y: px("y"), text: { field: "name" } },
      },
      {
        data: { values: nodeList.filter((n) => n.kind === "lock") },
        mark: { type: "text", fontSize: 12, fontWeight: "bold", color: "#222", dy: 32 },
        encoding: { x: px("x"), y: px("y"), text: { field: "name" } },
      },
    ],
  };
  const rows = [...workers].sort(compareWorkers).map((w) => [
    w,
    graph.holds
      .filter((h) => h.worker === w)
      .map((h) => primName(h.prim))
      .join(", "),
    graph.waits
      .filter((h) => h.worker === w)
      .map((h) => primName(h.prim))
      .join(", "),
  ]);
  const text = titled(title, table(["worker", "holds", "waits for"], rows), notes.slice(0, 1));
  return { title, spec, grammar: "vega-lite", text };
}
