// The course notes: runs the notebooks (runner), exports each executed notebook
// to HTML (nbconvert, offline template) and writes the index page.
//
//   npm run notes [-- notebook.ipynb …] [--jobs N] [--timeout S] [--port P]
//                 [--build-dir DIR] [--site-dir DIR] [--timings FILE]
//
// Writes the claims the notebooks made to <build-dir>/claims.json (tools/claims.ts)
// and prints their summary: `claims: N held, M not seen (machine), K failed`.
//
// Exit status: 0 when every notebook passed, 1 when one failed (its page is
// still written, showing the error) or an "always" claim failed, 2/3 for bad
// input or missing Jupyter.
import { dirname, join, relative, resolve } from "node:path";
import { existsSync } from "node:fs";
import { parseArgs } from "./args";
import { collectClaims, countClaims, formatClaims, writeClaims, type BuildClaim } from "./claims";
import { runCli } from "./errors";
import { exportHtml } from "./export-html";
import { indexEntries, writeIndex } from "./index-page";
import { requireJupyter } from "./jupyter-env";
import { buildDir as defaultBuildDir, notebooksDir, siteDir as defaultSiteDir } from "./paths";
import { formatFailures, pidLogger, readTimings, resolveNotebooks, runBuild, summary, updateTimings, type BuildRecord, type NotebookResult } from "./runner";

export interface NotesOptions {
  jobs?: number;
  timeout?: number;
  port?: number;
  buildDir?: string;
  siteDir?: string;
  timings?: string;
  onProcess?: (kind: "server" | "kernel", pid: number) => void;
}

export interface NotesResult {
  results: NotebookResult[];
  /** The build's record (also in the timings file), with the export's time added. */
  build: BuildRecord;
  pages: string[];
  index: string;
  /** The claims this build's notebooks made (claims.json also keeps other notebooks' latest). */
  claims: BuildClaim[];
  claimsFile: string;
}

/** Runs `sources`, exports their pages and rewrites the index (which lists every notebook in their folders and in notebooks/). */
export async function buildNotes(sources: string[], opts: NotesOptions = {}): Promise<NotesResult> {
  requireJupyter("jupyter-nbconvert", "jupyter nbconvert"); // fail before running anything
  const buildDir = resolve(opts.buildDir ?? defaultBuildDir);
  const siteDir = resolve(opts.siteDir ?? defaultSiteDir);
  const timings = resolve(opts.timings ?? join(buildDir, "timings.json"));
  const { results, build } = await runBuild(sources, { ...opts, buildDir, timings });
  const claims = results.filter((r) => existsSync(r.executed)).flatMap((r) => collectClaims(r.executed, r.notebook));
  const claimsFile = join(buildDir, "claims.json");
  writeClaims(claimsFile, claims, results.map((r) => r.notebook));
  const exportStart = Date.now();
  const pages = await exportHtml(results.map((r) => r.executed), siteDir);
  const folders = [...new Set([notebooksDir, ...sources.map((s) => dirname(resolve(s)))])];
  const index = writeIndex(siteDir, indexEntries(folders, readTimings(timings), siteDir));
  build.exportSeconds = (Date.now() - exportStart) / 1000;
  build.totalSeconds = (Date.now() - Date.parse(build.startedAt)) / 1000;
  updateTimings(timings, (t) => {
    const i = t.builds.findIndex((b) => b.id === build.id);
    if (i >= 0) t.builds[i] = build;
  });
  return { results, build, pages, index, claims, claimsFile };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, "npm run notes --", true);
  const sources = resolveNotebooks(args.notebooks);
  console.debug = () => {}; // @jupyterlab/services logs every WebSocket it opens
  const t0 = Date.now();
  const { results, index, claims, claimsFile } = await buildNotes(sources, { ...args, onProcess: pidLogger(args.pidLog) });
  const report = formatFailures(results);
  if (report) console.error("\n" + report + "\n");
  console.log(`${formatClaims(claims)}\n(${relative(process.cwd(), claimsFile) || claimsFile})`);
  console.log(`notes: ${summary(results, (Date.now() - t0) / 1000)}; open ${relative(process.cwd(), index) || index}`);
  return results.some((r) => r.status === "failed") || countClaims(claims).failed > 0 ? 1 : 0;
}

if (require.main === module) runCli("notes", () => main(process.argv.slice(2)));

