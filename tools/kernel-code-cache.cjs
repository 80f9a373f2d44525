// Preloaded into every tslab/jslab kernel (`node --require` in the kernelspec):
// a V8 code cache for the TypeScript compiler that tslab loads, an 8 MB script.
//
// Why: a kernel's start-up is mostly TypeScript compiling its own first program
// (lib and @types/node); about a tenth of that CPU time is V8 parsing and
// compiling typescript.js itself, function by function as they are first called.
// With the bytecode of every function the start-up ran, a kernel starts with
// ~0.3 s less CPU, and the notes build starts 12 kernels at once.
//
// Contract:
// - Only that one file is compiled differently; every other module loads as usual.
// - The cache lives in .jupyter/cache beside the kernelspecs, keyed by the file's
//   size and mtime and by Node's version, so an upgrade of tslab or Node writes a
//   new one. V8 itself also refuses a cache that does not match (its own checks of
//   version, flags and source); then the file compiles as if there were no cache.
// - The first kernel without a usable cache writes it once its start-up is over
//   (after the first turn of the event loop, when tslab has built its converter),
//   to a temporary file renamed into place, so kernels starting together never
//   read half a file. Any failure leaves the kernel running as without the cache.
// - INTERLEAVE_KERNEL_CODE_CACHE=0 turns it off; INTERLEAVE_KERNEL_CACHE_DIR moves it.
// - globalThis.__interleaveCodeCache says what happened ({ file, used, rejected, wrote }).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const CACHE_DIR = process.env.INTERLEAVE_KERNEL_CACHE_DIR || path.join(__dirname, "..", ".jupyter", "cache");

function install() {
  if (process.env.INTERLEAVE_KERNEL_CODE_CACHE === "0") return;
  let target;
  try {
    target = require.resolve("@tslab/typescript-for-tslab", {
      paths: [path.dirname(require.resolve("tslab/package.json", { paths: [path.join(__dirname, "..")] }))],
    });
  } catch {
    return; // no tslab here: nothing to speed up
  }
  const st = fs.statSync(target);
  const cacheFile = path.join(CACHE_DIR, `typescript-${st.size}-${Math.floor(st.mtimeMs)}-node${process.version}.cache`);
  const status = { file: cacheFile, used: false, rejected: false, wrote: false };
  globalThis.__interleaveCodeCache = status;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename, ...rest) {
    if (filename !== target) return compile.call(this, content, filename, ...rest);
    Module.prototype._compile = compile; // one file, once
    let cachedData;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {}
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    status.used = cachedData !== undefined && !script.cachedDataRejected;
    status.rejected = cachedData !== undefined && script.cachedDataRejected === true;
    if (!status.used) setImmediate(() => writeCache(script, cacheFile, status));
    const fn = script.runInThisContext({ displayErrors: true });
    const req = Module.createRequire(filename);
    return fn.call(this.exports, this.exports, req, this, filename, path.dirname(filename));
  };
}

function writeCache(script, cacheFile, status) {
  try {
    const data = script.createCachedData();
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, cacheFile);
    status.wrote = true;
  } catch {}
}

try {
  install();
} catch {}
