// HTML export of executed notebooks with nbconvert and the project's template
// (tools/nbconvert/interleave.html.j2): inline SVG kept, no script URLs, so the
// pages work offline from any folder.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { basename, join } from "node:path";
import { ToolError } from "./errors";
import { jupyterEnv, requireJupyter } from "./jupyter-env";
import { templateFile } from "./paths";

/** HTML file name for a notebook: `01-introduction.ipynb` → `01-introduction.html`. */
export function htmlName(notebook: string): string {
  return `${basename(notebook).replace(/\.ipynb$/, "")}.html`;
}

/**
 * Removes what would make a page depend on its surroundings: <script> elements
 * that load a file:// or remote URL. (The template already drops them; this is a
 * guard against a changed nbconvert.)
 */
export function stripExternalScripts(html: string): string {
  return html.replace(/<script\b[^>]*\bsrc\s*=\s*["']?(?:file:|https?:|\/\/)[^>]*>\s*<\/script>/gi, "");
}

/** Splits `files` into at most `n` groups of about equal total size (biggest first, each to the lightest group). */
export function balance(files: string[], n: number, size: (f: string) => number): string[][] {
  const groups = Array.from({ length: Math.max(1, Math.min(n, files.length)) }, () => ({ files: [] as string[], bytes: 0 }));
  for (const f of [...files].sort((a, b) => size(b) - size(a))) {
    const g = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    g.files.push(f);
    g.bytes += size(f);
  }
  return groups.map((g) => g.files);
}

function nbconvertRun(nbconvert: string, notebooks: string[], siteDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(nbconvert, ["--to", "html", "--template-file", templateFile, "--output-dir", siteDir, ...notebooks], {
      env: jupyterEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const fail = (status: string) => {
      const tail = log.trim().split("\n").slice(-12).join("\n");
      reject(
        new ToolError(
          `jupyter nbconvert could not export the notes (status ${status}):\n${tail}\nCheck that \`jupyter nbconvert --version\` works and that the executed notebooks in .build/notebooks are valid.`,
        ),
      );
    };
    child.on("error", (e) => fail(e.message));
    child.on("close", (code, signal) => (code === 0 ? resolve() : fail(String(code ?? signal))));
  });
}

/**
 * Exports `notebooks` (executed .ipynb) to `<siteDir>/<name>.html`, with up to
 * `jobs` nbconvert processes side by side (default: one per core, at most 2; the
 * notebooks have finished running, so nothing is timed meanwhile). Resolves with
 * the written paths; rejects with a ToolError when nbconvert is missing or fails.
 */
export async function exportHtml(notebooks: string[], siteDir: string, jobs = Math.min(2, cpus().length)): Promise<string[]> {
  if (!notebooks.length) return [];
  const nbconvert = requireJupyter("jupyter-nbconvert", "jupyter nbconvert");
  mkdirSync(siteDir, { recursive: true });
  const groups = balance(notebooks, jobs, (f) => (existsSync(f) ? statSync(f).size : 0));
  const done = await Promise.allSettled(groups.map((g) => nbconvertRun(nbconvert, g, siteDir)));
  const failed = done.find((d): d is PromiseRejectedResult => d.status === "rejected");
  if (failed) throw failed.reason;
  return notebooks.map((nb) => {
    const out = join(siteDir, htmlName(nb));
    if (!existsSync(out)) throw new ToolError(`jupyter nbconvert reported success but wrote no ${out}.`);
    const html = readFileSync(out, "utf8");
    const clean = stripExternalScripts(html);
    if (clean !== html) writeFileSync(out, clean);
    return out;
  });
}
