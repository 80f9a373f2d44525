// The tslab adapter (kernel-helpers/src/tslab.ts) against a real tslab kernel behind
// the project's Jupyter server, driven as a front end does: requests sent without
// waiting for the previous reply, stop_on_error set per request, interrupts, and
// every iopub message watched, also after the kernel went idle.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KernelConnection, ServerConnection, SessionAPI, type KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import { startServer, type JupyterServer } from "../../tools/jupyter-server";
import { descendants, sleep, until } from "../faults/helpers";

const SESSION_PATH = "tests/kernel-helpers/papercuts-session.ipynb";

let server: JupyterServer;
let kernel: KernelConnection;
let sessionId = "";
let settings: ServerConnection.ISettings;
let kernelPid = 0;
/** Every stream message, with the time it came and the request it answers. */
const streams: { at: number; parent: string; name: string; text: string }[] = [];

interface Reply {
  status: string;
  /** An error reply's ename, evalue and traceback (Jupyter's protocol requires them). */
  error?: { ename?: string; evalue?: string; traceback?: string[] };
  stdout: string;
  stderr: string;
  /** When the kernel said idle for this request. */
  idleAt: number;
  msgId: string;
}

/** Sends one execute request now; resolves once its reply and its idle status came. */
function execute(code: string, stopOnError = true): Promise<Reply> {
  const future = kernel.requestExecute({ code, silent: false, store_history: true, allow_stdin: false, stop_on_error: stopOnError });
  let stdout = "",
    stderr = "",
    idleAt = 0;
  future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
    const c = msg.content as { name?: string; text?: string; execution_state?: string };
    if (msg.header.msg_type === "stream") {
      if (c.name === "stderr") stderr += c.text;
      else stdout += c.text;
    } else if (msg.header.msg_type === "status" && c.execution_state === "idle") idleAt = Date.now();
  };
  return future.done.then((reply) => ({
    status: (reply.content as { status: string }).status,
    error: reply.content as Reply["error"],
    stdout,
    stderr,
    idleAt: idleAt || Date.now(),
    msgId: future.msg.header.msg_id,
  }));
}

async function ok(code: string): Promise<Reply> {
  const r = await execute(code);
  assert.is(r.status, "ok", r.stderr);
  return r;
}

test.before(async () => {
  console.debug = () => {}; // @jupyterlab/services announces every WebSocket
  server = await startServer();
  settings = ServerConnection.makeSettings({
    baseUrl: server.baseUrl,
    wsUrl: server.baseUrl.replace(/^http/, "ws"),
    token: server.token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const model = await SessionAPI.startSession({ path: SESSION_PATH, name: "papercuts", type: "notebook", kernel: { name: "tslab" } }, settings);
  sessionId = model.id;
  kernel = new KernelConnection({ model: model.kernel!, serverSettings: settings, handleComms: false });
  kernelPid = server.kernelPid(model.kernel!.id) ?? 0;
  assert.ok(await until(() => kernel.connectionStatus === "connected", 60_000), "the kernel's WebSocket connected");
  await kernel.requestKernelInfo();
  kernel.iopubMessage.connect((_, msg) => {
    if (msg.header.msg_type !== "stream") return;
    const c = msg.content as { name: string; text: string };
    streams.push({ at: Date.now(), parent: (msg.parent_header as { msg_id?: string }).msg_id ?? "", name: c.name, text: c.text });
  });
  await ok(`import { threads, processes, stopAll } from "kernel-helpers";\nawait threads.run(1, () => 1);`);
  await ok(`await processes.run(1, () => 1);`); // the second request: the adapter has met tslab's handler
});

test.after(async () => {
  kernel?.dispose();
  if (settings && sessionId) await SessionAPI.shutdownSession(sessionId, settings).catch(() => undefined);
  await server?.stop();
});

test("a failed cell sent with stop_on_error false does not cancel the requests behind it", async () => {
  const [failed, next, last] = await Promise.all([
    execute(`throw new Error("on purpose")`, false),
    execute(`console.log("next ran")`, false),
    execute(`console.log("last ran")`, false),
  ]);
  assert.is(failed.status, "error");
  assert.match(failed.stderr, "on purpose");
  assert.is(next.status, "ok", `the next request was answered ${next.status}`);
  assert.match(next.stdout, "next ran");
  assert.is(last.status, "ok");
  assert.match(last.stdout, "last ran");
  // And straight after the reply, as nbclient sends the next cell.
  const again = await execute(`throw new Error("again")`, false);
  assert.is(again.status, "error");
  const after = await execute(`console.log(6 * 7)`, false);
  assert.is(after.status, "ok");
  assert.match(after.stdout, "42");
});

test("a failed cell sent with stop_on_error true still stops the queue (Jupyter's protocol)", async () => {
  const [failed, next] = await Promise.all([execute(`throw new Error("stop here")`, true), execute(`console.log("must not run")`, true)]);
  assert.is(failed.status, "error");
  assert.is(next.status, "abort");
  assert.not.match(next.stdout, "must not run");
  await sleep(300); // tslab's 200 ms window
  await ok(`console.log("runs again")`);
});

test("an error reply names the error (ename, evalue, traceback), thrown or a compile error, as nbgrader reads it", async () => {
  // stop_on_error false: a failed request then cancels nothing behind it (tested above)
  const thrown = await execute(`class GradeError extends Error { name = "GradeError"; }\nthrow new GradeError("the balance ended wrong");`, false);
  assert.is(thrown.status, "error");
  assert.is(thrown.error?.ename, "GradeError", thrown.stderr);
  assert.is(thrown.error?.evalue, "the balance ended wrong");
  assert.ok(Array.isArray(thrown.error?.traceback) && (thrown.error?.traceback?.length ?? 0) > 0, "a traceback");
  const awaited = await execute(`await Promise.reject(new RangeError("late"));`, false);
  assert.equal([awaited.status, awaited.error?.ename, awaited.error?.evalue], ["error", "RangeError", "late"]);
  const compile = await execute(`const n: number = "not a number";`, false);
  assert.is(compile.status, "error");
  assert.is(compile.error?.ename, "CompileError");
  assert.match(compile.error?.evalue ?? "", /not assignable to type 'number'/);
  const fine = await ok("1 + 1");
  assert.is(fine.error?.ename, undefined, "an ok reply carries no error");
});

test("a shorthand property naming an earlier cell's variable works", async () => {
  await ok(`const limit = 5;\nfunction before(limit: number) { return { limit }; }`);
  const r = await ok(`const shadow = (limit: number) => ({ limit });\nconsole.log(JSON.stringify({ limit }), before(1).limit, shadow(2).limit);`);
  assert.match(r.stdout, '{"limit":5} 1 2');
});

/**
 * Runs `code`, interrupts it once `ready` says it runs (an interrupt that lands while
 * tslab still compiles the cell is lost, tslab's own behaviour), and returns its reply
 * and what came on iopub after its idle.
 */
async function interrupted(code: string, ready: (sentAt: number) => boolean): Promise<{ reply: Reply; late: string }> {
  const sentAt = Date.now();
  const running = execute(code);
  assert.ok(await until(() => ready(sentAt), 30_000), "the cell runs");
  await sleep(200);
  await kernel.interrupt();
  const reply = await running;
  await sleep(1500); // anything a stopped run still says would come now
  const late = streams
    .filter((s) => s.at > reply.idleAt)
    .map((s) => s.text)
    .join("");
  return { reply, late };
}

const workerKids = () => descendants(kernelPid).length;

test("an interrupted async cell prints one line naming what interleave stopped", async () => {
  const kids = workerKids();
  const { reply, late } = await interrupted(
    `const spin = () => { for (;;) {} };
await new Promise((r) => setTimeout(r, 0));
await Promise.all([threads.run(2, spin, {}, { deadlockAfter: Infinity }), processes.run(2, spin, {}, { deadlockAfter: Infinity })]);`,
    () => workerKids() >= kids + 2,
  );
  assert.is(reply.status, "error");
  const lines = reply.stderr.trim().split("\n");
  assert.is(lines.length, 1, `one line, got:\n${reply.stderr}`);
  assert.match(lines[0], /^Interrupted while the cell awaited: interleave stopped /);
  assert.match(lines[0], /threads\.run \(2 threads\)|processes\.run \(2 processes\)/);
  assert.not.match(reply.stderr, /executor\.js|commander| {4}at /);
  assert.is(late, "", "nothing after the cell ended");
  assert.ok(await until(() => workerKids() <= kids, 3000), "the child processes are gone");
  await ok(`console.log("answers")`);
});

test("runs nobody awaited are reported once, inside the interrupted cell", async () => {
  await ok(
    `threads.run(1, () => { for (;;) {} }, {}, { deadlockAfter: Infinity }); processes.run(1, () => { for (;;) {} }, {}, { deadlockAfter: Infinity }); "started"`,
  );
  const { reply, late } = await interrupted(`console.log("READY");\nawait new Promise((r) => setTimeout(r, 60_000));`, (sentAt) =>
    streams.some((s) => s.at >= sentAt && s.text.includes("READY")),
  );
  assert.is(reply.status, "error", reply.stdout + reply.stderr);
  const lines = reply.stderr.trim().split("\n");
  assert.is(lines.length, 1, `one line, got:\n${reply.stderr}`);
  assert.match(lines[0], "threads.run (1 thread; not awaited)");
  assert.match(lines[0], "processes.run (1 process; not awaited)");
  assert.is(late, "", `nothing after the cell ended, got: ${late}`);
  assert.not.match(streams.map((s) => s.text).join(""), "UnhandledPromiseRejection");
  await ok(`console.log("answers")`);
});

test("an interrupt of an idle kernel stops the runs nobody awaited and says so in the next cell", async () => {
  const kids = workerKids();
  const started = await ok(`processes.run(1, () => { for (;;) {} }, {}, { deadlockAfter: Infinity }); "started"`);
  assert.ok(await until(() => workerKids() >= kids + 1, 30_000), "the process started");
  await kernel.interrupt();
  assert.ok(await until(() => workerKids() <= kids, 3000), "the child process is gone");
  await sleep(1000);
  assert.is(
    streams
      .filter((s) => s.at > started.idleAt)
      .map((s) => s.text)
      .join(""),
    "",
    "nothing while idle",
  );
  const next = await ok(`console.log("next")`);
  assert.is(next.stderr.trim(), "Interrupted: interleave stopped processes.run (1 process; not awaited).");
  assert.match(next.stdout, "next");
  assert.is((await ok(`console.log("again")`)).stderr, "", "said once");
});

test("an interrupt during a cell's synchronous part prints one line, and the run it left is not reported after", async () => {
  const kids = workerKids();
  const { reply, late } = await interrupted(
    `processes.run(1, () => { for (;;) {} }, {}, { deadlockAfter: Infinity });
const end = Date.now() + 20_000;
while (Date.now() < end) {}`,
    () => workerKids() >= kids + 1,
  );
  assert.is(reply.status, "error");
  assert.match(reply.stderr.trim(), /^Interrupted during the cell's synchronous part: interleave stopped 1 run or pool\.$/, reply.stderr);
  assert.is(late, "", `nothing after the cell ended, got: ${late}`);
  assert.ok(await until(() => workerKids() <= kids, 3000), "the child process is gone");
  await ok(`console.log("answers")`);
});

test("a fresh kernel given every cell at once (Run All): the cells queued behind the import are adapted too", async () => {
  await kernel.restart();
  assert.ok(await until(() => kernel.connectionStatus === "connected", 60_000), "the kernel is back");
  await kernel.requestKernelInfo();
  // The first cell holds the queue a second: every request has reached tslab before kernel-helpers loads.
  const [, imported, failed, declared, used, waited] = await Promise.all([
    execute(`await new Promise((r) => setTimeout(r, 1000));`),
    execute(`import { threads } from "kernel-helpers";`),
    execute(`throw new Error("on purpose")`, false), // the very next cell
    execute(`const limit = 5;`),
    execute(`console.log(JSON.stringify({ limit }));`),
    execute(`console.log("READY-ALL");\nawait new Promise((r) => setTimeout(r, 60_000));`),
    sleep(0).then(async () => {
      assert.ok(await until(() => streams.some((s) => s.text.includes("READY-ALL")), 60_000), "the last cell runs");
      await kernel.interrupt();
    }),
  ]);
  for (const r of [imported, declared, used]) assert.is(r.status, "ok", r.stderr);
  assert.is(failed.status, "error");
  assert.match(failed.stderr, "on purpose");
  assert.match(used.stdout, '{"limit":5}');
  assert.is(waited.status, "error");
  assert.is(waited.stderr.trim(), "Interrupted while the cell awaited.");
});

test.run();
