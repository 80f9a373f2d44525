// The notebook functions (kernel-helpers/src/explore.ts) without a kernel: a
// display sink stands in for tslab's writer. explore shows the outcome table and
// the outcome chart; replay and deadlock draw lanes (and the wait-for graph); the
// stepper's board is created once and then updated in place (same display id).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { inspect } from "node:util";
import * as K from "../../kernel-helpers/src/charts";
import type { DisplayContent } from "../../kernel-helpers/src/charts";
import * as X from "../../kernel-helpers/src/explore";

const sent: { content: DisplayContent; update: boolean }[] = [];
const logs: string[] = [];
const log = console.log;
test.before.each(() => {
  sent.length = 0;
  logs.length = 0;
  K.setDisplaySink((content, update) => void sent.push({ content, update }));
  console.log = (...a: unknown[]) => void logs.push(a.join(" "));
});
test.after.each(() => {
  K.setDisplaySink(null);
  console.log = log;
});

const text = (i: number) => String(sent[i].content.data["text/plain"]);

test("explore: the outcome table (HTML and text) then the graded outcome chart; the result prints as one line", async () => {
  const r = await X.explore(X.models.stingySpendy(), { reduction: "none" });
  assert.is(sent.length, 2);
  const html = String(sent[0].content.data["text/html"]);
  assert.match(html, /<table/);
  assert.match(html, /<b>90<\/b><\/td><td[^>]*>2<\/td><td[^>]*>33.3%<\/td><td[^>]*>forbidden/);
  assert.match(text(0), /stingy and spendy, no lock \(1 each\): every one of 6 schedules · 3 outcomes/);
  assert.match(text(0), /\n100\s+2\s+33.3%\s+expected\s+\[0, 0, 1, 1\]/);
  assert.ok("image/svg+xml" in sent[1].content.data, "the outcomes chart");
  assert.match(text(1), /expected: 2 \(33.3%\) · acceptable: 0 \(0%\) · forbidden: 4 \(66.7%\)/);
  assert.match(inspect(r), /^\[explored: /);
  const partial = await X.explore(X.models.philosophers({ n: 5 }), { reduction: "none", maxSchedules: 100, chart: false });
  assert.is(sent.length, 3, "chart: false draws no chart");
  assert.not.ok(partial.complete);
  assert.match(text(2), /PARTIAL: schedule bound hit/);
});

test("replay draws the lanes with the deciding step; deadlock draws the wait-for graph and the lanes", async () => {
  const m = X.models.stingySpendy();
  const rp = await X.replay(m, [0, 1, 0, 1]);
  assert.is(rp.decisive, 1);
  assert.match(text(0), /red: step 2, after which the bad outcome was certain/);
  const p = X.models.philosophers({ n: 3 });
  await X.deadlock(p, X.exploreModel(p));
  assert.match(text(1), /cycle \(red\): t0 → forks\[1\] → t1/);
  assert.match(text(2), /The 3 steps to the deadlock/);
  let err: unknown;
  try {
    await X.deadlock(m, X.exploreModel(m));
  } catch (e) {
    err = e;
  }
  assert.match(String(err), /the result has 0 deadlocks/);
  try {
    await X.explore({} as never);
  } catch (e) {
    err = e;
  }
  assert.match(String(err), /explore: the first argument must be a model/);
});

test("the stepper: one board, updated in place after every move; each move printed", async () => {
  const game = X.stepper(X.models.stingySpendy());
  assert.is(sent.length, 1, "the board appears at once, as text");
  const id = sent[0].content.transient?.display_id;
  assert.type(id, "string");
  assert.is(sent[0].update, false);
  await game.step(0);
  await game.step(1);
  await game.step(0, 1);
  assert.ok(sent.length >= 4);
  for (const s of sent.slice(1)) {
    assert.is(s.content.transient?.display_id, id, "same display");
    assert.is(s.update, true, "an update, not a new display");
  }
  const last = sent[sent.length - 1].content.data;
  assert.ok("image/svg+xml" in last, "the board is the lanes chart");
  assert.match(String(last["text/plain"]), /step 4 · finished: outcome "90", forbidden — a forbidden outcome/);
  assert.match(logs.join("\n"), /t0: read balance → 100\n→ can move: t0, t1/);
  assert.equal(game.schedule, [0, 1, 0, 1]);
  let err: unknown;
  try {
    await game.step(0);
  } catch (e) {
    err = e;
  }
  assert.match(String(err), /step\(0\): the program has finished/);
  await game.undo(2);
  assert.equal(game.canMove, [0, 1]);
});

test.run();
