// Builds kernel-helpers: esbuild bundles the library code it uses into CommonJS,
// tsc emits the .d.ts that notebooks (tslab's TypeScript 5.0) type-check against.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
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

// worker.js must load the same index.js as the notebook (one copy of every class),
// so its require("./index.js") stays a real require instead of a second bundled copy.
const keepIndexExternal = {
  name: "keep-index-external",
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith("worker.ts") ? { path: "./index.js", external: true } : undefined,
    );
  },
};

// Every worker thread and child process loads index.js, so whatever its top level
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

await build({
  entryPoints: { index: join(here, "src/index.ts"), worker: join(here, "src/worker.ts") },
  outdir: dist,
  plugins: [keepIndexExternal, lazyBuiltins],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // External map: every worker and child loads index.js, and an inline map tripled its size.
  // Stacks of user code point at `cell-fn:<name>:line` whatever the bundle's map.
  sourcemap: "linked",
  external,
  logLevel: "warning",
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
console.log("kernel-helpers built: dist/index.js, dist/worker.js, dist/types/");
