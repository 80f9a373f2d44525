// HTML export of executed notebooks with nbconvert and the project's template
// (tools/nbconvert/interleave.html.j2): inline SVG kept, no script URLs, so the
// pages work offline from any folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ToolError } from "./errors";
import { jupyterEnv, requireJupyter } from "./jupyter-env";
import { templateFile } from "./paths";

/** HTML file name for a notebook: `01-introduction.ipynb` → `01-introduction.html`. */
export function htmlName(notebook: string): string {
  return basename(notebook).replace(/\.ipynb$/, "") + ".html";
}

/**
 * Removes what would make a page depend on its surroundings: <script> elements
 * that load a file:// or remote URL. (The template already drops them; this is a
 * guard against a changed nbconvert.)
 */
export function stripExternalScripts(html: string): string {
  return html.replace(/<script\b[^>]*\bsrc\s*=\s*["']?(?:file:|https?:|\/\/)[^>]*>\s*<\/script>/gi, "");
}

/**
 * Exports `notebooks` (executed .ipynb) to `<siteDir>/<name>.html`. Returns the
 * written paths. Raises a ToolError when nbconvert is missing or fails.
 */
export function exportHtml(notebooks: string[], siteDir: string): string[] {
  if (!notebooks.length) return [];
  const nbconvert = requireJupyter("jupyter-nbconvert", "jupyter nbconvert");
  mkdirSync(siteDir, { recursive: true });
  const r = spawnSync(nbconvert, ["--to", "html", "--template-file", templateFile, "--output-dir", siteDir, ...notebooks], {
    env: jupyterEnv(),
    encoding: "utf8",
  });
  if (r.status !== 0) {
    const log = (r.stderr || r.stdout || String(r.error ?? "")).trim().split("\n").slice(-12).join("\n");
    throw new ToolError(`jupyter nbconvert could not export the notes (status ${r.status}):\n${log}\nCheck that \`jupyter nbconvert --version\` works and that the executed notebooks in .build/notebooks are valid.`);
  }
  return notebooks.map((nb) => {
    const out = join(siteDir, htmlName(nb));
    if (!existsSync(out)) throw new ToolError(`jupyter nbconvert reported success but wrote no ${out}.`);
    const html = readFileSync(out, "utf8");
    const clean = stripExternalScripts(html);
    if (clean !== html) writeFileSync(out, clean);
    return out;
  });
}
