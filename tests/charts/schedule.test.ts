// The schedule lanes chart: a lane per thread and one for the shared values, a
// column per step, the deciding step outlined in red; compiles without warnings,
// renders, and its text fallback is the schedule as a table.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as C from "../../src/charts";
import { scheduleChart, type ScheduleData } from "../../src/charts/schedule";
import { texts, ariaLabels } from "./helpers";

const lostUpdate: ScheduleData = {
  threads: ["t0", "t1"],
  names: ["t0 stingy", "t1 spendy"],
  initial: "balance=100",
  steps: [
    { thread: "t0", label: "read balance → 100", values: "balance=100" },
    { thread: "t1", label: "read balance → 100", values: "balance=100" },
    { thread: "t0", label: "write balance ← 110", values: "balance=110", changed: true },
    { thread: "t1", label: "write balance ← 90", values: "balance=90", changed: true },
  ],
  mark: 1,
  outcome: "90",
  grade: "forbidden",
};

async function check(chart: C.Chart): Promise<string> {
  const { warnings } = await C.compileChart(chart);
  assert.equal(warnings, [], `Vega-Lite warnings for ${chart.title}`);
  assert.ok(chart.text.startsWith(chart.title));
  const svg = await C.renderSvg(chart);
  assert.ok(svg.startsWith("<svg"));
  return svg;
}

test("lanes, columns, shared values and the marked step", async () => {
  const chart = scheduleChart(lostUpdate);
  assert.is(chart.title, "A schedule that ends with 90");
  const svg = await check(chart);
  const t = texts(svg);
  for (const lane of ["t0 stingy", "t1 spendy", "shared"]) assert.ok(t.includes(lane), `lane ${lane}`);
  for (const s of ["1", "2", "3", "4"]) assert.ok(t.includes(s), `column ${s}`);
  for (const line of ["read balance", "→ 100", "write balance", "← 110", "← 90", "balance=110", "balance=90"]) assert.ok(t.includes(line), `cell text ${line}`);
  assert.ok(t.some((x) => x.includes("red: step 2, after which the bad outcome was certain")));
  assert.ok(t.some((x) => x.includes("outcome: 90 (forbidden)")));
  assert.ok(svg.includes('stroke="#d62728"'), "the marked step is outlined in red");
  assert.ok(
    ariaLabels(svg).some((l) => l.includes("t1: read balance → 100")),
    "tooltips name the step",
  );
  // The text fallback: one row per step, each thread's step in its column.
  assert.match(chart.text, /step\s+t0 stingy\s+t1 spendy\s+shared after/);
  assert.match(chart.text, /\n\s+2\s+read balance → 100\s+balance=100\s+◀ decides/);
  assert.match(chart.text, /\n\s+4\s+write balance ← 90\s+balance=90/);
});

test("no mark, many steps, long labels: still compiles, and says when it shows only the last steps", async () => {
  const steps = Array.from({ length: 120 }, (_, i) => ({
    thread: `t${i % 3}`,
    label: `lock a-rather-long-lock-name-${i} → true`,
    values: `x=${i}, y=${i * 2}`,
    changed: i % 2 === 0,
    note: i % 5 === 0 ? "wakes t1" : undefined,
  }));
  const chart = scheduleChart({ threads: ["t0", "t1", "t2"], steps }, { title: "Long" });
  const svg = await check(chart);
  assert.ok(texts(svg).some((x) => x.includes("the last 80 of 120 steps shown")));
  assert.ok(!svg.includes('stroke="#d62728"'));
  assert.match(chart.text, /\n\s+120\s/, "the text keeps every step");
});

test("bad data names the argument", () => {
  const bad = (d: unknown, re: RegExp) =>
    assert.throws(
      () => scheduleChart(d as ScheduleData),
      (e: Error) => e instanceof C.ChartInputError && re.test(e.message),
    );
  bad(null, /scheduleChart: argument `data` has no `threads` and `steps` arrays/);
  bad({ threads: [], steps: [] }, /`data.threads` must be non-empty worker labels/);
  bad({ threads: ["t0", "t0"], steps: [] }, /has a label twice/);
  bad({ threads: ["t0"], steps: [{ thread: "t9", label: "x" }] }, /`data.steps\[0\]`.*among t0/);
  bad({ threads: ["t0"], steps: [{ thread: "t0", label: "x" }], mark: 3 }, /`data.mark` is 3/);
  bad({ threads: ["t0"], names: ["a", "b"], steps: [] }, /has 2 names for 1 lanes/);
});

test.run();
