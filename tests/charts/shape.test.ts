// The compiled-shape cache of renderSvg (src/charts/shape.ts): a new chart of
// an already compiled shape must render exactly what compiling it afresh
// renders, and values Vega-Lite bakes into the compiled spec must not be reused.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as C from "../../src/charts";
import { shapeStats } from "../../src/charts/render";
import { liftSpec } from "../../src/charts/shape";
import * as F from "./fixtures";
import { texts } from "./helpers";

/** The render without any cache: Vega-Lite compile, Vega parse, a View. */
async function uncached(chart: C.Chart): Promise<string> {
  const { vega } = await C.loadVega();
  const View = (vega as unknown as { View: new (rt: unknown, o: object) => { toSVG(): Promise<string>; finalize(): void } }).View;
  const view = new View(vega.parse((await C.compileChart(chart)).vega), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Vega numbers clip paths and gradients per process: compare SVGs up to those ids. */
function normalise(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\b(clip\d+|gradient_\d+)\b/g, (id) => {
    if (!ids.has(id)) ids.set(id, `id${ids.size}`);
    return ids.get(id)!;
  });
}

async function sameAsUncached(chart: C.Chart): Promise<string> {
  const expected = normalise(await uncached(chart));
  const svg = await C.renderSvg(chart);
  assert.is(normalise(svg), expected, `${chart.title}: cached shape renders what a fresh compile renders`);
  return svg;
}

const speedup = (s: number, title?: string) =>
  C.speedupChart(
    [1, 2, 4, 8].map((p) => ({ workers: p, ms: 1000 * (s + (1 - s) / p) })),
    { title },
  );

test("liftSpec: data, titles and domains leave the key; structure does not", () => {
  const a = liftSpec(speedup(0.1).spec),
    b = liftSpec(speedup(0.3, "another title").spec);
  assert.is(a.key, b.key, "same shape for new measurements and title");
  assert.ok(!a.key.includes("fitted serial fraction"), "subtitle lifted");
  assert.ok(a.datasets.length >= 2 && a.datasets.every(([name, values]) => name.startsWith("lifted_data_") && Array.isArray(values)));
  assert.ok(
    a.signals.some(([, v]) => Array.isArray(v) && v.includes("Amdahl fit (s = 0.1)")),
    "legend domain lifted",
  );
  const partial = liftSpec(
    C.speedupChart(
      [
        { workers: 1, ms: 10 },
        { workers: 2, ms: 6 },
      ],
      { partial: true },
    ).spec,
  );
  assert.is(partial.key, a.key, "fewer worker counts and a longer subtitle: still the same shape");
  const noHolds = F.pipelineRun(); // no lock holds: the timeline has no holds layer
  assert.is.not(liftSpec(C.timelineChart(noHolds).spec).key, liftSpec(C.timelineChart(F.mutexRun()).spec).key, "other layers, other shape");
  const bars = (d: Record<string, number>) => liftSpec(C.barsChart(d).spec);
  assert.is.not(bars({ a: 1 }).key, liftSpec(C.heatmapChart([[1]]).spec).key);
  // a domain through zero compiles differently (Vega-Lite's zero default): its sign pattern is in the key
  const sp = (lo: number) =>
    liftSpec({ mark: "point", encoding: { x: { field: "v", type: "quantitative", scale: { domain: [lo, 10] } } }, data: { values: [] } });
  assert.is(sp(1).key, sp(2).key);
  assert.is.not(sp(0).key, sp(1).key);
});

test("a new chart of a compiled shape reuses it and renders like a fresh compile", async () => {
  await sameAsUncached(speedup(0.1));
  const before = shapeStats.reused;
  const svg = await sameAsUncached(speedup(0.25, "Second sweep"));
  assert.is(shapeStats.reused, before + 1, "the second speedup chart reused the compiled shape");
  assert.ok(texts(svg).includes("Second sweep"), "new title");
  assert.ok(
    texts(svg).some((t) => t.includes("s = 0.25")),
    "new subtitle and legend",
  );
  // every kind, twice with other data: output identical to compiling afresh
  const run2 = F.mutexRun();
  run2.endedAt += 40;
  for (const chart of [
    C.timelineChart(F.mutexRun()),
    C.timelineChart(run2),
    C.taskStreamChart(F.poolTasks()),
    C.taskStreamChart(F.poolTasks().slice(2, 20)),
    C.barsChart({ a: 1, b: 2 }),
    C.barsChart({ a: 5, b: 1 }),
    C.outcomesChart({ "1": 3, "2": 1 }, { "1": "expected" }),
    C.outcomesChart({ "1": 9, "2": 4 }, { "1": "expected" }),
    C.windRoseChart([1, 2, 3, 4, 5, 6, 7, 8]),
    C.windRoseChart([8, 2, 3, 4, 5, 6, 7, 1]),
    C.heatmapChart([
      [1, 2],
      [3, 4],
    ]),
    C.heatmapChart([
      [4, 2],
      [3, 9],
    ]),
    C.pipelineChart(F.pipelineRun()),
    C.contentionChart(F.mutexRun()),
    C.waitForChart(F.deadlockGraph()),
  ])
    await sameAsUncached(chart);
});

test("values Vega-Lite writes elsewhere (a lane order) make a new compile", async () => {
  // the timeline's lanes are sorted by an expression listing the workers: other workers, other shape
  const run = F.pipelineRun();
  await sameAsUncached(C.timelineChart(run));
  const renamed = {
    ...run,
    workers: run.workers.map((w) => ({ ...w, label: w.label.replace("p", "q") })),
    trace: run.trace.map((e) => ("worker" in e && e.worker ? { ...e, worker: e.worker.replace("p", "q") } : e)),
  };
  const before = shapeStats.compiled;
  const svg = await sameAsUncached(C.timelineChart(renamed as typeof run));
  assert.is(shapeStats.compiled, before + 1, "compiled again");
  for (const w of ["q0", "q1", "q2"]) assert.ok(texts(svg).includes(w), `lane ${w}`);
});

test("the same chart rendered twice at once, and charts of one shape at once", async () => {
  const charts = [0.1, 0.2, 0.3, 0.4].map((s) => speedup(s));
  const expected = await Promise.all(charts.map(async (c) => normalise(await uncached(c))));
  const got = await Promise.all(charts.map((c) => C.renderSvg({ ...c })));
  got.forEach((svg, i) => {
    assert.is(normalise(svg), expected[i]);
  });
  const one = speedup(0.15);
  const [x, y] = await Promise.all([C.renderSvg({ ...one }), C.renderSvg({ ...one })]);
  assert.is(normalise(x), normalise(y));
});

test.run();
