// Entry point of every worker thread and child process that interleave starts.
// It loads only dist/core.js, the part of kernel-helpers a worker needs (see
// build.mjs); dist/index.js shares core.js, so loading it later — only when the
// worker's code calls require("kernel-helpers") — adds no second copy of a class.
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

interface Core {
  workerMain(loadApi: () => unknown): void;
}

const core = loadCore(join(__dirname, "core.js"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
core.workerMain(() => require("./index.js"));

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
    // eslint-disable-next-line @typescript-eslint/no-var-requires
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
