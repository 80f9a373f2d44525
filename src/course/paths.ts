// Where the project lives on disk, found from this module (or the bundle that holds
// it) so that notebooks, workers and the CLI agree whatever their working directory.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The interleave checkout: the nearest folder upwards (from this module, then the cwd) whose package.json is "interleave". */
export function projectRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      try {
        if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "interleave") return dir;
      } catch {
        /* no or unreadable package.json: go up */
      }
      dir = resolve(dir, "..");
    }
  }
  return process.cwd();
}

/** Generated inputs go here (git-ignored): <root>/.build/data. */
export function dataDir(): string {
  return join(projectRoot(), ".build", "data");
}
