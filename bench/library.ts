// The library as notebooks see it: the built kernel-helpers bundle when it is
// there (what a cell imports), else src/ through tsx. Returns why not, if neither.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tryImport } from "./lib";

let cached: Promise<{ lib: any; from: string } | { why: string }> | null = null;

export function library(): Promise<{ lib: any; from: string } | { why: string }> {
  cached ??= (async () => {
    const dist = join(ROOT, "kernel-helpers", "dist", "index.js");
    if (!existsSync(join(ROOT, "kernel-helpers", "dist", "worker.js"))) {
      return { why: "kernel-helpers is not built (kernel-helpers/dist/worker.js missing): run npm run build:helpers" };
    }
    if (existsSync(dist)) {
      try {
        return { lib: require(dist), from: "kernel-helpers/dist" };
      } catch (err) {
        return { why: `kernel-helpers/dist/index.js failed to load: ${(err as Error).message.split("\n")[0]}` };
      }
    }
    const src = await tryImport("kernel-helpers/src/index");
    return "mod" in src ? { lib: src.mod, from: "kernel-helpers/src" } : src;
  })();
  return cached;
}
