// Shared by the course tests: temp folders that are always removed, and running the
// Python originals (when a python3 is on the machine) and the CLI.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as assert from "uvu/assert";

export const ROOT = resolve(__dirname, "..", "..");
export const FIXTURES = join(__dirname, "fixtures");

/** Runs fn with a fresh temp folder, removed afterwards whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "interleave-course-"));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function findPython(): string | null {
  for (const p of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(p, ["-c", "import sys; print(sys.version_info[0])"], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim() === "3") return p;
  }
  return null;
}
export const PYTHON = findPython();

/** Runs bench/python/<script> and parses its JSON output. */
export function runPython(script: string, args: string[]): unknown {
  if (!PYTHON) throw new Error("no python3");
  const out = execFileSync(PYTHON, [join(ROOT, "bench", "python", script), ...args], { encoding: "utf8", cwd: ROOT });
  return JSON.parse(out);
}

/** Runs the course CLI in its own process; returns exit status and output. */
export function runCourseCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src", "course", "cli.ts"), ...args], {
    encoding: "utf8",
    cwd: ROOT,
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Awaits fn and asserts it rejected with an error matching `check` (uvu has no async throws). */
export async function rejects(fn: () => Promise<unknown>, check: RegExp | ((e: Error) => boolean)): Promise<void> {
  let err: Error | null = null;
  try {
    await fn();
  } catch (e) {
    err = e as Error;
  }
  assert.ok(err, "expected a rejection");
  assert.ok(check instanceof RegExp ? check.test(err!.message) : check(err!), `unexpected error: ${err!.message}`);
}
