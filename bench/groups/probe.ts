// Talks to bench/child/spawn-probe.js: a clean Node process (no tsx loader) that
// performs one measurement per request. Killed on close and when bench exits.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../lib";
import { track } from "./children";

export class Probe {
  private constructor(private readonly child: ChildProcess) {}

  static start(): Promise<Probe> {
    const child = track(fork(join(ROOT, "bench", "child", "spawn-probe.js"), [], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    return new Promise((ok, fail) => {
      child.once("message", () => ok(new Probe(child)));
      child.once("error", fail);
      child.once("exit", (c) => fail(new Error(`spawn-probe exited (${c}) before it was ready`)));
    });
  }

  /** Runs `op` once in the probe; resolves with its time in ms and its value. */
  call(op: string, args?: object): Promise<{ ms: number; value: any }> {
    return new Promise((ok, fail) => {
      const onExit = (c: number | null) => fail(new Error(`spawn-probe exited (${c}) during ${op}`));
      this.child.once("exit", onExit);
      this.child.once("message", (m: any) => {
        this.child.off("exit", onExit);
        if (m.error) fail(new Error(`spawn-probe ${op}: ${m.error}`));
        else ok({ ms: m.ms, value: m.value });
      });
      this.child.send({ op, args });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.call("close").catch(() => undefined);
    const exited = new Promise((ok) => this.child.once("exit", ok));
    this.child.disconnect();
    await exited;
  }
}
