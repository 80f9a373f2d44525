// Kernel registration.
//
//   tsx tools/kernelspec.ts setup          write tslab + jslab kernelspecs into the
//                                          project-local data dir (.jupyter/share/jupyter)
//   tsx tools/kernelspec.ts install-user   also install them for the user's own Jupyter
//
// Specs are written by hand (`tslab install` needs IPython and picks the wrong
// Python on Debian). argv names node and tslab by absolute path, so a Jupyter
// started without node on PATH still finds them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolError, runCli } from "./errors";
import { INSTALL_HINT, which } from "./jupyter-env";
import { jupyterDataPath, repoRoot } from "./paths";

export type KernelName = "tslab" | "jslab";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal";
  metadata: Record<string, unknown>;
}

/** Absolute path of tslab's launcher script; raises if tslab is not installed. */
export function tslabBin(): string {
  const bin = join(repoRoot, "node_modules", "tslab", "bin", "tslab");
  if (!existsSync(bin)) {
    throw new ToolError(`tslab is not installed (${bin} is missing). Run \`npm install\` in ${repoRoot}, then run this again.`);
  }
  return bin;
}

/** Loaded into every kernel before tslab: see the file for its contract. */
export const kernelPreload = join(repoRoot, "tools", "kernel-code-cache.cjs");

/** The kernelspec JSON for one of the two kernels. */
export function kernelSpec(name: KernelName): KernelSpec {
  // The preload gives the kernel a code cache for tslab's TypeScript (kernel-code-cache.cjs).
  const argv = [
    process.execPath,
    "--require",
    kernelPreload,
    tslabBin(),
    "kernel",
    ...(name === "jslab" ? ["--js"] : []),
    "--config-path",
    "{connection_file}",
  ];
  return {
    argv,
    display_name: name === "tslab" ? "TypeScript (tslab)" : "JavaScript (jslab)",
    language: name === "tslab" ? "typescript" : "javascript",
    interrupt_mode: "signal",
    metadata: { interleave: true },
  };
}

/** Folder of a kernelspec inside a Jupyter data dir. */
export function kernelDir(dataPath: string, name: KernelName): string {
  return join(dataPath, "kernels", name);
}

/**
 * Checks that tslab's native dependency (zeromq) loads: npm may have installed
 * it with --ignore-scripts. Returns an error text, or undefined when it loads.
 */
export function checkZeromq(): string | undefined {
  const r = spawnSync(process.execPath, ["-e", "require(require.resolve('zeromq', { paths: [require.resolve('tslab')] }))"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (r.status === 0) return undefined;
  return (r.stderr || r.stdout || "").trim().split("\n").slice(0, 3).join(" ");
}

/** Writes both kernelspecs into `dataPath` (default: the project-local one). Returns their folders. */
export function setupKernelspecs(dataPath = jupyterDataPath): string[] {
  const dirs: string[] = [];
  for (const name of ["tslab", "jslab"] as const) {
    const dir = kernelDir(dataPath, name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "kernel.json");
    const text = `${JSON.stringify(kernelSpec(name), null, 2)}\n`;
    // Rewrite only on change: several tools call this on every start.
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
    dirs.push(dir);
  }
  return dirs;
}

/** Makes sure the project-local kernelspecs exist and are current (cheap; tools call it on start). */
export function ensureKernelspecs(): void {
  setupKernelspecs();
}

/** Installs both kernelspecs for the user's own Jupyter with `jupyter kernelspec install --user`. */
export function installForUser(): string[] {
  const jupyter = which("jupyter");
  if (!jupyter) throw new ToolError(`Jupyter is not installed (no \`jupyter\` on PATH), so there is nothing to register the kernels with. ${INSTALL_HINT}`, 3);
  const tmp = mkdtempSync(join(tmpdir(), "interleave-kernelspec-"));
  try {
    const done: string[] = [];
    for (const dir of setupKernelspecs(tmp)) {
      const name = dir.split("/").pop()!;
      const r = spawnSync(jupyter, ["kernelspec", "install", "--user", "--name", name, dir], { encoding: "utf8" });
      if (r.status !== 0) {
        throw new ToolError(
          `\`jupyter kernelspec install --user --name ${name}\` failed: ${(r.stderr || r.stdout).trim()} ` +
            "Check that `jupyter kernelspec list` works (jupyter-client is installed), then run `npm run kernel:install` again.",
        );
      }
      done.push(name);
    }
    return done;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === "setup") {
    const dirs = setupKernelspecs();
    const zmq = checkZeromq();
    if (zmq) {
      console.warn(`kernelspec: tslab's zeromq does not load (${zmq}). Run \`npm rebuild zeromq\` in ${repoRoot}; notebooks cannot run until it loads.`);
    }
    console.log(`kernelspecs tslab, jslab written to ${dirs.map((d) => d.replace(`${repoRoot}/`, "")).join(", ")}`);
    return 0;
  }
  if (cmd === "install-user") {
    const names = installForUser();
    console.log(`kernels ${names.join(", ")} installed for your own Jupyter; check with \`jupyter kernelspec list\`.`);
    return 0;
  }
  throw new ToolError(
    `unknown command ${JSON.stringify(cmd ?? "")}: use \`tsx tools/kernelspec.ts setup\` (project-local kernelspecs) or \`tsx tools/kernelspec.ts install-user\` (for your own Jupyter).`,
  );
}

if (require.main === module) runCli("kernelspec", () => main(process.argv.slice(2)));
