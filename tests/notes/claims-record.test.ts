// The claim contract (src/claims) and the notebook helper outside a kernel
// (kernel-helpers/src/claims.ts): a record from good input, a clear ClaimInputError for
// each bad argument, the text and HTML of held / not seen / failed claims (with the
// honest alternative and the load), ClaimError for a failed "always" claim, and the
// machine note, busy or not.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ClaimError,
  ClaimInputError,
  claimHtml,
  claimText,
  cpuReading,
  formatValue,
  machineText,
  makeClaim,
  othersShare,
  sampleMachine,
} from "../../src/claims";
import { claim, machine } from "../../kernel-helpers/src/claims";

const idle = { cores: 2, load: 0.3, busy: false };
const busy = { cores: 2, load: 3.1, busy: true };

test("makeClaim builds the record: defaults to a machine claim, trims, keeps value and expected", () => {
  const r = makeClaim("04-no-lost-update", "  no update was lost ", true, { kind: "always", value: 0, expected: 0 }, idle);
  assert.equal(r, {
    id: "04-no-lost-update",
    text: "no update was lost",
    kind: "always",
    held: true,
    value: 0,
    expected: 0,
    load: 0.3,
    cores: 2,
    otherwise: null,
    others: null,
  });
  const m = makeClaim("01-speedup-2", "2 workers were faster", false, {}, busy);
  assert.equal([m.kind, m.value, m.expected, m.otherwise, m.load], ["machine", null, null, null, 3.1]);
});

test("bad input is refused with what to pass", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => makeClaim("speedup", "x", true), /id "speedup" is not of the form "NN-words"/],
    [() => makeClaim("01-Speedup", "x", true), /not of the form/],
    [() => makeClaim("01-a", " ", true), /has no text/],
    [() => makeClaim("01-a", "x", 1 as never), /third argument is number, not a boolean/],
    [() => makeClaim("01-a", "x", true, { kind: "sometimes" as never }), /kind "sometimes"/],
    [() => makeClaim("01-a", "x", true, { value: NaN }), /value is NaN/],
    [() => makeClaim("01-a", "x", true, { otherwise: 3 as never }), /otherwise is not a string/],
    [() => makeClaim("01-a", "x", true, null as never), /options are not an object/],
  ];
  for (const [fn, message] of cases) assert.throws(fn, (e: unknown) => e instanceof ClaimInputError && message.test((e as Error).message));
});

test("text and HTML: held, not seen (with the alternative and the load), failed", () => {
  const held = makeClaim("01-a", "2 workers were faster", true, { value: 1.934, expected: "≥ 1.8" }, idle);
  assert.is(claimText(held), "✔ 2 workers were faster (measured 1.93; expected ≥ 1.8)");
  const notSeen = makeClaim("01-a", "2 workers were faster", false, { value: 1.2, otherwise: "Not faster here." }, busy);
  assert.is(
    claimText(notSeen),
    "✘ Not faster here. Not seen on this run: 2 workers were faster (measured 1.20). The machine was busy (load 3.1 on 2 cores): run the cell again on an idle machine.",
  );
  assert.match(claimText(makeClaim("01-a", "x", false, {}, idle)), "The machine was not busy (load 0.3 on 2 cores).");
  const failed = makeClaim("04-a", "no update was lost", false, { kind: "always", value: 12, expected: 0 }, idle);
  assert.is(claimText(failed), "✘ FAILED: no update was lost (measured 12; expected 0)");
  assert.match(claimHtml(held), '<div class="interleave-claim interleave-claim-held" data-claim="01-a">✔ ');
  assert.match(claimHtml(notSeen), 'class="interleave-claim interleave-claim-not-seen"');
  assert.match(claimHtml(failed), "<strong>Failed:</strong>");
  assert.match(claimHtml(makeClaim("01-a", "a < b & c", true, {}, idle)), "a &lt; b &amp; c");
});

test("other programs' share: the machine's busy time less this process's, null for an interval too short to tell", () => {
  const from = { at: 0, machineBusyMs: 1000, machineTotalMs: 10_000, ownMs: 500 };
  assert.is(othersShare(from, { at: 1000, machineBusyMs: 1800, machineTotalMs: 12_000, ownMs: 900 }), 0.2);
  assert.is(othersShare(from, { at: 1000, machineBusyMs: 1100, machineTotalMs: 12_000, ownMs: 900 }), 0, "never below 0 (the clocks tick apart)");
  assert.is(othersShare(from, { at: 50, machineBusyMs: 1800, machineTotalMs: 10_100, ownMs: 900 }), null);
  const r = cpuReading();
  assert.ok(r.machineTotalMs >= r.machineBusyMs && r.ownMs > 0);
});

test("a claim's note says what other programs used during the measurement, when known", () => {
  const quiet = { ...idle, load: 4.1, others: 0.03, busy: false };
  assert.match(
    claimText(makeClaim("01-a", "x", false, {}, quiet)),
    "The machine was not busy: other programs used 3 % of the 2 cores during the measurement (load 4.1).",
  );
  const loaded = { ...idle, load: 0.5, others: 0.62, busy: true };
  assert.match(
    claimText(makeClaim("01-a", "x", false, {}, loaded)),
    "The machine was busy: other programs used 62 % of the 2 cores during the measurement (load 0.5). Run the cell again on an idle machine.",
  );
  assert.match(machineText(quiet), "Right now other programs use 3 % of the cores");
  assert.match(machineText(quiet), "idle enough");
});

test("sampleMachine measures for the time asked and says what others use now", () => {
  const t0 = Date.now();
  const m = sampleMachine(150);
  assert.ok(Date.now() - t0 >= 140);
  const others = m.others ?? null;
  assert.ok(others === null || (others >= 0 && others <= 1));
  assert.is(m.busy, others === null ? m.load >= m.cores / 2 : others >= 0.25);
});

test("formatValue: integers grouped, ratios to 2 decimals, small values to 2 significant digits, strings as they are", () => {
  assert.equal(
    [formatValue(283146), formatValue(1.934), formatValue(0.0712), formatValue(123.4), formatValue("never")],
    ["283,146", "1.93", "0.071", "123", "never"],
  );
});

test("ClaimError names the claim, what was measured and that it must hold everywhere", () => {
  const e = new ClaimError(makeClaim("04-a", "no update was lost", false, { kind: "always", value: 12, expected: 0 }, idle));
  assert.is(e.name, "ClaimError");
  assert.is(
    e.message,
    "claim 04-a failed: no update was lost (measured 12, expected 0). This must hold on every machine: it is a bug in the lesson or the library.",
  );
});

test("machine note: cores and load, and a warning when busy", () => {
  assert.match(machineText(idle), "This run: 2 cores, load 0.3 (1-minute average). The machine is idle enough");
  assert.match(machineText(busy), "The machine is busy");
  assert.match(machineText({ cores: 1, load: 0, busy: false }), "1 core,");
});

test("outside a kernel claim() prints one line, returns the record, and throws ClaimError for a failed always claim", () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    const r = claim("01-a", "it held", true, { value: 2 });
    assert.is(r.held, true);
    claim("01-b", "it did not", false);
    assert.throws(
      () => claim("04-c", "must hold", false, { kind: "always" }),
      (e: unknown) => e instanceof ClaimError,
    );
    const m = machine();
    assert.ok(m.cores >= 1 && typeof m.load === "number");
  } finally {
    console.log = log;
  }
  assert.is(lines[0], "✔ it held (measured 2)");
  assert.match(lines[1], /^✘ Not seen on this run: it did not\. The machine was/);
  assert.is(lines[2], "✘ FAILED: must hold");
  assert.match(lines[3], /^This run: \d+ cores?, load/);
});

test.run();
