// The cell-facing display API (kernel-helpers/src/charts.ts) without a kernel:
// a display sink stands in for tslab's writer and records what would be sent.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { inspect } from "node:util";
import * as K from "../../kernel-helpers/src/charts";
import type { DisplayContent } from "../../kernel-helpers/src/charts";
import { barsChart, type Chart } from "../../src/charts";
import * as F from "./fixtures";

const sent: { content: DisplayContent; update: boolean }[] = [];
const sink = (content: DisplayContent, update: boolean) => void sent.push({ content, update });

test.before.each(() => {
  sent.length = 0;
  K.setDisplaySink(sink);
  K.setChartMode("interactive");
});
test.after.each(() => K.setDisplaySink(null));

test("show: one display_data with SVG, Vega-Lite spec and the text table", async () => {
  const chart = await K.timeline(F.mutexRun());
  assert.is(sent.length, 1);
  const { content, update } = sent[0];
  assert.is(update, false);
  const data = content.data;
  assert.equal(Object.keys(data).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  assert.ok(String(data["image/svg+xml"]).startsWith("<svg"));
  assert.is(data["application/vnd.vegalite.v5+json"], chart.spec);
  assert.match(String(data["text/plain"]), /t2\s+5\s+64/);
  assert.is(inspect(chart), "[Chart: Timeline of 3 threads]", "a cell's last value prints as one line");
});

test("static mode adds the SVG wrapped in HTML (stock nbconvert keeps it)", async () => {
  K.setChartMode("static");
  await K.bars({ a: 1, b: 2 }, { title: "Two <bars>" });
  const html = String(sent[0].content.data["text/html"]);
  assert.ok(html.startsWith('<div class="interleave-chart" role="img" aria-label="Two &lt;bars>"><svg'));
  assert.is((html.match(/<svg/g) ?? []).length, 1);
  assert.throws(() => K.setChartMode("fancy" as never), /setChartMode: argument `mode`/);
});

test("every catalogue function displays once and returns its chart", async () => {
  const calls: [string, () => Promise<Chart>][] = [
    ["contention", () => K.contention(F.mutexRun())],
    [
      "speedup",
      () =>
        K.speedup([
          { workers: 1, ms: 10 },
          { workers: 2, ms: 6 },
        ]),
    ],
    ["outcomes", () => K.outcomes({ "100": 9, "80": 1 }, { "100": "expected", "80": "forbidden" })],
    ["waitFor", () => K.waitFor(F.deadlockGraph())],
    ["pipeline", () => K.pipeline(F.pipelineRun())],
    ["taskStream", () => K.taskStream(F.poolTasks())],
    ["windRose", () => K.windRose([1, 2, 3, 4, 5, 6, 7, 8])],
    [
      "heatmap",
      () =>
        K.heatmap([
          [1, 2],
          [3, 4],
        ]),
    ],
    ["animation", () => K.animation(F.trainFrames(4))],
  ];
  for (const [name, call] of calls) {
    sent.length = 0;
    const chart = await call();
    assert.is(sent.length, 1, name);
    assert.is(sent[0].content.data["image/svg+xml"], chart.svg, name);
    assert.is(sent[0].content.data["text/plain"], chart.text, name);
  }
});

test("liveChart: the first show opens a display, later ones replace it", async () => {
  const live = K.liveChart();
  await live.show(barsChart({ a: 1 }));
  await live.show(barsChart({ a: 2 }));
  live.text("done");
  assert.equal(
    sent.map((s) => s.update),
    [false, true, true],
  );
  const ids = new Set(sent.map((s) => s.content.transient?.display_id));
  assert.is(ids.size, 1);
  assert.ok([...ids][0]!.length > 0);
  assert.equal(sent[2].content.data, { "text/plain": "done" });
});

test("progress: throttled in-place updates, always ends on the final count", async () => {
  const p = K.progress(50, "races");
  for (let i = 0; i < 50; i++) p.tick();
  p.finish();
  assert.ok(sent.length >= 2 && sent.length < 10, `${sent.length} updates for 50 ticks`);
  assert.is(sent[0].update, false);
  assert.ok(sent.slice(1).every((s) => s.update));
  assert.match(String(sent[sent.length - 1].content.data["text/plain"]), /races: \[#{30}\] 50\/50 \(100%\)/);
  assert.match(String(sent[sent.length - 1].content.data["text/html"]), /<progress max="50" value="50"/);
  assert.throws(() => K.progress(0), /progress: argument `total`/);
});

test("sweep: measures, updates the chart live, returns points and the fit", async () => {
  const r = await K.sweep([1, 2, 4], async (w) => 100 * (0.25 + 0.75 / w), { repeats: 2 });
  assert.equal(
    r.points.map((p) => p.workers),
    [1, 2, 4],
  );
  assert.ok(Math.abs(r.serialFraction - 0.25) < 1e-3);
  // one update per worker count plus the final chart, all in one display
  assert.is(sent.length, 4);
  assert.equal(
    sent.map((s) => s.update),
    [false, true, true, true],
  );
  assert.ok(String(sent[0].content.data["text/plain"]).includes("measuring…"));
  assert.ok(!String(sent[3].content.data["text/plain"]).includes("measuring…"));
  assert.match(r.chart.text, /fitted serial fraction s = 0.25/);
});

test("outside a kernel: show prints the text table, nothing is rendered", async () => {
  K.setDisplaySink(null);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    const chart = await K.bars({ q: 7 }, { title: "Plain" });
    assert.is(chart.svg, undefined);
    assert.ok(!K.inKernel());
  } finally {
    console.log = log;
  }
  assert.match(lines.join("\n"), /Plain[\s\S]*q\s+7/);
});

test.run();
