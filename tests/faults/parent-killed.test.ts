// A process that ran processes.run is SIGKILLed (OOM killer, kill -9 of a kernel):
// it gets no chance to stop its children or unlink its segments. Each child must
// notice on its own that its parent is gone, also while its function spins in a
// loop, and the parent's reaper (src/shm/reaper.ts) removes its /dev/shm segments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { living, segmentsOf, until, workerProcesses } from "./helpers";

test("parent SIGKILLed: its busy child processes exit within a few seconds, its segments go at once", async () => {
  const host = spawn(process.execPath, ["--import", "tsx", join(__dirname, "fixtures/spin-host.ts")], { stdio: "ignore" });
  let kids: number[] = [];
  try {
    assert.ok(
      await until(() => {
        kids = workerProcesses(host.pid!);
        return kids.length === 2;
      }, 30_000),
      "2 children started",
    );
    assert.ok(segmentsOf(host.pid!).length >= 1, "the run's status board lives in /dev/shm");
    await new Promise((r) => setTimeout(r, 500));
    host.kill("SIGKILL");
    assert.ok(await until(() => segmentsOf(host.pid!).length === 0, 1000), `segments left 1 s after SIGKILL: ${segmentsOf(host.pid!)}`);
    const gone = await until(() => living(kids).length === 0, 5000);
    assert.ok(gone, `children alive 5 s after their parent was SIGKILLed: ${living(kids).join(", ")}`);
  } finally {
    host.kill("SIGKILL");
    for (const k of living(kids)) process.kill(k, "SIGKILL"); // ours: started by this test's host
  }
});

test.run();
