// Builds the shared-memory addon (native/) with the node-gyp that npm ships.
// A failed build is not fatal: the library falls back to slower pure-JS blocking
// and says so once; cross-process shared memory then reports a clear error.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const native = join(dirname(fileURLToPath(import.meta.url)), "..", "native");
if (!existsSync(join(native, "binding.gyp"))) process.exit(0);
const r = spawnSync("node-gyp", ["rebuild"], { cwd: native, stdio: "inherit", shell: process.platform === "win32" });
if (r.status !== 0) {
  console.warn("interleave: the shared-memory addon did not build (see above). Threads work; processes will share memory only once it builds (needs make and a C compiler).");
}
