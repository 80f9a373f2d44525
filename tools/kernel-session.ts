// One kernel for one notebook, through a Jupyter session (the session's path makes
// the server start the kernel in the notebook's folder), and cell execution with
// tslab's quirks handled:
// - no execute_result: the value arrives on stdout (kept as a stream output);
// - errors arrive as stderr text plus reply status "error" (no `error` message);
// - requests sent within ~200 ms of an error are answered "abort": wait, retry.
import { KernelConnection, ServerConnection, SessionAPI } from "@jupyterlab/services";
import type { KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import { ToolError } from "./errors";
import { inheritedNice, setSessionNice } from "./procs";
import type { JupyterServer } from "./jupyter-server";
import type { Output } from "./notebook";

export type CellStatus = "ok" | "error" | "timeout";

export interface CellResult {
  status: CellStatus;
  outputs: Output[];
  executionCount: number | null;
  /** The error text (stderr, or ename/evalue/traceback) when status is not ok. */
  errorText: string;
  seconds: number;
}

export interface NotebookKernel {
  /** The kernel process (undefined if it could not be found in /proc). */
  pid: number | undefined;
  /** Runs `code`; resolves when the kernel replies or, after `timeoutSec`, once it was interrupted. Never rejects for cell errors. */
  execute(code: string, timeoutSec: number): Promise<CellResult>;
  /** Shuts the kernel down (the session is deleted). Idempotent. */
  close(): Promise<void>;
}

const ABORT_WINDOW_MS = 250;
/** How long a kernel_info request may go unanswered before it is sent again, while a kernel starts. */
const KERNEL_INFO_RETRY_MS = 5000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the ANSI colour codes this strips
const ansi = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * Opens a session (kernel `kernelName`) for the notebook at `path` (relative to the
 * server root). A kernel that does not answer within `startTimeoutSec` is shut down
 * and one more is started in its place (said on stderr): on a loaded 2-core machine
 * a start-up among a dozen has, rarely, never answered while the others did. Raises
 * a ToolError naming both attempts when the second does not answer either.
 */
export async function openKernel(server: JupyterServer, path: string, kernelName = "tslab", startTimeoutSec = 60): Promise<NotebookKernel> {
  let started: StartedKernel;
  try {
    started = await startKernel(server, path, kernelName, startTimeoutSec);
  } catch (first) {
    if (!(first instanceof NoAnswer)) throw first; // the server refused it: no second try
    process.stderr.write(`the ${kernelName} kernel for ${path} did not answer within ${startTimeoutSec} s (${(first as Error).message}); starting another\n`);
    try {
      started = await startKernel(server, path, kernelName, startTimeoutSec);
    } catch (second) {
      throw new ToolError(
        `the ${kernelName} kernel for ${path} did not answer within ${startTimeoutSec} s, twice (${(first as Error).message}; then ${(second as Error).message}). ` +
          "Check that `node node_modules/tslab/bin/tslab --version` works, then run `npm run kernel:setup`.",
      );
    }
  }
  return session(started);
}

/** A kernel that was started but did not answer within the start timeout. */
class NoAnswer extends Error {}

interface StartedKernel {
  pid: number | undefined;
  kernel: KernelConnection;
  close(): Promise<void>;
}

/** One start: the session, its kernel at the tool's priority, a connection that has answered kernel_info. Shuts it down and rejects on timeout. */
async function startKernel(server: JupyterServer, path: string, kernelName: string, startTimeoutSec: number): Promise<StartedKernel> {
  const settings = ServerConnection.makeSettings({
    baseUrl: server.baseUrl,
    wsUrl: server.baseUrl.replace(/^http/, "ws"),
    token: server.token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const model = await SessionAPI.startSession({ path, name: path.split("/").pop() ?? path, type: "notebook", kernel: { name: kernelName } }, settings);
  if (!model.kernel) throw new ToolError(`the Jupyter server started no kernel for ${path}.`);
  // The process exists once the session does; give its session the tool's raised
  // priority now, before tslab's start-up (seconds of CPU) runs.
  const pid = server.kernelPid(model.kernel.id);
  const nice = inheritedNice();
  if (pid !== undefined && nice !== undefined) setSessionNice(pid, nice);
  const kernel = new KernelConnection({ model: model.kernel, serverSettings: settings, handleComms: false });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    kernel.dispose();
    await SessionAPI.shutdownSession(model.id, settings).catch(() => undefined);
  };
  try {
    // Requests fail until the WebSocket is up; then kernel_info waits for tslab itself.
    const deadline = Date.now() + startTimeoutSec * 1000;
    while (kernel.connectionStatus !== "connected") {
      if (Date.now() > deadline) throw new NoAnswer(`WebSocket ${kernel.connectionStatus}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Asked again every few seconds: a request sent while the kernel is still binding
    // its sockets can be lost, and one lost request must not cost the whole timeout.
    for (;;) {
      const left = deadline - Date.now();
      try {
        await withTimeout(kernel.requestKernelInfo(), Math.max(1000, Math.min(KERNEL_INFO_RETRY_MS, left)));
        break;
      } catch (e) {
        if (!(e instanceof TimedOut) || Date.now() >= deadline) throw e; // a refusal is final; only silence is asked again
      }
    }
  } catch (e) {
    await close();
    throw e instanceof NoAnswer ? e : new NoAnswer((e as Error).message);
  }
  return { pid, kernel, close };
}

/** Cell execution on a started kernel. */
function session({ pid, kernel, close }: StartedKernel): NotebookKernel {
  // display_id → outputs showing it (update_display_data may target an earlier cell).
  const displays = new Map<string, Output[]>();
  let lastErrorAt = 0;

  const executeOnce = async (code: string, timeoutSec: number) => {
    const outputs: Output[] = [];
    let clearPending = false;
    let executionCount: number | null = null;
    let stderr = "";
    let errorMsg = "";
    const add = (o: Output) => {
      if (clearPending) {
        outputs.length = 0;
        clearPending = false;
      }
      outputs.push(o);
    };
    const future = kernel.requestExecute({ code, silent: false, store_history: true, allow_stdin: false, stop_on_error: false });
    future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
      // biome-ignore lint/suspicious/noExplicitAny: the content's fields depend on msg_type; each case below reads its own
      const c = msg.content as Record<string, any>;
      switch (msg.header.msg_type) {
        case "execute_input":
          executionCount = c.execution_count ?? executionCount;
          break;
        case "stream": {
          if (c.name === "stderr") stderr += c.text;
          const last = outputs[outputs.length - 1];
          if (!clearPending && last?.output_type === "stream" && last.name === c.name) last.text = (last.text as string) + c.text;
          else add({ output_type: "stream", name: c.name, text: c.text });
          break;
        }
        case "display_data":
        case "execute_result": {
          const o: Output =
            msg.header.msg_type === "display_data"
              ? { output_type: "display_data", data: c.data, metadata: c.metadata ?? {} }
              : { output_type: "execute_result", data: c.data, metadata: c.metadata ?? {}, execution_count: c.execution_count ?? null };
          add(o);
          const id = c.transient?.display_id;
          if (typeof id === "string") displays.set(id, [...(displays.get(id) ?? []), o]);
          break;
        }
        case "update_display_data": {
          for (const o of displays.get(c.transient?.display_id) ?? []) {
            o.data = c.data;
            o.metadata = c.metadata ?? {};
          }
          break;
        }
        case "clear_output":
          if (c.wait) clearPending = true;
          else outputs.length = 0;
          break;
        case "error":
          errorMsg = `${c.ename}: ${c.evalue}\n${(c.traceback ?? []).join("\n")}`;
          add({ output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback ?? [] });
          break;
      }
    };
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutSec * 1000)));
    let reply: KernelMessage.IExecuteReplyMsg | "timeout" = await Promise.race([future.done, expired]).catch((e) => {
      throw e;
    });
    clearTimeout(timer);
    if (reply === "timeout") {
      timedOut = true;
      await kernel.interrupt().catch(() => undefined);
      // The interrupted cell replies "error"; give it a moment, then give up on it.
      reply = await withTimeout(future.done, 10_000).catch(() => "timeout" as const);
    }
    const status = reply === "timeout" ? "error" : (reply.content.status as string);
    if (reply !== "timeout" && typeof reply.content.execution_count === "number") executionCount = reply.content.execution_count;
    return { outputs, executionCount, stderr, errorMsg, status, timedOut };
  };

  const execute = async (code: string, timeoutSec: number): Promise<CellResult> => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const wait = lastErrorAt + ABORT_WINDOW_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const r = await executeOnce(code, timeoutSec);
      const seconds = (Date.now() - started) / 1000;
      if ((r.status === "abort" || r.status === "aborted") && attempt < 5) {
        lastErrorAt = Date.now();
        continue; // still inside the abort window of an earlier error
      }
      if (r.status === "ok" && !r.timedOut) return { status: "ok", outputs: r.outputs, executionCount: r.executionCount, errorText: "", seconds };
      lastErrorAt = Date.now();
      const errorText = r.timedOut
        ? `cell did not finish within ${timeoutSec} s; the kernel was interrupted${r.stderr.trim() ? `\n${r.stderr.replace(ansi, "").trim()}` : ""}`
        : (r.errorMsg || r.stderr || `the kernel answered status "${r.status}" without an error message`).replace(ansi, "").trim();
      return { status: r.timedOut ? "timeout" : "error", outputs: r.outputs, executionCount: r.executionCount, errorText, seconds };
    }
  };

  return { pid, execute, close };
}

/** withTimeout's rejection when the time ran out (not the promise's own failure). */
class TimedOut extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimedOut(`timed out after ${ms} ms`)), ms))),
  ]);
}
