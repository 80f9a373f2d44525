// The Python originals (bench/python/*.py, written by the course area) run as
// `python3 script args…` and print one JSON object on their last line.
// Their wall time is measured around the process, interpreter start included
// (a few tens of ms, shown in the note), unless the script reports its own "ms".
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib";
import { track } from "./children";

let PYTHON = process.env.BENCH_PYTHON ?? "python3";

/**
 * Whether python3 runs here. Also resolves it to the real interpreter: a pyenv
 * shim is a shell script that can add seconds to every start on a busy machine.
 */
export function pythonAvailable(): Promise<{ ok: true; version: string } | { ok: false; why: string }> {
  return new Promise((done) => {
    const c = execFile(PYTHON, ["-c", "import sys; print(sys.executable); print(sys.version.split()[0])"], { timeout: 30_000 }, (err, stdout) => {
      if (err) return done({ ok: false, why: `${PYTHON} not found (${err.message.split("\n")[0]})` });
      const [exe, version] = stdout.trim().split("\n");
      if (exe && existsSync(exe)) PYTHON = exe;
      done({ ok: true, version: version ?? "?" });
    });
    track(c);
  });
}

/** Runs bench/python/<script>; resolves with its JSON and its time (its own "ms" if it reports one). */
export function runPython(script: string, args: string[]): Promise<{ json: any; ms: number }> {
  const file = join(ROOT, "bench", "python", script);
  if (!existsSync(file)) return Promise.reject(new Error(`bench/python/${script} does not exist yet`));
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const c = execFile(PYTHON, [file, ...args], { timeout: 600_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const wall = performance.now() - t0;
      if (err) return fail(new Error(`${script} failed: ${(stderr || err.message).trim().split("\n").slice(-2).join(" / ")}`));
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        const json = JSON.parse(last);
        ok({ json, ms: typeof json?.ms === "number" ? json.ms : wall });
      } catch {
        fail(new Error(`${script} printed no JSON on its last line (got: ${last.slice(0, 120)})`));
      }
    });
    track(c);
  });
}
