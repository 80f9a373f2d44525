// The library as notebooks see it: the built kernel-helpers bundle (what a cell
// imports). Returns why not when it is not built or does not load.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib";

let cached: { lib: any; from: string } | { why: string } | null = null;

export async function library(): Promise<{ lib: any; from: string } | { why: string }> {
  cached ??= load();
  return cached;
}

function load(): { lib: any; from: string } | { why: string } {
  const dist = join(ROOT, "kernel-helpers", "dist");
  if (!existsSync(join(dist, "worker.js")) || !existsSync(join(dist, "index.js"))) {
    return { why: "kernel-helpers is not built (kernel-helpers/dist is missing files): run npm run build:helpers" };
  }
  try {
    return { lib: require(join(dist, "index.js")), from: "kernel-helpers/dist" };
  } catch (err) {
    return { why: `kernel-helpers/dist/index.js failed to load: ${(err as Error).message.split("\n")[0]}` };
  }
}
