// Named shared-memory segments: creation errors, opening by name, cleanup on
// close/exit/signals, and the sweep of segments whose owner died without cleaning up.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync } from "node:fs";
import { fork, spawnSync } from "node:child_process";
import { join } from "node:path";
import { MAX_SEGMENT_BYTES, Segment, closeAllSegments, openSegments, sweepDeadSegments } from "../../src/shm";

const mine = (): string[] => readdirSync("/dev/shm").filter((n) => n.startsWith(`interleave-${process.pid}-`));

test("create, open by name, share bytes, close unlinks", () => {
  const a = Segment.create(4096);
  assert.match(a.name, new RegExp(`^/interleave-${process.pid}-\\d+-\\d+$`));
  assert.ok(existsSync(`/dev/shm${a.name}`));
  assert.ok(openSegments().includes(a.name));
  new Uint8Array(a.buffer)[7] = 42;
  const b = Segment.open(a.name);
  assert.is(b.size, 4096);
  assert.is(new Uint8Array(b.buffer)[7], 42);
  a.close();
  assert.not.ok(existsSync(`/dev/shm${a.name}`));
  assert.not.ok(openSegments().includes(a.name));
  a.close(); // idempotent
});

test("bad input: clash, size, names, missing", () => {
  const name = `/interleave-${process.pid}-test-clash`;
  const a = Segment.create(64, name);
  assert.throws(
    () => Segment.create(64, name),
    (e: unknown) => e instanceof Error && /already exists/.test(e.message) && e.message.includes(name),
  );
  a.close();
  assert.throws(
    () => Segment.create(0),
    (e: unknown) => e instanceof RangeError && /positive integer/.test(e.message),
  );
  assert.throws(
    () => Segment.create(MAX_SEGMENT_BYTES + 1),
    (e: unknown) => e instanceof RangeError && /too large/.test(e.message),
  );
  assert.throws(() => Segment.create(64, "no-slash"), /must look like "\/some-name"/);
  assert.throws(
    () => Segment.open("/interleave-nope-0"),
    (e: unknown) => e instanceof Error && /no shared-memory segment named "\/interleave-nope-0"/.test(e.message),
  );
});

test("the sweep removes a segment whose owner pid is dead", () => {
  // A SIGKILLed owner's reaper normally removes its segments (tests/sync/segments-reaper.test.ts);
  // the sweep is the fallback when no reaper ran (a crash before it started, a non-Linux shell).
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;
  assert.ok(dead > 0);
  const name = `/interleave-${dead}-0-1`;
  const s = Segment.create(64, name);
  assert.ok(existsSync(`/dev/shm${name}`));
  assert.ok(sweepDeadSegments(true).includes(name));
  assert.not.ok(existsSync(`/dev/shm${name}`));
  s.close(); // already unlinked by the sweep: closing only unmaps
});

for (const sig of ["SIGTERM", "SIGINT"] as const) {
  test(`${sig}: the owner removes its segments and still dies of the signal`, async () => {
    const c = fork(join(__dirname, "fixtures", "signal-child.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const name = await new Promise<string>((r) => c.once("message", (m) => r(m as string)));
    assert.ok(existsSync(`/dev/shm${name}`));
    const ended = new Promise<[number | null, string | null]>((r) => c.once("exit", (code, s) => r([code, s])));
    c.kill(sig);
    const [, signal] = await ended;
    assert.is(signal, sig, "default action of the signal kept");
    assert.not.ok(existsSync(`/dev/shm${name}`));
  });
}

test("segments of a terminated worker thread go when the process exits", async () => {
  const c = fork(join(__dirname, "fixtures", "terminate-worker.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const name = await new Promise<string>((r) => c.once("message", (m) => r(m as string)));
  await new Promise((r) => c.once("exit", r));
  assert.not.ok(existsSync(`/dev/shm${name}`), `${name} left behind`);
});

test("nothing of ours is left in /dev/shm", () => {
  closeAllSegments();
  assert.equal(mine(), []);
});

test.run();
