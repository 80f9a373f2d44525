// Chapter 9: Node's own channels measured beside the library's Channel.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { channelsChart, compareChannels, roundTrips, TRANSPORTS } from "../../src/course/ch09-node-channels";
import { openSegments } from "../../src/shm/index";

function children(): number {
  try {
    return (
      execFileSync("ps", ["--ppid", String(process.pid), "-o", "pid="], { encoding: "utf8" })
        .trim()
        .split("\n")
        .filter(Boolean).length - 1
    ); // minus ps itself
  } catch {
    return 0; // ps found none
  }
}

for (const transport of TRANSPORTS) {
  test(`${transport}: every round trip is timed, small and large messages`, async () => {
    const small = await roundTrips(transport, { rounds: 20, warmup: 2 });
    assert.is(small.rttUs.length, 20);
    assert.ok(small.rttUs.every((x) => x > 0 && Number.isFinite(x)));
    assert.is(small.mbPerS, 0, "a message of a few bytes has no throughput figure");
    const big = await roundTrips(transport, { rounds: 5, warmup: 1, payloadBytes: 64 * 1024 });
    assert.is(big.rttUs.length, 5);
    assert.ok(big.mbPerS > 0);
    assert.is(big.mbPerS, (2 * 64 * 1024) / big.medianUs);
  });
}

test("nothing is left behind: no child process, no worker keeping the loop alive, no segment", async () => {
  const before = { kids: children(), segs: openSegments().length, handles: (process as any)._getActiveHandles().length };
  await roundTrips("process.send", { rounds: 5 });
  await roundTrips("MessageChannel", { rounds: 5 });
  await roundTrips("postMessage + transfer", { rounds: 5, payloadBytes: 1024 });
  await roundTrips("Channel (processes)", { rounds: 5 });
  assert.is(children(), before.kids, "child processes");
  assert.is(openSegments().length, before.segs, "shared-memory segments");
  // A child's pipes close a moment after its exit is reported: wait (bounded) for them to go.
  const handles = () => (process as any)._getActiveHandles().length;
  for (let i = 0; i < 100 && handles() > before.handles; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(handles() <= before.handles, "active handles");
});

test("a timeout stops the workers and says what to do", async () => {
  const e = await roundTrips("postMessage", { rounds: 1_000_000, timeoutMs: 50 }).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e!.message, /no answer within 50 ms; the workers were stopped/);
});

test("bad input is named", async () => {
  const e = await roundTrips("carrier pigeon" as never).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e!.message, /transport must be one of/);
  const e2 = await roundTrips("postMessage", { rounds: 0 }).then(
    () => null,
    (x: Error) => x,
  );
  assert.match(e2!.message, /rounds must be an integer/);
  assert.throws(() => channelsChart({ rows: [], bigBytes: 1 }), /compareChannels/);
});

test("compareChannels gives one row per transport and one two-panel chart", async () => {
  const c = await compareChannels({ transports: ["postMessage", "Channel (threads)"], rounds: 10, bigRounds: 3, bigBytes: 4096 });
  assert.equal(
    c.rows.map((r) => r.transport),
    ["postMessage", "Channel (threads)"],
  );
  const chart = channelsChart(c);
  assert.is((chart.spec.hconcat as unknown[]).length, 2);
  assert.match(chart.text, /Channel \(threads\)/);
});

test.run();
