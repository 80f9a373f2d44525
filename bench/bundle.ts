// Code the bench runs in worker threads and child processes, bundled by esbuild
// and run by plain Node, as a notebook kernel runs kernel-helpers' bundle: not
// through the bench's tsx. tsx's loader parses sources with a WebAssembly lexer,
// and when that lexer's memory grows V8 detaches an ArrayBuffer; from then on
// every typed-array access (Atomics included) that V8 optimizes in that thread
// also checks for a detached buffer (`node --trace-protector-invalidation` shows
// the moment). Workers that loaded their code through tsx timed slower mutexes,
// barriers and kernels than a kernel's workers run (groups/singles.ts has numbers).
import { mkdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { ROOT } from "./lib";

const built = new Map<string, string>();

/**
 * The bundle of `entry` (a path from the repository root), built once per bench
 * process into bench/out and removed when it exits. Run it with `execArgv: []` so
 * that the bench's own loader (tsx) does not come along.
 */
export function bundleFor(entry: string): string {
  let out = built.get(entry);
  if (out) return out;
  const dir = join(ROOT, "bench", "out");
  mkdirSync(dir, { recursive: true });
  out = join(dir, `${basename(entry).replace(/\.ts$/, "")}-${process.pid}.js`);
  const { buildSync } = require("esbuild") as typeof import("esbuild");
  buildSync({
    entryPoints: [join(ROOT, entry)],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["interleave-shm", "esbuild"],
    logLevel: "warning",
  });
  const file = out;
  process.once("exit", () => rmSync(file, { force: true }));
  built.set(entry, file);
  return file;
}
