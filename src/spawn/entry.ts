// Where workers start: the worker bundle, a build of this library that every
// worker thread, child process and pool thread loads. This module defines what a
// bundle holds; the package that builds one says where it is.
//
// A bundle is a directory with
// - worker.js, the worker entry: run as a thread's or a process's main module it
//   calls workerMain() (worker-main.ts); loaded by piscina it exports poolTask;
// - index.js, what `require("kernel-helpers")` gives the code inside a worker.
//
// The package that builds the bundle calls setWorkerBundle(dir) when it loads, in
// the parent and in every worker. Code run from the sources (tests, the course
// CLI) has loaded no bundle: it uses the installed package of that name.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The installed package that builds the worker bundle (its main module lies in the bundle). */
const BUNDLE_PACKAGE = "kernel-helpers";

/** The files of a bundle, by role. */
const BUNDLE_FILES = { entry: "worker.js", api: "index.js" } as const;

let bundleDir: string | null = null;

/** Tells spawning where the worker bundle is: the directory holding worker.js and index.js. */
export function setWorkerBundle(dir: string): void {
  bundleDir = dir;
}

/** The path of a bundle file: the entry (default) or the API module. Throws, saying what to do, when there is no bundle. */
export function bundleFile(role: keyof typeof BUNDLE_FILES = "entry"): string {
  bundleDir ??= installedBundle();
  return join(bundleDir, BUNDLE_FILES[role]);
}

function installedBundle(): string {
  let dir: string | null = null;
  try {
    dir = dirname(require.resolve(BUNDLE_PACKAGE));
  } catch {
    /* not installed or not built: said below */
  }
  if (!dir || !existsSync(join(dir, BUNDLE_FILES.entry))) {
    throw new Error(
      `interleave: the worker bundle is missing (${BUNDLE_PACKAGE}'s ${BUNDLE_FILES.entry}${dir ? ` in ${dir}` : ""}); ` +
        "build it with `npm run build:helpers`",
    );
  }
  return dir;
}
