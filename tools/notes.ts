// The course notes: runs the notebooks (runner), exports each executed notebook
// to HTML (nbconvert, offline template) and writes the index page.
//
//   npm run notes [-- notebook.ipynb …] [--jobs N] [--timeout S] [--port P]
//                 [--build-dir DIR] [--site-dir DIR] [--timings FILE]
//                 [--edition student|instructor]
//
// The student edition (default) is the notebooks as shipped, into site/. The
// instructor edition runs copies with every exercise's reference solution in place
// of its starter (tools/exercise-cells.ts) and writes site/instructor/, its executed
// copies and timings under <build-dir>/instructor/ (the student build's record and
// claims are left alone); the edited sources go to .build/instructor-sources/.
//
// Writes the claims the notebooks made to <build-dir>/claims.json (tools/claims.ts)
// and prints their summary: `claims: N held, M not seen (machine), K failed`.
//
// Exit status: 0 when every notebook passed, 1 when one failed (its page is
// still written, showing the error) or an "always" claim failed, 2/3 for bad
// input or missing Jupyter.
import { basename, dirname, join, relative, resolve } from "node:path";
import { existsSync } from "node:fs";
import { parseArgs } from "./args";
import { collectClaims, countClaims, formatClaims, writeClaims, type BuildClaim } from "./claims";
import { runCli } from "./errors";
import { instructorEdition } from "./exercise-cells";
import { exportHtml } from "./export-html";
import { finishBook } from "./book";
import { indexEntries, writeIndex } from "./index-page";
import { requireJupyter } from "./jupyter-env";
import { readNotebook, writeNotebook } from "./notebook";
import { buildDir as defaultBuildDir, notebooksDir, repoRoot, siteDir as defaultSiteDir } from "./paths";
import { formatFailures, pidLogger, readTimings, resolveNotebooks, runBuild, summary, updateTimings, type BuildRecord, type NotebookResult } from "./runner";

export interface NotesOptions {
  jobs?: number;
  timeout?: number;
  port?: number;
  buildDir?: string;
  siteDir?: string;
  timings?: string;
  /** "student" (default): the notebooks as they are; "instructor": with the exercises' solutions (see the top of this file). */
  edition?: "student" | "instructor";
  /** The folders whose notebooks the index lists. Default: notebooks/ and the sources' folders. */
  indexFolders?: string[];
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
  if (opts.edition === "instructor") {
    const buildDir = join(resolve(opts.buildDir ?? defaultBuildDir), "instructor");
    // The copies must lie inside the repository (its Jupyter server serves only that), wherever the build goes.
    const sourcesDir = join(repoRoot, ".build", "instructor-sources");
    const copies = instructorSources(sources, sourcesDir);
    const siteDir = join(resolve(opts.siteDir ?? defaultSiteDir), "instructor");
    return buildNotes(copies, {
      ...opts,
      edition: "student",
      buildDir,
      siteDir,
      timings: opts.timings ?? join(buildDir, "timings.json"),
      indexFolders: [sourcesDir],
    });
  }
  const buildDir = resolve(opts.buildDir ?? defaultBuildDir);
  const siteDir = resolve(opts.siteDir ?? defaultSiteDir);
  const timings = resolve(opts.timings ?? join(buildDir, "timings.json"));
  const { results, build } = await runBuild(sources, { ...opts, buildDir, timings });
  const claims = results.filter((r) => existsSync(r.executed)).flatMap((r) => collectClaims(r.executed, r.notebook));
  const claimsFile = join(buildDir, "claims.json");
  writeClaims(
    claimsFile,
    claims,
    results.map((r) => r.notebook),
  );
  const exportStart = Date.now();
  const pages = await exportHtml(
    results.map((r) => r.executed),
    siteDir,
  );
  const folders = opts.indexFolders ?? [...new Set([notebooksDir, ...sources.map((s) => dirname(resolve(s)))])];
  const index = writeIndex(siteDir, indexEntries(folders, readTimings(timings), siteDir));
  finishBook(siteDir, { timings }); // navigation, glossary, search… over the written pages (tools/book)
  build.exportSeconds = (Date.now() - exportStart) / 1000;
  build.totalSeconds = (Date.now() - Date.parse(build.startedAt)) / 1000;
  updateTimings(timings, (t) => {
    const i = t.builds.findIndex((b) => b.id === build.id);
    if (i >= 0) t.builds[i] = build;
  });
  return { results, build, pages, index, claims, claimsFile };
}

/** Writes each source's instructor edition into `dir` (same file names); returns their paths. */
function instructorSources(sources: string[], dir: string): string[] {
  return sources.map((source) => {
    const copy = join(dir, basename(source));
    writeNotebook(copy, instructorEdition(readNotebook(source)));
    return copy;
  });
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, "npm run notes --", true);
  const sources = resolveNotebooks(args.notebooks);
  console.debug = () => {}; // @jupyterlab/services logs every WebSocket it opens
  const t0 = Date.now();
  const { results, index, claims, claimsFile } = await buildNotes(sources, { ...args, onProcess: pidLogger(args.pidLog) });
  const report = formatFailures(results);
  if (report) console.error(`\n${report}\n`);
  console.log(`${formatClaims(claims)}\n(${relative(process.cwd(), claimsFile) || claimsFile})`);
  console.log(`notes: ${summary(results, (Date.now() - t0) / 1000)}; open ${relative(process.cwd(), index) || index}`);
  return results.some((r) => r.status === "failed") || countClaims(claims).failed > 0 ? 1 : 0;
}

if (require.main === module) runCli("notes", () => main(process.argv.slice(2)));
