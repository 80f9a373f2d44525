// Where the project keeps things. Every tool resolves paths from here so that
// they work from any current directory.
import { join, resolve } from "node:path";

/** The repository root (the folder holding package.json). */
export const repoRoot = resolve(__dirname, "..");

/** Project-local Jupyter prefix: kernelspecs live in `<prefix>/share/jupyter/kernels`. */
export const jupyterPrefix = join(repoRoot, ".jupyter");
/** What JUPYTER_PATH points at, so every tool finds the project's kernelspecs. */
export const jupyterDataPath = join(jupyterPrefix, "share", "jupyter");
/** Project-local Jupyter data dir (notebook-signing secret and database). */
export const jupyterDataDir = join(jupyterPrefix, "data");
/** Project-local Jupyter config dir: nothing from ~/.jupyter interferes. */
export const jupyterConfigDir = join(jupyterPrefix, "config");

export const notebooksDir = join(repoRoot, "notebooks");
export const buildDir = join(repoRoot, ".build");
export const siteDir = join(repoRoot, "site");
/** nbconvert template folder: keeps inline SVG, drops file:// script URLs. */
export const templateFile = join(repoRoot, "tools", "nbconvert", "interleave.html.j2");
