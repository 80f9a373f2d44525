// A worker stops timing uncontended lock holds after a budget (src/trace/recorder.ts);
// the timeline must say so rather than show a misleadingly empty "holding" lane.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { timelineChart } from "../../src/charts";
import { mutexRun } from "./fixtures";

const subtitle = (spec: unknown) => JSON.stringify((spec as { title: { subtitle: unknown } }).title.subtitle);

test("the timeline names the workers whose later uncontended holds were not timed", () => {
  const run = mutexRun();
  assert.not.match(subtitle(timelineChart(run).spec), "not drawn");
  run.trace.push({ type: "instant", worker: "t1", name: "uncontended-holds-untimed", at: run.startedAt + 1, args: { after: 2000 } });
  assert.match(subtitle(timelineChart(run).spec), "t1: later uncontended lock holds not drawn");
});

test.run();
