// The course's JupyterLab application (lab/): built once per version of its
// lockfile and sources, kept in a cache outside the clone so that a fresh clone on
// the same machine (CI clones afresh) finds it ready.
//
//   tsx tools/lab-build.ts           build it unless the cache has it (scripts/setup.sh runs this)
//   tsx tools/lab-build.ts --force   build it again
//
// Contract:
// - labAppDir() is where the build for this checkout lives:
//   ${XDG_CACHE_HOME:-~/.cache}/interleave/lab/<key>, the key a hash of lab/'s
//   lockfile, package.json, index.js, webpack.config.js. readLabBuild() returns its
//   record (build-record.json) when that folder is complete, else undefined.
// - buildLab() runs `npm ci` in lab/ (when lab/node_modules does not match the
//   lockfile) and webpack, then moves the result into the cache in one rename, so a
//   build that fails or is interrupted leaves no half folder that looks complete.
//   Older builds beyond the newest KEEP are removed. Raises a ToolError with the
//   failing step's last output lines.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ToolError, runCli } from "./errors";
import { repoRoot } from "./paths";

export const labDir = join(repoRoot, "lab");
/** Files whose content decides the build. */
const keyFiles = ["package-lock.json", "package.json", "index.js", "webpack.config.js"];
/** Builds kept in the cache (other checkouts on the machine may be on another version). */
const KEEP = 3;
/** webpack's peak heap for this app is ~1.5 GB; Node's default limit suffices on 64-bit, this leaves room. */
const HEAP_MB = 4096;

export interface LabBuildRecord {
  key: string;
  /** Version of @jupyterlab/application in the build. */
  jupyterlab: string;
  builtAt: string;
  /** Wall seconds of `npm ci` (0 when lab/node_modules was already current) and of webpack. */
  npmCiSeconds: number;
  webpackSeconds: number;
  /** Size of the built application (what the server serves) and of lab/node_modules. */
  appBytes: number;
  nodeModulesBytes: number;
}

export function labCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "interleave", "lab");
}

export function labKey(): string {
  const h = createHash("sha256");
  for (const f of keyFiles)
    h.update(f)
      .update("\0")
      .update(readFileSync(join(labDir, f)))
      .update("\0");
  return h.digest("hex").slice(0, 16);
}

export function labAppDir(): string {
  return join(labCacheRoot(), labKey());
}

export function readLabBuild(dir = labAppDir()): LabBuildRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, "build-record.json"), "utf8")) as LabBuildRecord;
  } catch {
    return undefined;
  }
}

function bytesIn(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesIn(join(path, name)), 0);
}

function step(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: labDir, env, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ""}\n${r.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n");
    throw new ToolError(
      `${what} failed in lab/ (${r.error?.message ?? `status ${r.status}`}). Its last lines:\n${tail}\nFix the cause and run \`npx tsx tools/lab-build.ts\` again.`,
    );
  }
  return (Date.now() - t0) / 1000;
}

/** lab/node_modules matches the lockfile when npm's hidden lockfile is at least as new. */
function nodeModulesCurrent(): boolean {
  const hidden = join(labDir, "node_modules", ".package-lock.json");
  return existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(join(labDir, "package-lock.json")).mtimeMs;
}

export function buildLab(say: (line: string) => void = console.log): LabBuildRecord {
  const key = labKey();
  const root = labCacheRoot();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  let npmCiSeconds = 0;
  if (!nodeModulesCurrent()) {
    say("lab: npm ci (JupyterLab's front-end packages, ~600 packages)");
    npmCiSeconds = step("npm ci", npm, ["ci", "--no-audit", "--no-fund"]);
  }
  say("lab: webpack (about 2–4 minutes on 2 cores)");
  rmSync(join(labDir, "build"), { recursive: true, force: true });
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${HEAP_MB}`.trim() };
  const webpackSeconds = step("webpack", process.execPath, [join(labDir, "node_modules", "webpack-cli", "bin", "cli.js")], env);
  const record: LabBuildRecord = {
    key,
    jupyterlab: JSON.parse(readFileSync(join(labDir, "node_modules", "@jupyterlab", "application", "package.json"), "utf8")).version,
    builtAt: new Date().toISOString(),
    npmCiSeconds,
    webpackSeconds,
    appBytes: bytesIn(join(labDir, "build")),
    nodeModulesBytes: bytesIn(join(labDir, "node_modules")),
  };
  writeFileSync(join(labDir, "build", "build-record.json"), `${JSON.stringify(record, null, 2)}\n`);
  mkdirSync(root, { recursive: true });
  const partial = join(root, `${key}.partial-${process.pid}`);
  cpSync(join(labDir, "build"), partial, { recursive: true });
  rmSync(join(root, key), { recursive: true, force: true });
  renameSync(partial, join(root, key));
  prune(root, key);
  return record;
}

/** Removes half-written folders and all but the newest KEEP builds (never `current`). */
function prune(root: string, current: string): void {
  const builds = readdirSync(root)
    .filter((n) => n !== current)
    .map((n) => ({ n, t: statSync(join(root, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  builds.forEach(({ n }, i) => {
    if (n.includes(".partial-") || i >= KEEP - 1) rmSync(join(root, n), { recursive: true, force: true });
  });
}

export function describe(r: LabBuildRecord): string {
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  return `JupyterLab ${r.jupyterlab}: npm ci ${r.npmCiSeconds.toFixed(0)} s, webpack ${r.webpackSeconds.toFixed(0)} s; app ${mb(r.appBytes)}, lab/node_modules ${mb(r.nodeModulesBytes)}`;
}

async function main(argv: string[]): Promise<number> {
  const force = argv.includes("--force");
  const unknown = argv.filter((a) => a !== "--force");
  if (unknown.length) throw new ToolError(`unknown argument ${JSON.stringify(unknown[0])}; tools/lab-build.ts accepts only --force.`);
  const found = readLabBuild();
  if (found && !force) {
    console.log(`lab: the JupyterLab build for this lockfile is in the cache (${labAppDir()}; built ${found.builtAt})`);
    return 0;
  }
  const r = buildLab();
  console.log(`lab: built ${describe(r)} → ${labAppDir()}`);
  return 0;
}

if (require.main === module) runCli("lab-build", () => main(process.argv.slice(2)));
