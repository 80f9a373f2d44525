// The worker entry (dist/worker.js): every worker thread and child process that
// interleave starts runs it as its main module, and piscina loads it in each
// ThreadPool thread for its poolTask. It loads only dist/core.js, the part of
// kernel-helpers a worker needs (see build.mjs), and tells the spawning code
// there that this directory is the worker bundle (src/spawn/entry.ts), so that
// the worker's code gets dist/index.js — which shares core.js, so loading it
// later adds no second copy of a class — when it calls require("kernel-helpers").
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

interface Core {
  setWorkerBundle(dir: string): void;
  workerMain(): void;
  poolTask(task: unknown): unknown;
}

const core = loadCore(join(__dirname, "core.js"));
core.setWorkerBundle(__dirname);
// A thread or process started by interleave; piscina only requires this file.
if (require.main === module) core.workerMain();

/** Run by piscina in each ThreadPool thread (src/spawn/pool-task.ts). */
export const poolTask = core.poolTask;

/**
 * `require("./core.js")`, compiled with the V8 code cache that the build wrote
 * beside it (core.js.cache): compiling core.js is most of what loading it costs,
 * and every worker pays it. The module is entered in require.cache under its own
 * path, so index.js's `require("./core.js")` returns this very instance. The build
 * swaps core.js and its cache in together; where V8 refuses the cache (another
 * Node, other V8 flags) it compiles the source as a plain require would.
 */
function loadCore(path: string): Core {
  let cachedData: Buffer;
  try {
    cachedData = readFileSync(`${path}.cache`);
  } catch {
    // No code cache: the plain CommonJS load
    return require("./core.js") as Core;
  }
  // Node's own CommonJS wrapper, on line 1: stack positions match a plain require.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${readFileSync(path, "utf8")}\n});`, { filename: path, cachedData });
  const mod = new Module(path, module);
  mod.filename = path;
  require.cache[path] = mod;
  try {
    (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, createRequire(path), mod, path, dirname(path));
  } catch (err) {
    delete require.cache[path];
    throw err;
  }
  mod.loaded = true;
  return mod.exports as Core;
}
