// Builds kernel-helpers: esbuild bundles the library code it uses into CommonJS,
// tsc emits the .d.ts that notebooks (tslab's TypeScript 5.0) type-check against.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
rmSync(dist, { recursive: true, force: true });

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

await build({
  entryPoints: { index: join(here, "src/index.ts"), worker: join(here, "src/worker.ts") },
  outdir: dist,
  plugins: [keepIndexExternal],
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

const tsc = join(here, "..", "node_modules", "typescript", "bin", "tsc");
// --stripInternal: hides the worker entry hook (@internal) from notebooks' completions.
execFileSync(process.execPath, [tsc, "-p", join(here, "tsconfig.json"), "--stripInternal"], { stdio: "inherit" });
console.log("kernel-helpers built: dist/index.js, dist/worker.js, dist/types/");
