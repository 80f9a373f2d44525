// Measurement server for the spawn group, run as a plain Node process (no tsx
// loader, which would otherwise be inherited by every worker and child and
// slow their start-up): the parent sends { op, args }, this process runs one
// measurement and answers { ms } or { error }. Pools are created on first use
// and kept warm until the "close" op.
"use strict";
const { Worker } = require("node:worker_threads");
const { fork } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..", "..");
const lib = require(join(root, "kernel-helpers", "dist", "index.js"));
const pools = {};

const RAW_THREAD = `require("node:worker_threads").parentPort.postMessage(1 + 1);`;

function rawThread() {
  return new Promise((ok, fail) => {
    const w = new Worker(RAW_THREAD, { eval: true });
    let value;
    w.once("message", (v) => (value = v));
    w.once("error", fail);
    w.once("exit", () => (value === 2 ? ok() : fail(new Error("raw worker exited without its answer"))));
  });
}

function rawProcess() {
  return new Promise((ok, fail) => {
    const c = fork(join(__dirname, "fork-hello.js"), [], { stdio: "ignore" });
    let value;
    c.once("message", (v) => (value = v));
    c.once("error", fail);
    c.once("exit", () => (value === 2 ? ok() : fail(new Error("raw child exited without its answer"))));
  });
}

async function libSpawn(kind) {
  const v = await lib[kind].spawn(() => 1 + 1, undefined, { prefix: false }).join();
  if (v !== 2) throw new Error(`${kind}.spawn(() => 1 + 1).join() gave ${v}`);
}

function piscinaPool(size) {
  let P = require("piscina");
  P = P.Piscina || P.default || P;
  return new P({ filename: join(__dirname, "piscina-task.js"), minThreads: size, maxThreads: size });
}

// One timed batch of `tasks` tiny tasks, each pool used the way its docs show:
// piscina.run per task (piscina queues them), ThreadPool.map over the inputs.
async function batch(which, tasks, size) {
  const key = `${which}:${size}`;
  if (!pools[key]) {
    if (which === "piscina") {
      const p = piscinaPool(size);
      pools[key] = {
        batch: (inputs) => Promise.all(inputs.map((x) => p.run({ x }))),
        close: () => p.destroy(),
      };
    } else {
      const p = new lib.ThreadPool({ size });
      pools[key] = {
        batch: async (inputs) => (await p.map(inputs, (x) => x * 2 + 1)).results,
        close: () => p.close(),
      };
    }
  }
  const out = await pools[key].batch(Array.from({ length: tasks }, (_, x) => x));
  if (out[tasks - 1] !== (tasks - 1) * 2 + 1) throw new Error(`${which} gave ${out[tasks - 1]} for task ${tasks - 1}`);
}

const ops = {
  rawThread,
  rawProcess,
  libThread: () => libSpawn("threads"),
  libProcess: () => libSpawn("processes"),
  poolOurs: (a) => batch("ours", a.tasks, a.size),
  poolPiscina: (a) => batch("piscina", a.tasks, a.size),
  has: async () => ({ threads: !!lib.threads, processes: !!lib.processes, ThreadPool: typeof lib.ThreadPool === "function" }),
  close: async () => {
    await Promise.allSettled(Object.values(pools).map((p) => p.close()));
    for (const k of Object.keys(pools)) delete pools[k];
  },
};

process.on("message", async (m) => {
  try {
    const f = ops[m.op];
    if (!f) throw new Error(`unknown op ${m.op}`);
    const t0 = performance.now();
    const value = await f(m.args || {});
    process.send({ ms: performance.now() - t0, value });
  } catch (err) {
    process.send({ error: err?.stack ? err.stack : String(err) });
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true });
