// The tslab adapter: everything interleave knows about the tslab kernel (1.0.22), in
// one module. The library (src/) is plain Node and offers tslab-agnostic hooks; this
// module finds tslab's parts in the kernel process and plugs them in. index.ts calls
// installTslabAdapter() when kernel-helpers loads; outside a tslab kernel (plain Node,
// a worker, a test) it does nothing. tslab's modules are found in require's cache,
// never loaded: loading them outside a kernel would pull in zeromq for nothing.
//
// What tslab does, and what the adapter does about it (measured with a Jupyter
// client: tests/kernel-helpers/papercuts.test.ts, tests/faults/; docs/tslab.md):
// - Displays: tslab keeps the running cell's display writer in dist/jupyter.js
//   (`lastWriteDisplayData`); its public `display.raw` sends one mime type per
//   message, a chart needs a bundle. → charts' useKernelDisplay.
// - Cells are compiled by tslab's own TypeScript 5.0, already in memory. → lent to
//   src/spawn/ship for parsing shipped functions (useTypeScript).
// - Shutdown: tslab closes its sockets and lets the process end once its event loop
//   is empty; running workers would keep it alive until Jupyter kills it. → the
//   handler's close() stops them first.
// - A cell's synchronous part runs in vm.runInThisContext(…, { breakOnSigint }): an
//   interrupt there ends the cell but Node sets every SIGINT listener aside, so the
//   workers the cell started would keep running; and a SIGINT listener added during
//   such a run is left disarmed (src/shm/signals.ts). → each cell run is watched.
// - After a failed cell tslab answers `abort` to every execute request queued behind
//   it or arriving within 200 ms, ignoring the failed request's `stop_on_error` (so
//   nbconvert --allow-errors and cells tagged raises-exception skipped the next
//   cells). → a request with stop_on_error false no longer cancels what follows it.
// - An interrupted async cell printed tslab's own error ("Interrupted
//   asynchronously" and ten frames of executor.js and commander), and runs nobody
//   awaited rejected after the cell went idle ("UnhandledPromiseRejection:
//   InterruptedError …", output a front end drops). → an interrupt stops
//   interleave's runs first, then ends the cell with one line saying what stopped.
// - `{ limit }` naming an earlier cell's variable threw ReferenceError (tslab's
//   rewrite of such names skips shorthand properties). → written out before tslab
//   compiles the cell.
// - A failed cell's execute_reply says only `status: "error"`, without the `ename`,
//   `evalue` and `traceback` Jupyter's protocol requires there (nbgrader's autograde
//   reads `ename` and fails without it). → filled in from the error tslab printed.
// Limit: the adapter starts when a notebook first imports kernel-helpers; the
// importing cell itself is tslab's alone. The cells queued behind it (a JupyterLab
// "Run All" sends every cell at once) are adapted when their turn comes.
import { isMainThread } from "node:worker_threads";
import { setMainThreadPolicy } from "../../src/sync";
import { liveCount, stopAll } from "../../src/spawn";
import { useTypeScript } from "../../src/spawn/ship"; // a hook for hosts, not notebook API
import type { RunData } from "../../src/trace";
import type * as TS from "typescript";
import { closeAllSegments, rearmSigintIfAdded, sigintListeners } from "../../src/shm";
import { useKernelDisplay, type DisplaySink } from "./charts";

/** Set on globalThis once a kernel is adapted: a second copy of kernel-helpers (re-imported after a rebuild) adds no second layer. */
const ADAPTED: unique symbol = Symbol.for("interleave.tslabAdapter") as never;

// tslab's parts, as far as the adapter uses them.
interface TslabJupyter {
  lastWriteDisplayData?: unknown;
  JupyterHandlerImpl?: { prototype: HandlerProto };
  ZmqServer?: { prototype: { publishStatus?: (status: string, parent: unknown) => void } };
}
/** A message as tslab's ZmqMessage holds it. */
interface Message {
  header?: { msg_type?: string };
  content?: { status?: string; execution_count?: number; ename?: string; evalue?: string; traceback?: string[] };
  signAndSend(...a: unknown[]): void;
}
interface ExecuteRequest {
  stop_on_error?: boolean;
}
type Writer = (...a: unknown[]) => void;
interface Executor {
  interrupt(): void;
  execute(src: string): Promise<boolean>;
  /** The values of earlier cells' top-level declarations, by name. */
  locals?: object;
  [ADAPTED]?: boolean;
}
interface Handler {
  executor?: Executor;
  handleExecuteImpl(req: ExecuteRequest, writeStream: Writer, writeDisplayData: Writer): Promise<{ count: number }>;
}
interface HandlerProto {
  handleExecuteImpl: Handler["handleExecuteImpl"];
  close?: (...a: unknown[]) => unknown;
}

/** How long an interrupt waits for interleave's runs to stop before the cell ends anyway. */
const STOP_WAIT_MS = 2000;

/**
 * Adapts this process when it is a tslab kernel's main thread; returns whether it is.
 * Safe to call more than once.
 */
export function installTslabAdapter(): boolean {
  const jupyter = isMainThread ? tslabJupyter() : null;
  const proto = jupyter?.JupyterHandlerImpl?.prototype;
  if (!jupyter || !proto) return false;
  // Per copy of kernel-helpers: each has its own display and compiler hooks.
  useKernelDisplay(() => {
    const write = jupyter.lastWriteDisplayData;
    return typeof write === "function" ? (write as DisplaySink) : null;
  });
  lendTypeScript();
  // The main thread is the notebook itself: a lock or wait that blocks it forever
  // freezes the notebook, so blocking calls there need a timeout or their async form.
  setMainThreadPolicy("refuse");
  // This module loads inside a cell's synchronous run (the cell's `import`), which the
  // wrapper below never sees: check that run once it is over (a microtask runs then).
  const atLoad = sigintListeners();
  queueMicrotask(() => rearmSigintIfAdded(atLoad));

  const g = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (g[ADAPTED]) return true;
  g[ADAPTED] = true;
  stopWorkersOnShutdown(proto);
  adaptReplies(jupyter);
  adaptEachCell(proto);
  watchCellRuns();
  reportStoppedRunsOnce();
  exitWithServer();
  return true;
}

/** tslab's dist/jupyter.js when this process is a tslab kernel, else null. */
function tslabJupyter(): TslabJupyter | null {
  const key = Object.keys(require.cache).find((k) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(k));
  return (key && (require.cache[key]?.exports as TslabJupyter | undefined)) || null;
}

/** tslab's TypeScript, already loaded (it compiled this very import), or null. */
function tslabTypeScript(): typeof TS | null {
  const key = Object.keys(require.cache).find((k) => /[\\/]@tslab[\\/]typescript-for-tslab[\\/]lib[\\/]typescript\.js$/.test(k));
  const ts = key ? (require.cache[key]?.exports as typeof TS | undefined) : undefined;
  return ts && typeof ts.createSourceFile === "function" ? ts : null;
}

/** Hands tslab's TypeScript to the code shipper: loading a second compiler would cost seconds. */
function lendTypeScript(): void {
  const ts = tslabTypeScript();
  if (ts) useTypeScript(ts);
}

function stopWorkersOnShutdown(proto: HandlerProto): void {
  const original = proto.close;
  if (typeof original !== "function") return;
  proto.close = function (this: unknown, ...args: unknown[]) {
    // Unlink the segment names now (mapped memory stays valid for the workers still
    // running): the process may end before the asynchronous stop below completes.
    closeAllSegments();
    void stopAll("the kernel is shutting down");
    return original.apply(this, args);
  };
}

// ---- stop_on_error --------------------------------------------------------------
//
// tslab runs each request as a task of one queue; a cell fails by rejecting its task,
// which cancels every task queued behind it (and tslab's handleExecute then cancels
// what arrives in the next 200 ms). Jupyter's protocol says the failed request's own
// `stop_on_error` decides that. The tasks of requests already queued when
// kernel-helpers loads are chained already, so the only way to keep the queue going is
// to let such a task succeed: a request with stop_on_error false that fails is let
// through the queue, and its reply, which tslab then builds as "ok", leaves as "error".

/** Execution counts of failed cells let through the queue, whose replies must say "error". */
const failedLetThrough = new Set<number>();
/** Whether tslab's messages are adapted (found at the first status message after load). */
let repliesAdapted = false;

/** What an error reply must carry (Jupyter's messaging protocol, execute_reply). */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}
/** What the cell that failed last printed as its error (tslab prints it, then answers "error" with nothing more). */
let lastFailure: ErrorContent | null = null;

/** The first line of a printed error: its name (and a Node error code), then its message. */
const ERROR_HEAD = /^([A-Za-z_$][\w$]*)(?: \[[^\]]*\])?: (.*)$/;

/**
 * The error content of what a failed cell wrote to stderr, from tslab's last print:
 * compile diagnostics ("line:col - message", one write each, and nothing else: the
 * cell never ran), or the error the cell threw, printed as util.inspect shows it
 * ("Name: message" then the stack). Exported for tests.
 */
export function errorContent(writes: readonly string[]): ErrorContent {
  const printed = writes.filter((w) => w.trim() !== "");
  const diagnostic = /^(?:\S+ )?\d+:\d+ - ([\s\S]*)$/;
  if (printed.length > 0 && printed.every((w) => diagnostic.test(w.trim()))) {
    const lines = printed.map((w) => w.trim());
    return { ename: "CompileError", evalue: lines.map((l) => l.replace(diagnostic, "$1")).join("\n"), traceback: lines };
  }
  const last = (printed[printed.length - 1] ?? "").replace(/\n$/, "");
  // A synchronous throw is printed after the line of source it came from: the error starts at its "Name: message" line.
  const lines = last.split("\n");
  const at = lines.findIndex((l) => ERROR_HEAD.test(l));
  if (at >= 0) {
    const [, ename, evalue] = ERROR_HEAD.exec(lines[at])!;
    return { ename, evalue, traceback: lines.slice(at) };
  }
  return { ename: "Error", evalue: last || "the cell failed", traceback: last ? lines : [] };
}

/**
 * tslab's message class is not exported; its instances reach ZmqServer.publishStatus,
 * which runs at the end of every request (the importing cell's first). Its signAndSend
 * turns the "ok" reply of a cell let through into "error", as tslab would have sent it.
 */
function adaptReplies(jupyter: TslabJupyter): void {
  const server = jupyter.ZmqServer?.prototype;
  const publishStatus = server?.publishStatus;
  if (!server || typeof publishStatus !== "function") return;
  server.publishStatus = function (this: unknown, status: string, parent: unknown) {
    if (!repliesAdapted && parent && typeof parent === "object") adaptMessages(Object.getPrototypeOf(parent) as Message);
    return publishStatus.call(this, status, parent);
  };
}

function adaptMessages(proto: Message): void {
  const send = proto.signAndSend;
  if (typeof send !== "function") return;
  proto.signAndSend = function (this: Message, ...args: unknown[]) {
    const c = this.content;
    if (this.header?.msg_type === "execute_reply" && c?.status === "ok" && failedLetThrough.delete(c.execution_count as number)) {
      this.content = { ...c, status: "error" };
    }
    const reply = this.content;
    if (this.header?.msg_type === "execute_reply" && reply?.status === "error" && reply.ename === undefined) {
      const failure = lastFailure ?? { ename: "Error", evalue: "the cell failed (its output says why)", traceback: [] };
      this.content = { ...reply, ...failure };
      lastFailure = null;
    }
    return send.apply(this, args);
  };
  repliesAdapted = true;
}

/** The cell failed and asked not to stop the queue: resolve its task with the count tslab threw. */
function letThrough(req: ExecuteRequest, failure: unknown): unknown {
  const count = (failure as { count?: unknown } | null)?.count;
  if (req?.stop_on_error !== false || !repliesAdapted || typeof count !== "number") throw failure;
  failedLetThrough.add(count);
  return failure;
}

// ---- Interrupts ------------------------------------------------------------------

/** The async cell now awaiting, as the adapter handed it to tslab. */
interface CellRun {
  interrupted: boolean;
  /** Ends the cell with this error (tslab prints it and replies status error). */
  end(error: Error): void;
  /** What the cell's own promise rejected with while it was being stopped. */
  reason?: unknown;
}
let awaiting: CellRun | null = null;
/** An async cell is being stopped (a second interrupt then goes straight to tslab). */
let stopping = false;
/** How many interrupts are stopping runs now; while any is, stopped runs nobody awaited are collected here. */
let stopsUnderway = 0;
const unawaited: unknown[] = [];
/** What an interrupt of an idle kernel stopped: said at the start of the next cell, where a front end shows it. */
let untold: string | null = null;

/** Ends a cell's output with one line, not a stack: util.inspect (console.error) prints the message. */
class CellInterrupted extends Error {
  constructor(line: string) {
    super(line);
    this.name = "Interrupted";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.message;
  }
}

/**
 * tslab compiles a cell to `(function(exports, require) { … })(…)`, or `(async
 * function …` when it awaits at top level, and runs it with vm.runInThisContext(…,
 * { breakOnSigint }), calling it through the module object at each cell: wrapping it
 * here sees every cell. After each synchronous run a SIGINT listener added meanwhile
 * is re-armed (src/shm/signals.ts); a run ended by an interrupt stops interleave's
 * workers and ends the cell with one line. An async cell's promise is handed to tslab
 * through one the adapter can end first when the cell is interrupted.
 */
function watchCellRuns(): void {
  const vm = require("node:vm") as { runInThisContext: (...args: unknown[]) => unknown };
  const original = vm.runInThisContext;
  vm.runInThisContext = function (this: unknown, ...args: unknown[]) {
    const cell = isCellRun(args);
    const before = sigintListeners();
    let ret: unknown;
    try {
      ret = original.apply(this, args);
    } catch (e) {
      if (cell && (e as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw interruptedSynchronously();
      throw e;
    } finally {
      rearmSigintIfAdded(before);
    }
    return cell && ret instanceof Promise ? handOver(ret) : ret;
  };
}

function isCellRun(args: unknown[]): boolean {
  const [code, opts] = args as [unknown, { breakOnSigint?: boolean } | undefined];
  return typeof code === "string" && opts?.breakOnSigint === true && /^\((async )?function\(exports, require\) \{/.test(code);
}

function handOver(cellPromise: Promise<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const cell: CellRun = { interrupted: false, end: reject };
    awaiting = cell;
    const settle = (then: () => void) => {
      if (awaiting === cell) awaiting = null;
      if (!cell.interrupted) then();
    };
    cellPromise.then(
      (v) => settle(() => resolve(v)),
      (e: unknown) => {
        cell.reason = e;
        settle(() => reject(e));
      },
    );
  });
}

/** The cell's synchronous part was interrupted: stop what it started; its line can only count what was live. */
function interruptedSynchronously(): CellInterrupted {
  const live = liveCount();
  void stopAndSettle();
  return new CellInterrupted(interruptLine("during the cell's synchronous part", live, [], 0));
}

/**
 * Each cell runs as `handler.handleExecuteImpl(…)`, looked up when the cell's turn
 * comes: requests queued before kernel-helpers loaded (a JupyterLab "Run All") come
 * through here too.
 */
function adaptEachCell(proto: HandlerProto): void {
  const original = proto.handleExecuteImpl;
  proto.handleExecuteImpl = function (this: Handler, req, ...rest) {
    adaptExecutor(this);
    return original
      .call(this, req, ...rest)
      .catch((e: unknown) => letThrough(req, e) as { count: number })
      .finally(() => (awaiting = null)); // once tslab is done with the cell nothing of it awaits
  };
}

/**
 * tslab's executor runs each cell (execute) and is what tslab's SIGINT listener calls
 * (interrupt), both looked up on the object at each call. It is reachable from the
 * handler only: it is adapted when the first cell after kernel-helpers loaded runs.
 */
function adaptExecutor(h: Handler): void {
  const ex = h.executor;
  if (!ex || typeof ex.interrupt !== "function" || typeof ex.execute !== "function" || ex[ADAPTED]) return;
  const tslabInterrupt = ex.interrupt.bind(ex);
  ex.interrupt = () => interruptCell(tslabInterrupt);
  const tslabExecute = ex.execute.bind(ex);
  ex.execute = async (src: string) => {
    if (untold) console.error(untold); // tslab has pointed stderr at this cell
    untold = null;
    // tslab prints a cell's error to stderr (its writer for this cell) and returns false: keep what was written, for the reply.
    const writes: string[] = [];
    const tslabWrite = process.stderr.write;
    const keep = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
      writes.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return (tslabWrite as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof process.stderr.write;
    process.stderr.write = keep;
    try {
      const ok = await tslabExecute(expandShorthands(src, ex.locals));
      lastFailure = ok ? null : errorContent(writes);
      return ok;
    } finally {
      if (process.stderr.write === keep) process.stderr.write = tslabWrite; // unless something set its own since
    }
  };
  ex[ADAPTED] = true;
}

/**
 * tslab turns a name declared by an earlier cell into `exports.name`, deciding with
 * the type checker, which resolves the name of a shorthand property (`{ limit }`) to
 * the property, not to the variable: the name was left as it was and the cell threw
 * ReferenceError. `{ limit }` means `{ limit: limit }` in JavaScript, so each
 * shorthand naming an earlier cell's declaration is written out in full before
 * tslab compiles the cell; tslab's checker then decides as for any other use (a
 * parameter or a new declaration of that name still wins). Positions after it on the
 * same line shift in error messages. A cell that does not parse is left to tslab.
 */
export function expandShorthands(src: string, locals: object | undefined, ts: typeof TS | null = tslabTypeScript()): string {
  const earlier = new Set(locals ? Object.keys(locals) : []);
  if (!ts || earlier.size === 0) return src;
  // Parse only a cell that may hold one: a name of an earlier cell after `{` or `,` and before `,` `}` or `=`.
  if (![...src.matchAll(/[{,]\s*([A-Za-z_$][\w$]*)\s*[,}=]/g)].some((m) => earlier.has(m[1]))) return src;
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  if ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) return src;
  const ends: { at: number; name: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isShorthandPropertyAssignment(node) && earlier.has(node.name.text)) ends.push({ at: node.name.end, name: node.name.text });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let out = src;
  for (const { at, name } of ends.sort((a, b) => b.at - a.at)) out = `${out.slice(0, at)}: ${name}${out.slice(at)}`;
  return out;
}

/**
 * Stops interleave's runs and pools (at most STOP_WAIT_MS), then ends the awaiting
 * cell with one line: what was interrupted and what was stopped, runs nobody awaited
 * included (their rejections are reported there instead of after the cell). When
 * no cell of the adapter's awaits (the importing cell, an idle kernel), tslab ends
 * what it runs at once; a line about runs stopped unawaited opens the next cell.
 * A second interrupt while stopping ends the cell tslab's way at once.
 */
function interruptCell(tslabInterrupt: () => void): void {
  const cell = awaiting;
  const live = liveCount();
  if (stopping || !cell) tslabInterrupt();
  if (stopping || (!cell && live === 0)) return;
  stopping = !!cell;
  if (cell) cell.interrupted = true;
  void stopAndSettle().then((seen) => {
    if (cell) stopping = false;
    const line = interruptLine(cell ? "while the cell awaited" : "", live, cell ? [cell.reason, ...seen] : seen, seen.length);
    if (cell) cell.end(new CellInterrupted(line));
    else if (seen.length) untold = line;
  });
}

/** Stops every run and pool; resolves with the rejections of those nobody awaited. */
async function stopAndSettle(): Promise<unknown[]> {
  const from = unawaited.length;
  stopsUnderway++;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([stopAll("the cell was interrupted"), new Promise((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    // A stopped run nobody awaits is reported (unhandledRejection) once the microtasks
    // after its rejection are done: let that happen before the line is written.
    await new Promise((r) => setTimeout(r, 20));
    return unawaited.slice(from);
  } finally {
    if (--stopsUnderway === 0) unawaited.length = 0;
  }
}

/**
 * The line an interrupted cell ends with, e.g. "Interrupted while the cell awaited:
 * interleave stopped threads.run (4 threads) and processes.run (1 process; not awaited)."
 * `live` counts the runs and pools that were running; `errors` are the rejections seen
 * (a run's InterruptedError carries its RunData), the last `notAwaited` of them from
 * runs nobody awaited. Runs seen by no one (a Promise.all keeps all but the first
 * rejection to itself) are counted.
 */
export function interruptLine(when: string, live: number, errors: unknown[], notAwaited: number): string {
  const head = when ? `Interrupted ${when}` : "Interrupted";
  if (live === 0) return `${head}.`;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts: string[] = [];
  errors.forEach((e, i) => {
    if ((e as Error | null)?.name !== "InterruptedError") return;
    const run = (e as { run?: RunData }).run;
    const tail = i >= errors.length - notAwaited ? "; not awaited" : "";
    parts.push(run ? `${run.kind}.run (${plural(run.n, run.kind.replace(/e?s$/, ""), run.kind)}${tail})` : `a pool${tail ? " (not awaited)" : ""}`);
  });
  const unseen = live - parts.length;
  if (unseen > 0) parts.push(plural(unseen, parts.length ? "more run or pool" : "run or pool", parts.length ? "more runs or pools" : "runs or pools"));
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  return `${head}: interleave stopped ${list}.`;
}

/**
 * tslab prints every unhandled rejection as "UnhandledPromiseRejection: …" with its
 * stack, whenever it comes. While an interrupt is being reported, those of runs the
 * interrupt stopped are counted in its line instead. Only tslab's listeners (those
 * present when the adapter starts) are wrapped; Node's default is never replaced.
 */
function reportStoppedRunsOnce(): void {
  const theirs = process.listeners("unhandledRejection");
  if (!theirs.length) return;
  for (const l of theirs) process.removeListener("unhandledRejection", l);
  process.on("unhandledRejection", (reason, promise) => {
    if (stopsUnderway > 0 && (reason as Error | null)?.name === "InterruptedError") {
      unawaited.push(reason);
      return;
    }
    for (const l of theirs) l.call(process, reason, promise);
  });
}

/**
 * A kernel whose Jupyter server was killed (SIGKILL: no shutdown request) is
 * re-parented and would run on forever with its workers. Poll the parent pid
 * (cheap, unref'd) and leave with it, stopping every worker first.
 */
function exitWithServer(): void {
  const server = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === server) return;
    clearInterval(watch);
    void stopAll("the Jupyter server is gone").finally(() => process.exit(1));
  }, 1000);
  watch.unref();
}
