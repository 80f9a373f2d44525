// Builds the shared-memory addon (native/) with the node-gyp that npm ships.
// A failed build is not fatal: the library falls back to slower pure-JS blocking
// and says so once; cross-process shared memory then reports a clear error.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const native = join(dirname(fileURLToPath(import.meta.url)), "..", "native");
if (!existsSync(join(native, "binding.gyp"))) process.exit(0);

// Under `npm run`, npm tells us where its node-gyp is; run directly, look for it
// next to this Node, then on PATH.
const prefix = join(dirname(process.execPath), "..");
const npmGyp = join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
const gyp = process.env.npm_config_node_gyp || (existsSync(npmGyp) ? npmGyp : null);
const args = ["rebuild"];
// Use the headers installed with this Node instead of downloading them (no network).
if (!process.env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node_api.h"))) args.push(`--nodedir=${prefix}`);
const r = gyp
  ? spawnSync(process.execPath, [gyp, ...args], { cwd: native, stdio: "inherit" })
  : spawnSync("node-gyp", args, { cwd: native, stdio: "inherit", shell: process.platform === "win32" });
if (r.status !== 0) {
  console.warn(
    "interleave: the shared-memory addon did not build (see above). Threads work; processes will share memory only once it builds (needs make and a C compiler).",
  );
}
