// Builds kernel-helpers: esbuild bundles the library code it uses into CommonJS,
// tsc emits the .d.ts that notebooks (tslab's TypeScript 5.0) type-check against.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { renameSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// Built beside dist/ and swapped in at the end: a kernel or test that loads the
// package during a rebuild sees the old files or the new ones, never half of each.
const final = join(here, "dist");
const dist = join(here, `dist.build-${process.pid}`);
rmSync(dist, { recursive: true, force: true });
process.once("exit", () => rmSync(dist, { recursive: true, force: true }));

// Packages that must stay real requires at run time: native code, tslab (only in a
// kernel), and ESM-only vega (loaded with a dynamic import from CommonJS).
const external = ["kernel-helpers", "tslab", "interleave-shm", "vega", "vega-lite", "piscina", "esbuild", "ws", "@jupyterlab/services", "typescript"];

// Three bundles. dist/core.js holds what a worker needs: the sync primitives, shared
// memory, the trace recorder and the worker side of spawning (worker-main, pool-task).
// dist/worker.js (the entry of every worker thread, child process and pool thread;
// src/spawn/entry.ts says what a worker bundle holds) loads only core.js;
// dist/index.js (what a notebook imports) is the rest and takes every one of core's
// modules from core.js instead of bundling a copy. So a worker pays for core.js
// alone (not the charts, the course or the parent's side of spawning) and there is
// ONE copy of every class in any thread: a primitive revived by the worker entry is
// an instance of the very class `require("kernel-helpers")` gives the worker's code
// (worker.js loads index.js for that only when the code asks).
const root = join(here, "..");
const CORE_ROOTS = ["src/spawn/worker-main.ts", "src/spawn/pool-task.ts", "src/spawn/entry.ts", "src/sync/index.ts", "src/shm/index.ts"];

// Every worker thread and child process loads core.js, so whatever its top level
// requires is paid on each spawn. Some builtins are needed only by rarely used
// functions (chart ids, a course demo, forking): they are replaced by stand-ins
// whose functions require the real module on their first call.
const LAZY_BUILTINS = ["node:crypto", "node:child_process"];
const require = createRequire(import.meta.url);
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:(crypto|child_process)$/ }, (args) =>
      LAZY_BUILTINS.includes(args.path) ? { path: args.path, namespace: "lazy-builtin" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => {
      const real = require(args.path);
      const names = Object.keys(real).filter((k) => typeof real[k] === "function" && /^[a-z]\w*$/.test(k));
      // The bare name ("crypto") escapes this plugin's filter: it is the real builtin.
      const lines = [`let m; const real = () => (m ??= require(${JSON.stringify(args.path.slice(5))}));`];
      for (const k of names) lines.push(`export function ${k}(...a) { return real().${k}(...a); }`);
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // External maps: every worker and child loads core.js, and an inline map tripled its size.
  // Stacks of user code point at `cell-fn:<name>:line` whatever the bundle's map.
  sourcemap: "linked",
  external,
  absWorkingDir: root,
  logLevel: "warning",
};

// 1. Which modules core.js holds: everything the roots import.
const closure = await build({ ...common, entryPoints: CORE_ROOTS, outdir: dist, write: false, metafile: true, plugins: [lazyBuiltins] });
const coreFiles = Object.keys(closure.metafile.inputs)
  .filter((f) => f.startsWith("src/") && /\.ts$/.test(f))
  .sort();

// 2. core.js: each of those modules' exports under its path (for index.js), plus the worker entries.
await build({
  ...common,
  stdin: {
    contents: [
      ...coreFiles.map((f, i) => `import * as m${i} from ${JSON.stringify(`./${f}`)};`),
      `export const modules = { ${coreFiles.map((f, i) => `${JSON.stringify(f)}: m${i}`).join(", ")} };`,
      `export { workerMain } from "./src/spawn/worker-main.ts";`,
      `export { poolTask } from "./src/spawn/pool-task.ts";`,
      `export { setWorkerBundle } from "./src/spawn/entry.ts";`,
    ].join("\n"),
    resolveDir: root,
    sourcefile: "kernel-helpers/core.js",
    loader: "ts",
  },
  outfile: join(dist, "core.js"),
  plugins: [lazyBuiltins],
});

// The V8 code cache of core.js for the worker entry (see src/worker.ts), made by a
// plain Node like the one that will run it. Its top level runs once, in a throwaway
// process, so the cache holds what loading it compiles.
execFileSync(
  process.execPath,
  [
    "-e",
    `
  const { readFileSync, writeFileSync } = require("node:fs");
  const { createRequire } = require("node:module");
  const { Script } = require("node:vm");
  const path = process.argv[1];
  const script = new Script("(function (exports, require, module, __filename, __dirname) { " + readFileSync(path, "utf8") + "\\n});", { filename: path });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(path), mod, path, require("node:path").dirname(path));
  writeFileSync(path + ".cache", script.createCachedData());
`,
    join(dist, "core.js"),
  ],
  { stdio: "inherit" },
);

// 3. index.js and worker.js: an import that resolves to one of core's modules becomes
// `require("./core.js").modules[path]`.
const core = new Set(coreFiles.map((f) => join(root, f)));
const fromCore = {
  name: "from-core",
  setup(b) {
    b.onResolve({ filter: /^\.\/(core|index)\.js$/ }, (args) =>
      args.importer.endsWith("worker.ts") || args.namespace === "core-module" ? { path: args.path, external: true } : undefined,
    );
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === "from-core" || args.namespace !== "file") return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: "from-core" });
      return !r.errors.length && core.has(r.path) ? { path: relative(root, r.path), namespace: "core-module" } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: "core-module" }, (args) => ({
      contents: `module.exports = require("./core.js").modules[${JSON.stringify(args.path)}];`,
      loader: "js",
    }));
  },
};

await build({
  ...common,
  entryPoints: { index: join(here, "src/index.ts"), worker: join(here, "src/worker.ts") },
  outdir: dist,
  plugins: [fromCore, lazyBuiltins],
});

// vega + vega-lite as one minified ES module: importing the packages resolves and
// reads dozens of files (≈ 2.5× slower on the course machine), and the first chart of
// a fresh kernel waits for it. src/charts/render.ts loads this file when it is there.
await build({
  stdin: { contents: 'export * as vega from "vega";\nexport * as vegaLite from "vega-lite";\n', resolveDir: here, loader: "js" },
  outfile: join(dist, "vega.mjs"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
});

const tsc = join(here, "..", "node_modules", "typescript", "bin", "tsc");
// --stripInternal: hides the worker entry hook (@internal) from notebooks' completions.
execFileSync(process.execPath, [tsc, "-p", join(here, "tsconfig.json"), "--stripInternal", "--outDir", join(dist, "types")], { stdio: "inherit" });
// rename() replaces an empty directory only: move the old one aside, then drop it.
const old = `${final}.old-${process.pid}`;
try {
  renameSync(final, old);
} catch (e) {
  if (e.code !== "ENOENT") throw e;
}
renameSync(dist, final);
rmSync(old, { recursive: true, force: true });
console.log("kernel-helpers built: dist/index.js, dist/core.js, dist/worker.js, dist/types/");
