// The notebook runner: executes notebooks cell by cell, each in a fresh tslab
// kernel, against a private Jupyter server, and writes the executed copies (never
// over the sources) plus per-cell and per-notebook timings.
//
//   tsx tools/runner.ts [notebook.ipynb|folder …] [--jobs N] [--timeout S] [--port P]
//                       [--build-dir DIR] [--timings FILE]
//
// Contract of runNotebooks():
// - notebooks run one at a time unless `jobs` > 1 (timings in them mean something
//   only when they do not share the cores);
// - a failing cell fails its notebook (the rest of that notebook is skipped),
//   except cells tagged `raises-exception`; the run goes on with the next notebook;
// - a cell running longer than its timeout (default 120 s; notebook metadata
//   `interleave.cell_timeout` overrides) is interrupted and reported as a failure;
// - bad input (missing file, path outside the repo, malformed .ipynb) raises a
//   ToolError before any server starts; the server and every kernel are gone when
//   it resolves or rejects.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "./args";
import { interrupted } from "./cleanup";
import { ToolError, runCli } from "./errors";
import { jupyterEnv } from "./jupyter-env";
import { startServer, type JupyterServer } from "./jupyter-server";
import { openKernel, type CellResult } from "./kernel-session";
import { cellTimeout, firstLine, insideRoot, readNotebook, sourceText, toV45, writeNotebook, type Notebook } from "./notebook";
import { buildDir as defaultBuildDir, notebooksDir, repoRoot } from "./paths";
import { createProgress, type Progress } from "./progress";
import { jupyterPython } from "./python";

export const DEFAULT_CELL_TIMEOUT = 120;

export interface CellTiming {
  /** 1-based position among all cells of the notebook. */
  cell: number;
  seconds: number;
  status: "ok" | "error" | "timeout" | "expected-error";
}

export interface CellFailure {
  notebook: string;
  cell: number;
  firstLine: string;
  kind: "error" | "timeout";
  error: string;
}

export interface NotebookResult {
  /** Source path relative to the repository. */
  notebook: string;
  /** Executed copy (absolute path). */
  executed: string;
  status: "passed" | "failed";
  seconds: number;
  cells: CellTiming[];
  failure?: CellFailure;
  finishedAt: string;
}

export interface RunOptions {
  jobs?: number;
  /** Default per-cell timeout in seconds. */
  timeout?: number;
  port?: number;
  buildDir?: string;
  /** Timings JSON file (default <buildDir>/timings.json); entries of other notebooks are kept. */
  timings?: string;
  progress?: Progress;
  /** Called with the pid of the server and of every kernel as they start (tests check them later). */
  onProcess?: (kind: "server" | "kernel", pid: number) => void;
}

/** Expands arguments (files or folders) to notebook paths; default: notebooks/*.ipynb. Raises ToolError on bad paths. */
export function resolveNotebooks(args: string[], cwd = process.cwd()): string[] {
  const list: string[] = [];
  const fromDir = (dir: string) =>
    readdirSync(dir)
      .filter((n) => n.endsWith(".ipynb") && !n.startsWith("."))
      .sort()
      .map((n) => join(dir, n));
  if (args.length === 0) {
    if (!existsSync(notebooksDir)) throw new ToolError(`there is no notebooks/ folder in ${repoRoot}; name the notebooks to run.`);
    list.push(...fromDir(notebooksDir));
    if (!list.length) throw new ToolError(`notebooks/ holds no .ipynb files yet; add one (e.g. notebooks/01-introduction.ipynb) or name notebooks to run.`);
  }
  for (const a of args) {
    const abs = resolve(cwd, a);
    if (!existsSync(abs)) {
      throw new ToolError(`notebook ${a} does not exist (looked for ${abs}). Check the name; the course notebooks are notebooks/NN-name.ipynb, e.g. notebooks/01-introduction.ipynb.`);
    }
    if (statSync(abs).isDirectory()) {
      const found = fromDir(abs);
      if (!found.length) throw new ToolError(`folder ${a} holds no .ipynb notebooks; name a notebook file or another folder.`);
      list.push(...found);
    } else if (!abs.endsWith(".ipynb")) {
      throw new ToolError(`${a} is not a notebook (expected a .ipynb file).`);
    } else list.push(abs);
  }
  for (const p of list) insideRoot(p, repoRoot);
  return [...new Set(list)];
}

/** Where the executed copy of `source` goes. */
export function executedPath(source: string, buildDir = defaultBuildDir): string {
  return join(buildDir, "notebooks", basename(source));
}

/** Marks notebooks trusted (nbformat.sign with the project's data dir) so nbclassic shows their SVG. Best effort. */
export function trustNotebooks(paths: string[]): void {
  if (!paths.length) return;
  const r = spawnSync(jupyterPython(), ["-m", "nbformat.sign", ...paths], { env: jupyterEnv(), encoding: "utf8" });
  if (r.status !== 0) console.warn(`runner: could not sign the executed notebooks (${(r.stderr || "").trim().split("\n").pop()}); nbclassic will hide their SVG until you run \`jupyter trust\`.`);
}

function isTagged(tags: unknown, tag: string): boolean {
  return Array.isArray(tags) && tags.includes(tag);
}

/** Runs one notebook in a fresh kernel on `server`. Never rejects for cell failures. */
export async function runNotebook(
  server: JupyterServer,
  source: string,
  nb: Notebook,
  opts: { timeout: number; buildDir: string; progress: Progress; index: number; total: number; onProcess?: RunOptions["onProcess"] },
): Promise<NotebookResult> {
  const rel = insideRoot(source, repoRoot);
  const name = basename(source);
  const out = toV45(nb);
  const timeout = cellTimeout(nb, rel, opts.timeout);
  const code = out.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code" && sourceText(c).trim());
  const started = Date.now();
  const cells: CellTiming[] = [];
  let failure: CellFailure | undefined;
  opts.progress.notebookStart(opts.index, opts.total, name, code.length);
  for (const c of out.cells) if (c.cell_type === "code") Object.assign(c, { outputs: [], execution_count: null });
  let kernel;
  try {
    kernel = await openKernel(server, rel);
  } catch (e) {
    failure = { notebook: rel, cell: 0, firstLine: "", kind: "error", error: (e as Error).message };
  }
  try {
    if (kernel) {
      for (const [k, { c, i }] of code.entries()) {
        if (failure || interrupted()) break;
        opts.progress.cell(name, k + 1, code.length);
        if (k === 0) for (const p of server.kernelPids()) opts.onProcess?.("kernel", p);
        const r: CellResult = await kernel.execute(sourceText(c), timeout);
        if (interrupted()) break; // the cell died with the kernel: not its failure
        c.outputs = r.outputs;
        c.execution_count = r.executionCount;
        const expected = isTagged(c.metadata.tags, "raises-exception");
        const status = r.status === "ok" ? "ok" : r.status === "error" && expected ? "expected-error" : r.status;
        cells.push({ cell: i + 1, seconds: r.seconds, status });
        if (status === "error" || status === "timeout") {
          failure = { notebook: rel, cell: i + 1, firstLine: firstLine(c), kind: status, error: r.errorText };
        }
      }
    }
  } finally {
    await kernel?.close();
  }
  // Ending on a signal: write nothing half-done; the signal handler ends the process.
  if (interrupted()) return new Promise<never>(() => {});
  out.metadata.kernelspec ??= { name: "tslab", display_name: "TypeScript (tslab)", language: "typescript" };
  out.metadata.language_info ??= { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", version: "5.0" };
  const executed = executedPath(source, opts.buildDir);
  writeNotebook(executed, out);
  const seconds = (Date.now() - started) / 1000;
  const note = failure ? `${failure.kind === "timeout" ? "timed out" : "error"} in cell ${failure.cell}` : undefined;
  opts.progress.notebookEnd(name, !failure, seconds, note);
  return { notebook: rel, executed, status: failure ? "failed" : "passed", seconds, cells, failure, finishedAt: new Date().toISOString() };
}

export interface TimingsFile {
  updated: string;
  notebooks: Record<string, Omit<NotebookResult, "executed" | "notebook"> & { executed: string }>;
}

/** Reads a timings file (or an empty one when missing/unreadable). */
export function readTimings(file: string): TimingsFile {
  try {
    const t = JSON.parse(readFileSync(file, "utf8")) as TimingsFile;
    if (t && typeof t.notebooks === "object") return t;
  } catch {
    /* start afresh */
  }
  return { updated: "", notebooks: {} };
}

function writeTimings(file: string, results: NotebookResult[]): void {
  const t = readTimings(file);
  for (const r of results) {
    const { notebook, executed, ...rest } = r;
    const rel = relative(repoRoot, executed);
    t.notebooks[notebook] = { ...rest, executed: rel.startsWith("..") ? executed : rel };
  }
  t.updated = new Date().toISOString();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(t, null, 2) + "\n");
}

/**
 * Runs `sources` (paths to .ipynb) against one private server. Resolves with one
 * result per notebook, in the order given. Bad input raises a ToolError first.
 */
export async function runNotebooks(sources: string[], opts: RunOptions = {}): Promise<NotebookResult[]> {
  const jobs = opts.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1) throw new ToolError(`jobs must be a positive integer, got ${JSON.stringify(jobs)}.`);
  const buildDir = resolve(opts.buildDir ?? defaultBuildDir);
  // Read everything first: a malformed notebook is reported before anything starts.
  const loaded = sources.map((s) => {
    insideRoot(s, repoRoot);
    const nb = readNotebook(s);
    cellTimeout(nb, s, opts.timeout ?? DEFAULT_CELL_TIMEOUT);
    return { source: resolve(s), nb };
  });
  const progress = opts.progress ?? createProgress();
  const server = await startServer({ port: opts.port });
  opts.onProcess?.("server", server.pid);
  const results: NotebookResult[] = new Array(loaded.length);
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(jobs, loaded.length) }, async () => {
        while (next < loaded.length && !interrupted()) {
          const i = next++;
          results[i] = await runNotebook(server, loaded[i].source, loaded[i].nb, {
            timeout: opts.timeout ?? DEFAULT_CELL_TIMEOUT,
            buildDir,
            progress,
            index: i + 1,
            total: loaded.length,
            onProcess: opts.onProcess,
          });
        }
      }),
    );
  } finally {
    progress.close();
    await server.stop();
  }
  if (interrupted()) return new Promise<never>(() => {}); // the signal handler ends the process
  trustNotebooks(results.map((r) => r.executed));
  writeTimings(resolve(opts.timings ?? join(buildDir, "timings.json")), results);
  return results;
}

/** The failure report: notebook, cell index, the cell's first line, the error text. */
export function formatFailures(results: NotebookResult[]): string {
  return results
    .filter((r) => r.failure)
    .map((r) => {
      const f = r.failure!;
      const where = f.cell ? `cell ${f.cell} (\`${f.firstLine}\`)` : "before the first cell";
      const lines = f.error.split("\n");
      const text = lines.length > 25 ? [...lines.slice(0, 25), `… (${lines.length - 25} more lines)`] : lines;
      return `FAILED ${f.notebook}, ${where}${f.kind === "timeout" ? " timed out" : ""}:\n${text.map((l) => "    " + l).join("\n")}`;
    })
    .join("\n\n");
}

export function summary(results: NotebookResult[], seconds: number): string {
  const failed = results.filter((r) => r.status === "failed").length;
  return `${results.length} notebook${results.length === 1 ? "" : "s"}: ${results.length - failed} passed, ${failed} failed (${seconds.toFixed(1)} s)`;
}

/** Appends "kind pid" lines to `file` (for the lifecycle tests). */
export function pidLogger(file: string | undefined): RunOptions["onProcess"] {
  if (!file) return undefined;
  const seen = new Set<number>();
  return (kind, pid) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    appendFileSync(file, `${kind} ${pid}\n`);
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, "npx tsx tools/runner.ts", false);
  const sources = resolveNotebooks(args.notebooks);
  console.debug = () => {}; // @jupyterlab/services logs every WebSocket it opens
  const t0 = Date.now();
  const results = await runNotebooks(sources, {
    jobs: args.jobs,
    timeout: args.timeout,
    port: args.port,
    buildDir: args.buildDir,
    timings: args.timings,
    onProcess: pidLogger(args.pidLog),
  });
  const report = formatFailures(results);
  if (report) console.error("\n" + report + "\n");
  console.log(`runner: ${summary(results, (Date.now() - t0) / 1000)}; executed copies in ${relative(process.cwd(), join(resolve(args.buildDir ?? defaultBuildDir), "notebooks")) || "."}`);
  return results.some((r) => r.status === "failed") ? 1 : 0;
}

if (require.main === module) runCli("runner", () => main(process.argv.slice(2)));
