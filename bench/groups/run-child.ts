// Runs a file of bench/child in a fresh Node process (TypeScript through tsx,
// JavaScript plain, as a kernel would, unless it requires TypeScript itself) and
// parses the last JSON line it prints. The child is killed on timeout and when
// bench exits.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../lib";
import { track } from "./children";

export interface ChildOptions {
  /** Load tsx in the child (default: for a .ts script), e.g. for a script that requires files of src/. */
  tsx?: boolean;
  /** Written to the child's standard input, which is then closed (default: no input). */
  input?: string;
  timeoutMs?: number;
}

export function runChild<T>(script: string, args: string[], { tsx = script.endsWith(".ts"), input, timeoutMs = 120_000 }: ChildOptions = {}): Promise<T> {
  return new Promise((ok, fail) => {
    const child = track(
      spawn(process.execPath, [...(tsx ? ["--import", "tsx"] : []), join(ROOT, "bench", "child", script), ...args], {
        cwd: ROOT,
        stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      }),
    );
    child.stdin?.on("error", () => {}); // a child that exits without reading says why through its exit
    child.stdin?.end(input);
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${script} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        fail(new Error(`${script} exited with ${signal ?? code}: ${err.trim().split("\n").slice(-3).join(" / ")}`));
        return;
      }
      const last = out.trim().split("\n").pop() ?? "";
      try {
        ok(JSON.parse(last) as T);
      } catch {
        fail(new Error(`${script} printed no JSON result (last line: ${last.slice(0, 200)})`));
      }
    });
  });
}
