// Every chart builder: the spec compiles with Vega-Lite without warnings,
// renders to SVG in Node, shows the expected marks, and its text fallback
// carries the numbers. Render times are not asserted here (see bench).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as C from "../../src/charts";
import * as F from "./fixtures";
import { countRole, texts, ariaLabels } from "./helpers";

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable("expected a rejection");
}

async function check(chart: C.Chart): Promise<string> {
  const { warnings } = await C.compileChart(chart);
  assert.equal(warnings, [], `Vega-Lite warnings for ${chart.title}`);
  assert.ok(chart.title.length > 0);
  assert.ok(chart.text.startsWith(chart.title), "text fallback starts with the title");
  const svg = await C.renderSvg(chart);
  assert.ok(svg.startsWith("<svg"), "renders an SVG");
  assert.is(chart.svg, svg, "renderSvg stores the SVG on the chart");
  assert.ok(texts(svg).includes(chart.title), "SVG shows the title");
  return svg;
}

test("timeline: one lane per worker, colour per state, barrier rules, exact totals", async () => {
  const run = F.mutexRun();
  const chart = C.timelineChart({ toJSON: () => run });
  const svg = await check(chart);
  const t = texts(svg);
  for (const w of ["main", "t0", "t1", "t2"]) assert.ok(t.includes(w), `lane ${w}`);
  for (const s of ["spawning", "running", "blocked: mutex", "blocked: barrier", "blocked: join", "holding a lock"]) assert.ok(t.includes(s), `legend ${s}`);
  assert.ok(t.includes("time since start (ms)"), "x axis has a unit");
  assert.is(countRole(svg, "rule mark"), 2, "two barrier phases");
  // lanes are flattened: a blocked span inside "running" cuts it, nothing overlaps
  const bars = ariaLabels(svg).filter((l) => l.includes("worker: t0") && !l.includes("holding"));
  assert.ok(bars.length >= 13, `t0 has spawning + 7 waits + running pieces (${bars.length})`);
  // t2 waits 3 ms × 6 on the mutex and 6 ms at the barrier, holds 2 ms × 6
  assert.match(chart.text, /t2\s+5\s+64\s+24\s+12\s+7/);
  assert.match(chart.text, /2 barrier phases/);
});

test("timeline: 10^5 events are aggregated, say so, and stay small", async () => {
  const chart = C.timelineChart(F.bigRun(100_000));
  const svg = await check(chart);
  assert.ok(chart.text.includes("aggregated"), "text says it aggregated");
  assert.ok(
    texts(svg).some((s) => s.includes("aggregated into 200 time buckets")),
    "subtitle says so",
  );
  assert.ok(svg.length < 3_000_000, `SVG is ${svg.length} bytes`);
  assert.ok(JSON.stringify(chart.spec).length < 1_000_000, "spec stays small");
  for (let w = 0; w < 8; w++) assert.ok(texts(svg).includes(`t${w}`));
});

test("contention: per-lock histogram and wait vs hold per worker", async () => {
  const chart = C.contentionChart(F.mutexRun());
  const svg = await check(chart);
  const t = texts(svg);
  assert.ok(t.some((s) => s.startsWith("balance: wait times (18 waits)")));
  assert.ok(t.includes("waiting") && t.includes("holding"), "legend wait/hold");
  assert.ok(!t.some((s) => s.startsWith("gate")), "barriers are not locks");
  // t1 waited 6 × 2 ms and held 6 × 2 ms
  assert.match(chart.text, /balance\s+t1\s+6\s+12\s+2\s+12/);
});

test("speedup: fitted serial fraction on chart and in text, ideal line, efficiency", async () => {
  // exact Amdahl data with s = 0.2 must fit back to 0.2
  const pts = [1, 2, 4, 8].map((p) => ({ workers: p, ms: 1000 * (0.2 + 0.8 / p) }));
  assert.ok(Math.abs(C.fitSerialFraction(pts.map((p) => ({ workers: p.workers, speedup: 1000 / p.ms }))) - 0.2) < 1e-4);
  const chart = C.speedupChart(pts);
  const svg = await check(chart);
  const t = texts(svg);
  assert.ok(
    t.some((s) => s.includes("fitted serial fraction s = 0.2")),
    "s printed on the chart",
  );
  assert.ok(t.includes("ideal (linear)"));
  assert.match(chart.text, /fitted serial fraction s = 0.2\b/);
  assert.match(chart.text, /\n\s+8\s+300\s+300\s+300\s+3\.33\s+0\.42/);
});

test("speedup: bad points raise clear errors", () => {
  assert.throws(() => C.speedupChart([]), /argument `points` is empty/);
  assert.throws(() => C.speedupChart([{ workers: 2, ms: 5 }]), /no point with workers = 1.*Include 1/);
  assert.throws(() => C.speedupChart([{ workers: 1, ms: -1 }]), /points\[0\]\.ms/);
  assert.throws(() => C.speedupChart([{ workers: 1.5, ms: 1 }]), /points\[0\]\.workers/);
});

test("outcomes: graded histogram with counts and percentages", async () => {
  const finals = [...Array(90).fill(100), ...Array(7).fill(90), 110, 110, -10];
  const chart = C.outcomesChart(finals, (v) => (v === "100" ? "expected" : Number(v) < 0 ? "forbidden" : "acceptable"));
  const svg = await check(chart);
  assert.is(countRole(svg, "bar"), 4);
  const t = texts(svg);
  assert.ok(t.includes("90 (90%)") && t.includes("1 (1%)"), "bar labels carry count and %");
  assert.ok(t.includes("forbidden") && t.includes("expected"), "grade legend");
  assert.match(chart.text, /expected: 90 \(90%\) · acceptable: 9 \(9%\) · forbidden: 1 \(1%\)/);
  assert.match(chart.text, /-10\s+forbidden\s+1\s+1/);
  // a grade table: unknown values count as forbidden
  const c2 = C.outcomesChart({ "100": 3, "7": 1 }, { "100": "expected" });
  assert.match(c2.text, /7\s+forbidden\s+1\s+25/);
  assert.throws(() => C.outcomesChart({ a: 1 }, () => "fine" as never), /returned "fine"/);
  assert.throws(() => C.outcomesChart({ a: -1 }, {}), /not a count/);
});

test("outcomes: many distinct values are pooled, the total is kept", async () => {
  const finals = Array.from({ length: 500 }, (_, i) => i % 120);
  const chart = C.outcomesChart(finals, () => "acceptable", { maxBars: 20 });
  const svg = await check(chart);
  assert.is(countRole(svg, "bar"), 20);
  assert.ok(chart.text.includes("pooled"));
});

test("waitFor: workers and locks as nodes, the cycle's nodes highlighted", async () => {
  const chart = C.waitForChart(F.deadlockGraph());
  const svg = await check(chart);
  const t = texts(svg);
  for (const n of ["t0", "t1", "t2", "t3", "lock A", "lock B", "mutex:c"]) assert.ok(t.includes(n), `node ${n}`);
  assert.ok(
    t.some((s) => s.includes("t0 → lock B → t1 → lock A → t0")),
    "cycle spelled out",
  );
  // node symbols: 4 workers + 3 locks; arrowheads: 6 edges
  assert.is(countRole(svg, "point"), 7 + 6);
  const inCycle = ariaLabels(svg)
    .filter((l) => l.includes("in cycle: true"))
    .map((l) => /name: ([^;]*)/.exec(l)![1]);
  assert.equal(inCycle.sort(), ["lock A", "lock B", "t0", "t1"]);
  const red = svg.match(/stroke="#d62728" stroke-width="3.5"/g) ?? [];
  assert.is(red.length, 4, "the four cycle nodes have the red outline");
  assert.match(chart.text, /t0\s+lock A\s+lock B/);
  assert.throws(() => C.waitForChart({ ...F.deadlockGraph(), cycle: ["t0", "zz"] }), /graph\.cycle.*"zz"/);
});

test("pipeline: busy/idle lanes per stage and queue depth lines", async () => {
  const chart = C.pipelineChart(F.pipelineRun(), { names: ["split", "parse", "count"] });
  const svg = await check(chart);
  const t = texts(svg);
  for (const s of ["split (p0)", "parse (p1)", "count (p2)", "busy", "idle (waiting)", "reports depth", "winds depth", "queue depth (items)"])
    assert.ok(t.includes(s), s);
  assert.is(countRole(svg, "line mark"), 2);
  assert.match(chart.text, /split \(p0\)\s+150\s+48\s+73\.2/);
  assert.match(chart.text, /peak depth of reports depth: 9/);
  assert.throws(() => C.pipelineChart(F.pipelineRun(), { stages: ["p9"] }), /opts\.stages.*"p9"/);
});

test("taskStream: tasks per worker with queue waits", async () => {
  const tasks = F.poolTasks();
  const chart = C.taskStreamChart(tasks);
  const svg = await check(chart);
  assert.is(countRole(svg, "bar"), 2 * tasks.length, "one run bar and one wait bar per task");
  for (const w of ["w0", "w1", "w2", "w3"]) assert.ok(texts(svg).includes(w));
  assert.match(chart.text, /24 tasks on 4 workers/);
  assert.ok(/w\d\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+1\b/.test(chart.text), "the failed task is counted");
  assert.throws(() => C.taskStreamChart([{ task: 1 } as never]), /tasks\[0\]/);
});

test("bars, windRose, heatmap", async () => {
  const letters = { a: 8, b: 2, c: 3, e: 12 };
  const bars = C.barsChart(letters, { title: "Letter frequency", xLabel: "letter", yLabel: "count (letters)" });
  const bsvg = await check(bars);
  assert.is(countRole(bsvg, "bar"), 4);
  assert.match(bars.text, /e\s+12/);
  // A sum is shown only when asked for (counts add up; times and ratios do not), rounded as it reads.
  assert.not.match(bars.text, /total/);
  const summed = C.barsChart({ a: 0.1, b: 0.2 }, { total: true });
  assert.match(summed.text, /^total 0\.3$/m);
  assert.equal((summed.spec.title as { subtitle: string[] }).subtitle, ["2 bars, total 0.3"]);

  const rose = C.windRoseChart([10, 4, 2, 0, 7, 30, 22, 5], { unit: "reports" });
  const rsvg = await check(rose);
  const t = texts(rsvg);
  for (const d of C.DIRECTIONS) assert.ok(t.includes(d), `direction ${d}`);
  assert.is(countRole(rsvg, "arc mark"), 8 + 3, "8 wedges + 3 grid rings");
  assert.match(rose.text, /SW\s+30\s+37\.5/);
  assert.throws(() => C.windRoseChart([1, 2, 3]), /8 counts/);

  const heat = C.heatmapChart(
    [
      [1, -2],
      [3, 4],
    ],
    { rowLabels: ["r0", "r1"], colLabels: ["c0", "c1"] },
  );
  const hsvg = await check(heat);
  assert.is(countRole(hsvg, "rect mark"), 4);
  assert.match(heat.text, /r0\s+1\s+-2/);
  assert.throws(() => C.heatmapChart([[1, 2], [3]]), /`matrix\[1\]` has 1 columns/);
  const big = C.heatmapChart(Array.from({ length: 200 }, (_, i) => Array.from({ length: 200 }, (_, j) => ((i * j) % 11) - 5)));
  const bigSvg = await check(big);
  assert.ok(countRole(bigSvg, "rect mark") <= 10_000, "downsampled");
  assert.ok(big.text.includes("200 × 200"));
});

test("animation: one SVG with SMIL frames, a slider spec, and clear errors", async () => {
  const frames = F.trainFrames(12);
  const chart = C.animationChart(frames, { title: "Trains", legend: [{ label: "train 1", color: "#4c78a8" }] });
  assert.ok(chart.svg?.startsWith("<svg"));
  const svg = chart.svg!;
  assert.is((svg.match(/<g class="frame"/g) ?? []).length, 12);
  assert.is((svg.match(/<animate attributeName="visibility"/g) ?? []).length, 12);
  assert.ok(!svg.includes("<script"), "plays without script");
  assert.is(await C.renderSvg(chart), svg, "renderSvg keeps the hand-drawn SVG");
  const { warnings } = await C.compileChart(chart);
  assert.equal(warnings, []);
  const sliderSvg = await C.renderSvg({ ...chart, svg: undefined });
  assert.ok(sliderSvg.includes("<svg"), "the slider spec renders too");
  assert.match(chart.text, /12 frames/);
  assert.throws(() => C.animationSvg([{ shapes: [{ type: "blob" } as never] }]), /shapes\[0\]\.type/);
  assert.throws(() => C.animationSvg([]), /frames/);
  const many = C.animationSvg(F.trainFrames(700), { maxFrames: 100 });
  assert.ok((many.match(/<g class="frame"/g) ?? []).length <= 101);
});

test("renderSvg: vega is loaded once and shared", async () => {
  const [a, b] = await Promise.all([C.loadVega(), C.loadVega()]);
  assert.is(a, b);
  assert.is(await C.loadVega(), a);
  assert.ok((await C.renderSvg(C.barsChart({ x: 1 }))).startsWith("<svg"));
});

test("bad inputs name the argument", () => {
  assert.throws(() => C.timelineChart(null as never), /timelineChart: argument `run` is null/);
  assert.throws(() => C.timelineChart({} as never), /no `trace` and `workers`/);
  assert.throws(() => C.barsChart({ a: NaN }), /data\["a"\]/);
  assert.throws(() => C.waitForChart({} as never), /argument `graph`/);
});

test("sweep: median and spread per worker count, live callback, errors", async () => {
  const seen: number[] = [];
  const pts = await C.measureSweep([4, 1, 2], async (w) => 100 / w, { repeats: 3, onPoint: (p) => void seen.push(p.length) });
  assert.equal(
    pts.map((p) => p.workers),
    [1, 2, 4],
  );
  assert.equal(
    pts.map((p) => p.ms),
    [100, 50, 25],
  );
  assert.equal(seen, [1, 2, 3]);
  const timed = await C.measureSweep(
    [1],
    () => {
      const end = Date.now() + 5;
      while (Date.now() < end);
    },
    { repeats: 2 },
  );
  assert.ok(timed[0].ms >= 4 && timed[0].samples!.length === 2, "wall time when runOnce returns nothing");
  await rejects(
    C.measureSweep([2, 4], async () => 1),
    /does not include 1/,
  );
  await rejects(
    C.measureSweep([1], async () => {
      throw new Error("boom");
    }),
    /^boom$/,
  );
});

test("sweep: the fastest timing stands for a point when asked, and the chart says which", async () => {
  const times: Record<number, number[]> = { 1: [120, 100, 140], 2: [70, 50, 90] };
  const pts = await C.measureSweep([1, 2], async (w) => times[w].shift()!, { repeats: 3, statistic: "fastest" });
  assert.equal(
    pts.map((p) => [p.ms, p.min, p.max]),
    [
      [100, 100, 140],
      [50, 50, 90],
    ],
  );
  assert.match(C.speedupChart(pts, { statistic: "fastest" }).text, /fastest ms/);
  assert.match(C.speedupChart(pts).text, /median ms/);
  await rejects(
    C.measureSweep([1], async () => 1, { statistic: "mean" as never }),
    /opts\.statistic.*"median" \(the default\) or "fastest"/,
  );
});

test.run();
