#!/usr/bin/env node
// Runs every uvu test file in its own Node process (real threads and processes
// make isolation worth the start-up cost), then prints one closing line that CI
// reads: "N passed, N failed".
//
// Usage: node tests/run.mjs [file-or-folder …]   (default: tests/)
// Env:   TEST_JOBS=n   files run at once (default 1: several suites measure time or
//                      load both cores, and would disturb each other)
import { spawn } from "node:child_process";
import { readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(new URL("..", import.meta.url).pathname);
const args = process.argv.slice(2);
const targets = args.length ? args : ["tests"];
const jobs = Math.max(1, Number(process.env.TEST_JOBS ?? 1));

function collect(path, out) {
  const abs = resolve(root, path);
  if (!existsSync(abs)) {
    console.error(`tests/run.mjs: no such test file or folder: ${path}`);
    process.exit(2);
  }
  if (statSync(abs).isDirectory()) {
    for (const name of readdirSync(abs).sort()) {
      if (name === "fixtures" || name === "artifacts" || name === "node_modules") continue;
      const child = join(abs, name);
      if (statSync(child).isDirectory()) collect(child, out);
      else if (/\.test\.(ts|mjs|js)$/.test(name)) out.push(child);
    }
  } else out.push(abs);
  return out;
}

const files = targets.flatMap((t) => collect(t, []));
let passed = 0,
  failed = 0,
  skipped = 0;
const failures = [];

function runFile(file) {
  return new Promise((done) => {
    const rel = relative(root, file);
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", file], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code, signal) => {
      const num = (label) => {
        const m = out.match(new RegExp(`${label}:\\s+(\\d+)`));
        return m ? Number(m[1]) : 0;
      };
      // uvu's "Total" counts the tests that ran; skipped ones are reported apart.
      const total = num("Total"),
        ok = num("Passed"),
        skip = num("Skipped");
      let bad = Math.max(0, total - ok);
      if ((code !== 0 || signal) && bad === 0) bad = 1; // crashed outside a test
      passed += ok;
      failed += bad;
      skipped += skip;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const status = bad ? "FAIL" : "ok  ";
      console.log(`${status} ${rel}  (${ok} passed, ${bad} failed, ${skip} skipped, ${secs}s)`);
      if (bad) {
        failures.push(rel);
        console.log(
          out
            .split("\n")
            .map((l) => `     | ${l}`)
            .join("\n"),
        );
      } else if (process.env.TEST_VERBOSE) console.log(out);
      done();
    });
  });
}

const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length) await runFile(queue.shift());
  }),
);
if (failures.length) console.log(`\nfailed files:\n  ${failures.join("\n  ")}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || files.length === 0 ? 1 : 0);
