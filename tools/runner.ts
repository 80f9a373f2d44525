// The notebook runner: executes notebooks cell by cell, each in a fresh tslab
// kernel, against a private Jupyter server, and writes the executed copies (never
// over the sources) plus per-cell and per-notebook timings and a record of the build.
//
//   tsx tools/runner.ts [notebook.ipynb|folder …] [--jobs N] [--timeout S] [--port P]
//                       [--build-dir DIR] [--timings FILE]
//
// Contract of runNotebooks():
// - notebooks run one at a time unless `jobs` > 1 (timings in them mean something
//   only when they do not share the cores);
// - one at a time, the next notebooks' kernels start while the current notebook
//   runs (a kernel's start-up is seconds of CPU), but never beside a cell tagged
//   `timing` (a cell whose output is a wall-clock measurement): such a cell waits
//   until that start-up is over, so it has the cores to itself;
// - a failing cell fails its notebook (the rest of that notebook is skipped),
//   except cells tagged `raises-exception`; the run goes on with the next notebook;
// - a cell running longer than its timeout (default 120 s; notebook metadata
//   `interleave.cell_timeout` overrides) is interrupted and reported as a failure;
// - bad input (missing file, path outside the repo, malformed .ipynb) raises a
//   ToolError before any server starts; the server and every kernel are gone when
//   it resolves or rejects.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "./args";
import { interrupted } from "./cleanup";
import { ToolError, runCli } from "./errors";
import { jupyterEnv } from "./jupyter-env";
import { startServer, type JupyterServer } from "./jupyter-server";
import { openKernel, type CellResult, type NotebookKernel } from "./kernel-session";
import { cellTimeout, firstLine, insideRoot, readNotebook, sourceText, toV45, writeNotebook, type Notebook } from "./notebook";
import { buildDir as defaultBuildDir, notebooksDir, repoRoot } from "./paths";
import { machineBusySeconds, stealClock, treeCpuSeconds } from "./procs";
import { createProgress, type BuildProgress } from "./progress";
import { jupyterPython } from "./python";

export const DEFAULT_CELL_TIMEOUT = 120;
/** Tag of a cell that measures wall time: nothing else of the runner's runs beside it. */
export const TIMING_TAG = "timing";
/**
 * How many notebooks' kernels start ahead, together. A tslab start-up is seconds of
 * CPU that must not run beside a timing cell: started all at once, before the first
 * cell, the course's 12 start-ups share both cores once and no timing cell waits
 * later (measured: a 116 s build instead of 122 s with two at a time). The cost is
 * memory: each idle kernel holds about 150 MB until its notebook runs.
 */
const KERNELS_AHEAD = 11;
/** Build records kept in the timings file (newest last). */
const KEEP_BUILDS = 20;

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
  /** Wall time the run spent on this notebook: waiting for its kernel, its cells, closing the kernel, writing the copy. */
  seconds: number;
  /** Of which: waiting for its kernel to answer (its whole start-up, less what ran ahead during earlier notebooks). */
  kernelWaitSeconds: number;
  /** Of which: timing cells waiting for the next notebooks' kernels to finish starting. */
  timingWaitSeconds: number;
  /** Of which: shutting its kernel down. */
  closeSeconds: number;
  cells: CellTiming[];
  failure?: CellFailure;
  finishedAt: string;
}

/** One run of the runner, as recorded in the timings file. */
export interface BuildRecord {
  /** Unique per build: its start time plus a random suffix. */
  id: string;
  startedAt: string;
  finishedAt: string;
  /** Wall time from the server's start to the last executed copy written. */
  seconds: number;
  /** CPU time of the runner, the server and every kernel with its workers (less sensitive to other programs than wall time), or null. */
  cpuSeconds: number | null;
  /** The notes command adds: exporting the HTML pages, and its total wall time. */
  exportSeconds?: number;
  totalSeconds?: number;
  jobs: number;
  /** Notebooks in the order run (paths relative to the repository). */
  notebooks: string[];
  passed: number;
  failed: number;
  /** True when it ran every notebook of notebooks/, one at a time: a whole notes build. */
  complete: boolean;
  /** How busy the machine was: CPU cores, 1-minute load average at start and end, and the share of all CPU time during the build spent outside it (other programs). */
  machine: {
    cores: number;
    loadAtStart: number;
    loadAtEnd: number;
    /** Share of the cores' time used by other programs (hypervisor steal included). */
    otherCpuShare: number | null;
    /** Share of the cores' time the hypervisor took (steal), null where unknown. */
    stealShare?: number | null;
  };
}

export interface BuildRunOptions {
  jobs?: number;
  /** Default per-cell timeout in seconds. */
  timeout?: number;
  port?: number;
  buildDir?: string;
  /** Timings JSON file (default <buildDir>/timings.json); entries of other notebooks are kept. */
  timings?: string;
  progress?: BuildProgress;
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
      throw new ToolError(
        `notebook ${a} does not exist (looked for ${abs}). Check the name; the course notebooks are notebooks/NN-name.ipynb, e.g. notebooks/01-introduction.ipynb.`,
      );
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
  if (r.status !== 0)
    console.warn(
      `runner: could not sign the executed notebooks (${(r.stderr || "").trim().split("\n").pop()}); nbclassic will hide their SVG until you run \`jupyter trust\`.`,
    );
}

function isTagged(tags: unknown, tag: string): boolean {
  return Array.isArray(tags) && tags.includes(tag);
}

/** What runNotebook needs besides the notebook: its kernel (maybe already starting) and the run's settings. */
export interface NotebookRunContext {
  timeout: number;
  buildDir: string;
  progress: BuildProgress;
  index: number;
  total: number;
  onProcess?: BuildRunOptions["onProcess"];
  /** The notebook's kernel, opened for it (default: opened here). */
  kernel?: Promise<NotebookKernel>;
  /** Called once the notebook starts: begins opening the next notebooks' kernels. */
  startNext?: () => void;
  /** Resolves when nothing else of the runner's is busy (no kernel starting); awaited before a timing cell. */
  quiet?: () => Promise<void>;
}

/** Runs one notebook in a fresh kernel on `server`. Never rejects for cell failures. */
export async function runNotebook(server: JupyterServer, source: string, nb: Notebook, opts: NotebookRunContext): Promise<NotebookResult> {
  const rel = insideRoot(source, repoRoot);
  const name = basename(source);
  const out = toV45(nb);
  const timeout = cellTimeout(nb, rel, opts.timeout);
  const code = out.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code" && sourceText(c).trim());
  const started = Date.now();
  const cells: CellTiming[] = [];
  let failure: CellFailure | undefined;
  let timingWait = 0;
  opts.progress.notebookStart(opts.index, opts.total, name, code.length);
  for (const c of out.cells) if (c.cell_type === "code") Object.assign(c, { outputs: [], execution_count: null });
  const opening = opts.kernel ?? openKernel(server, rel);
  opts.startNext?.();
  let kernel: NotebookKernel | undefined;
  try {
    kernel = await opening;
  } catch (e) {
    failure = { notebook: rel, cell: 0, firstLine: "", kind: "error", error: (e as Error).message };
  }
  const kernelWait = (Date.now() - started) / 1000;
  let closeSeconds = 0;
  try {
    if (kernel) {
      for (const [k, { c, i }] of code.entries()) {
        if (failure || interrupted()) break;
        opts.progress.cell(name, k + 1, code.length);
        if (k === 0) for (const p of kernel.pid !== undefined ? [kernel.pid] : server.kernelPids()) opts.onProcess?.("kernel", p);
        if (opts.quiet && isTagged(c.metadata.tags, TIMING_TAG)) {
          const t0 = Date.now();
          await opts.quiet();
          timingWait += (Date.now() - t0) / 1000;
        }
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
    const t0 = Date.now();
    await kernel?.close();
    closeSeconds = (Date.now() - t0) / 1000;
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
  return {
    notebook: rel,
    executed,
    status: failure ? "failed" : "passed",
    seconds,
    kernelWaitSeconds: kernelWait,
    timingWaitSeconds: timingWait,
    closeSeconds,
    cells,
    failure,
    finishedAt: new Date().toISOString(),
  };
}

export interface TimingsFile {
  updated: string;
  /** The latest result of each notebook, from whichever build ran it last. */
  notebooks: Record<string, Omit<NotebookResult, "executed" | "notebook"> & { executed: string }>;
  /** The latest builds, oldest first (at most 20). */
  builds: BuildRecord[];
}

/** Reads a timings file (or an empty one when missing/unreadable). */
export function readTimings(file: string): TimingsFile {
  try {
    const t = JSON.parse(readFileSync(file, "utf8")) as TimingsFile;
    if (t && typeof t.notebooks === "object" && t.notebooks) return { ...t, builds: Array.isArray(t.builds) ? t.builds : [] };
  } catch {
    /* start afresh */
  }
  return { updated: "", notebooks: {}, builds: [] };
}

/** Applies `change` to the timings file (read, change, write back). */
export function updateTimings(file: string, change: (t: TimingsFile) => void): void {
  const t = readTimings(file);
  change(t);
  t.builds = t.builds.slice(-KEEP_BUILDS);
  t.updated = new Date().toISOString();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(t, null, 2)}\n`);
}

function writeTimings(file: string, results: NotebookResult[], build: BuildRecord): void {
  updateTimings(file, (t) => {
    for (const r of results) {
      const { notebook, executed, ...rest } = r;
      const rel = relative(repoRoot, executed);
      t.notebooks[notebook] = { ...rest, executed: rel.startsWith("..") ? executed : rel };
    }
    t.builds.push(build);
  });
}

/** True when `sources` are exactly the notebooks of notebooks/ (a whole course build). */
function wholeCourse(sources: string[]): boolean {
  let all: string[];
  try {
    all = resolveNotebooks([]).map((p) => resolve(p));
  } catch {
    return false; // no notebooks/ folder, or nothing in it
  }
  const ran = new Set(sources.map((p) => resolve(p)));
  return all.length === ran.size && all.every((p) => ran.has(p));
}

/**
 * Runs `sources` (paths to .ipynb) against one private server. Resolves with one
 * result per notebook, in the order given. Bad input raises a ToolError first.
 */
export async function runNotebooks(sources: string[], opts: BuildRunOptions = {}): Promise<NotebookResult[]> {
  return (await runBuild(sources, opts)).results;
}

/** runNotebooks, also returning the build's record (also written to the timings file). */
export async function runBuild(sources: string[], opts: BuildRunOptions = {}): Promise<{ results: NotebookResult[]; build: BuildRecord; timings: string }> {
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
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  const busyAtStart = machineBusySeconds();
  const steal = stealClock(cpus().length);
  const cpuAtStart = process.cpuUsage();
  const server = await startServer({ port: opts.port });
  opts.onProcess?.("server", server.pid);
  const results: NotebookResult[] = new Array(loaded.length);
  const context = (i: number) => ({
    timeout: opts.timeout ?? DEFAULT_CELL_TIMEOUT,
    buildDir,
    progress,
    index: i + 1,
    total: loaded.length,
    onProcess: opts.onProcess,
  });
  const open = (i: number) => {
    const p = openKernel(server, insideRoot(loaded[i].source, repoRoot));
    p.catch(() => undefined); // its notebook reports the failure when it gets there
    return p;
  };
  // Kernels opened ahead of their notebooks, by index.
  const ahead = new Map<number, Promise<NotebookKernel>>();
  let ownCpu = NaN;
  try {
    if (jobs === 1) {
      for (let i = 0; i < loaded.length && !interrupted(); i++) {
        const kernel = ahead.get(i) ?? open(i);
        ahead.delete(i);
        results[i] = await runNotebook(server, loaded[i].source, loaded[i].nb, {
          ...context(i),
          kernel,
          startNext: () => {
            // KERNELS_AHEAD at a time: the start-ups share both cores while the
            // notebook waits once, instead of one start-up per notebook on one core.
            if (ahead.has(i + 1)) return;
            for (let j = i + 1; j <= i + KERNELS_AHEAD && j < loaded.length; j++) ahead.set(j, open(j));
          },
          quiet: async () => {
            await Promise.all([...ahead.values()].map((k) => k.catch(() => undefined)));
          },
        });
      }
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(jobs, loaded.length) }, async () => {
          while (next < loaded.length && !interrupted()) {
            const i = next++;
            results[i] = await runNotebook(server, loaded[i].source, loaded[i].nb, context(i));
          }
        }),
      );
    }
    // Every kernel has been shut down and reaped by the server by now: its CPU time is in the server's.
    const cpu = process.cpuUsage(cpuAtStart);
    ownCpu = (cpu.user + cpu.system) / 1e6 + treeCpuSeconds(server.pid);
  } finally {
    progress.close();
    await Promise.all([...ahead.values()].map((k) => k.then((kernel) => kernel.close()).catch(() => undefined)));
    await server.stop();
  }
  if (interrupted()) return new Promise<never>(() => {}); // the signal handler ends the process
  trustNotebooks(results.map((r) => r.executed));
  const finishedAt = new Date();
  const seconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
  const cores = cpus().length;
  const other = (machineBusySeconds() - busyAtStart - ownCpu) / (seconds * cores);
  const build: BuildRecord = {
    id: `${startedAt.toISOString()}-${Math.random().toString(36).slice(2, 8)}`,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds,
    cpuSeconds: Number.isFinite(ownCpu) ? ownCpu : null,
    jobs,
    notebooks: results.map((r) => r.notebook),
    passed: results.filter((r) => r.status === "passed").length,
    failed: results.filter((r) => r.status === "failed").length,
    complete: jobs === 1 && wholeCourse(loaded.map((l) => l.source)),
    machine: {
      cores,
      loadAtStart,
      loadAtEnd: loadavg()[0],
      otherCpuShare: Number.isFinite(other) ? Math.max(0, Math.min(1, other)) : null,
      stealShare: steal.since(),
    },
  };
  const timings = resolve(opts.timings ?? join(buildDir, "timings.json"));
  writeTimings(timings, results, build);
  return { results, build, timings };
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
      return `FAILED ${f.notebook}, ${where}${f.kind === "timeout" ? " timed out" : ""}:\n${text.map((l) => `    ${l}`).join("\n")}`;
    })
    .join("\n\n");
}

export function summary(results: NotebookResult[], seconds: number): string {
  const failed = results.filter((r) => r.status === "failed").length;
  return `${results.length} notebook${results.length === 1 ? "" : "s"}: ${results.length - failed} passed, ${failed} failed (${seconds.toFixed(1)} s)`;
}

/** Appends "kind pid" lines to `file` (for the lifecycle tests). */
export function pidLogger(file: string | undefined): BuildRunOptions["onProcess"] {
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
  if (report) console.error(`\n${report}\n`);
  console.log(
    `runner: ${summary(results, (Date.now() - t0) / 1000)}; executed copies in ${relative(process.cwd(), join(resolve(args.buildDir ?? defaultBuildDir), "notebooks")) || "."}`,
  );
  return results.some((r) => r.status === "failed") ? 1 : 0;
}

if (require.main === module) runCli("runner", () => main(process.argv.slice(2)));
