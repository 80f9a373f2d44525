// A process that ran processes.run is SIGKILLed (OOM killer, kill -9 of a kernel):
// it gets no chance to stop its children, so each child must notice on its own that
// its parent is gone, also while its function spins in a loop.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { living, until, workerProcesses } from "./helpers";

// BUG (reported to the lead): the children keep spinning forever, re-parented to init.
test("parent SIGKILLed: its busy child processes exit within a few seconds", async () => {
  const host = spawn(process.execPath, ["--import", "tsx", join(__dirname, "fixtures/spin-host.ts")], { stdio: "ignore" });
  let kids: number[] = [];
  try {
    assert.ok(await until(() => (kids = workerProcesses(host.pid!)).length === 2, 30_000), "2 children started");
    await new Promise((r) => setTimeout(r, 500));
    host.kill("SIGKILL");
    const gone = await until(() => living(kids).length === 0, 5000);
    assert.ok(gone, `children alive 5 s after their parent was SIGKILLed: ${living(kids).join(", ")}`);
  } finally {
    host.kill("SIGKILL");
    for (const k of living(kids)) process.kill(k, "SIGKILL"); // ours: started by this test's host
  }
});

test.run();
