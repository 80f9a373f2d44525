// Finding Jupyter and building the environment every Jupyter process gets.
import { accessSync, constants, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ToolError } from "./errors";
import { jupyterConfigDir, jupyterDataDir, jupyterDataPath } from "./paths";

/** The apt line that gives a Debian/Ubuntu machine everything the tools need. */
export const APT_LINE =
  "sudo apt-get install -y --no-install-recommends jupyter-server jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook python3-nbclassic";

export const INSTALL_HINT =
  `On Debian/Ubuntu run: ${APT_LINE} (or simply: bash scripts/setup.sh). ` +
  "With conda: conda env create -f environment.yml && conda activate interleave. Then run the command again.";

/** Absolute path of an executable on PATH, or undefined. */
export function which(cmd: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, cmd);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * Path of a Jupyter sub-command's script (`jupyter-server`, `jupyter-nbconvert`, …).
 * Raises a ToolError with install instructions when it is missing.
 */
export function requireJupyter(sub: string, what = `jupyter ${sub.replace(/^jupyter-/, "")}`): string {
  const found = which(sub);
  if (!found) {
    throw new ToolError(`${what} is not installed (no \`${sub}\` on PATH). ${INSTALL_HINT}`, 3);
  }
  return found;
}

/**
 * Environment for Jupyter processes: project-local kernelspecs (JUPYTER_PATH),
 * data and config dirs, and a runtime dir of the caller's choosing, so that the
 * user's ~/.jupyter and ~/.local/share/jupyter do not interfere.
 */
export function jupyterEnv(runtimeDir?: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  mkdirSync(jupyterDataDir, { recursive: true });
  mkdirSync(jupyterConfigDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...base,
    JUPYTER_PATH: jupyterDataPath,
    JUPYTER_DATA_DIR: jupyterDataDir,
    JUPYTER_CONFIG_DIR: jupyterConfigDir,
    JUPYTER_PLATFORM_DIRS: "0",
  };
  if (runtimeDir) env.JUPYTER_RUNTIME_DIR = runtimeDir;
  return env;
}
