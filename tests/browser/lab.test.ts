// The course in JupyterLab 4, driven in headless Chromium as a reader would use it:
// the server `npm run lab` starts (lab/server.py on Debian's jupyterlab-server), every
// chapter notebook opened and Run All from JupyterLab's command, each code cell run
// with no error output (cells tagged raises-exception may fail), charts drawn by
// JupyterLab's Vega-Lite renderer with no console warning. In the first chapter, after
// its Run All: a live display updated in place, the toolbar's interrupt stopping a
// multi-worker cell, the toolbar's restart leaving no worker, process or /dev/shm segment.
//
// Skips only where Chromium is absent. LAB_NOTEBOOKS=01,04 runs those chapters only
// (for development: the full run takes minutes). Autosave is off and nothing is
// saved: the test checks that notebooks/ is unchanged.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { startServer, type JupyterServer } from "../../tools/jupyter-server";
import { courseLab } from "../../tools/lab";
import { notebooksDir } from "../../tools/paths";
import { alive } from "../../tools/procs";
import { descendants, segmentsOf, until, workerProcesses } from "../faults/helpers";
import { CHROMIUM, launch, shot, watch, type Watch } from "./browser";

const chapters = readdirSync(notebooksDir)
  .filter((n) => /^\d\d-.*\.ipynb$/.test(n))
  .filter((n) => !process.env.LAB_NOTEBOOKS || process.env.LAB_NOTEBOOKS.split(",").some((p) => n.startsWith(p.trim())))
  .sort();
const NOTEBOOK_TIMEOUT = 240_000;

let server: JupyterServer | undefined;
let browser: Browser | undefined;
let page: Page;
let seen: Watch;
const warnings: string[] = [];
const pids = new Set<number>();
let userDir = "";
const fingerprint = () =>
  readdirSync(notebooksDir)
    .filter((n) => n.endsWith(".ipynb"))
    .map(
      (n) =>
        `${n} ${createHash("sha256")
          .update(readFileSync(join(notebooksDir, n)))
          .digest("hex")}`,
    )
    .join("\n");
let before = "";

declare const jupyterapp: any; // the page's JupyterLab (exposeAppInBrowser), used inside page.evaluate only

const skip = !existsSync(CHROMIUM) ? `Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)` : undefined;

test.before(async () => {
  if (skip) return;
  try {
    await start();
  } catch (err) {
    console.error("lab.test: set-up failed:", err); // uvu does not print errors of hooks
    throw err;
  }
});

async function start(): Promise<void> {
  const lab = courseLab();
  if (typeof lab === "string") throw new Error(`JupyterLab cannot start: ${lab}.`);
  before = fingerprint();
  // Fresh settings and layout for the test: autosave off, so nothing is written to notebooks/.
  userDir = mkdtempSync(join(tmpdir(), "interleave-lab-test-"));
  const docmanager = join(userDir, "user-settings", "@jupyterlab", "docmanager-extension");
  mkdirSync(docmanager, { recursive: true });
  writeFileSync(join(docmanager, "plugin.jupyterlab-settings"), JSON.stringify({ autosave: false }));
  server = await startServer({
    ...lab.server,
    env: { ...lab.server.env, INTERLEAVE_LAB_USER_DIR: userDir, INTERLEAVE_LAB_EXPOSE_APP: "1" },
    rootDir: notebooksDir,
    startTimeout: 90,
  });
  pids.add(server.pid);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const origin = server.baseUrl.replace(/\/$/, "");
  seen = await watch(page, (url) => url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:"));
  page.on("console", (m) => {
    if (m.type() === "warning") warnings.push(m.text());
  });
  await page.goto(`${server.baseUrl}lab?reset&token=${server.token}`, { waitUntil: "load", timeout: 90_000 });
  await page.waitForFunction(() => typeof jupyterapp !== "undefined" && jupyterapp.started !== undefined, null, { timeout: 90_000 });
  await page.evaluate(() => jupyterapp.restored);
}

// A safety net when a test failed half-way (the last test checks the stop itself).
test.after(async () => {
  await browser?.close();
  await server?.stop();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

/** Opens `path` (a file of notebooks/) with a double click in the file browser, and waits for its kernel. */
async function open(path: string): Promise<void> {
  await page.locator(".jp-DirListing-item", { has: page.locator(".jp-DirListing-itemText", { hasText: path }) }).dblclick();
  await page.waitForFunction((p) => jupyterapp.shell.currentWidget?.context?.path === p, path, { timeout: 30_000 });
  await page.evaluate(async () => {
    const panel = jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
  });
  await page.waitForFunction(() => jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.connectionStatus === "connected", null, {
    timeout: 90_000,
  });
  // Ready means answering on this connection, iopub included: a request's `done` needs its reply and its idle
  // status. Twice in a full run (never alone) a fresh kernel showed idle while Run All's requests never settled;
  // JupyterLab itself only waits for one kernel_info or a timeout before sending (its FIXME in kernel/default.js).
  // So one empty request first, and on silence a reconnect, as the Kernel menu's Reconnect does; each is logged.
  const attempts: string[] = await page.evaluate(async () => {
    const kernel = jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const log: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const future = kernel.requestExecute({ code: "", silent: true, store_history: false });
      const answered = await Promise.race([future.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
      if (answered) return log;
      log.push(`attempt ${attempt}: no answer in 15 s (kernel ${kernel.status}, ${kernel.connectionStatus}); reconnecting`);
      future.dispose();
      await kernel.reconnect();
    }
    log.push("the kernel never answered");
    return log;
  });
  if (attempts.length) console.warn(`${path}: ${attempts.join("; ")}`);
  assert.ok(!attempts.includes("the kernel never answered"), `${path}: the kernel never answered an empty request`);
  const id: string = await page.evaluate(() => jupyterapp.shell.currentWidget.sessionContext.session.kernel.id);
  const pid = server!.kernelPid(id);
  if (pid) pids.add(pid);
}

interface CellReport {
  index: number;
  ran: boolean;
  tags: string[];
  errors: string[];
}

/** Runs every cell (the Run menu's "Run All Cells") and waits until the kernel is idle with every code cell numbered. */
async function runAll(): Promise<CellReport[]> {
  // The command resolves once every cell has run. It is bounded here: a cell whose reply never comes
  // would otherwise hold the whole suite; this way the test fails and names the cells still waiting.
  const finished: boolean = await page.evaluate(
    (ms) => Promise.race([jupyterapp.commands.execute("notebook:run-all-cells").then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]),
    NOTEBOOK_TIMEOUT,
  );
  if (!finished) {
    const state: string = await page.evaluate(() => {
      const panel = jupyterapp.shell.currentWidget;
      const waiting = panel.content.widgets
        .map((c: any, index: number) => ({ c, index }))
        .filter(({ c }: any) => c.model.type === "code" && c.model.executionState === "running")
        .map(({ index }: any) => index);
      return `cells still running: [${waiting.join(", ")}]; kernel ${panel.sessionContext.session?.kernel?.status}`;
    });
    await page.screenshot({ path: shot("lab-run-all-stuck.png") });
    assert.unreachable(`Run All did not finish within ${NOTEBOOK_TIMEOUT / 1000} s: ${state}`);
  }
  await page.waitForFunction(
    () => {
      const panel = jupyterapp.shell.currentWidget;
      const cells = panel.content.widgets.filter((c: any) => c.model.type === "code");
      const pending = cells.some((c: any) => c.model.executionState === "running");
      return !pending && panel.sessionContext.session?.kernel?.status === "idle";
    },
    null,
    { timeout: NOTEBOOK_TIMEOUT, polling: 250 },
  );
  return page.evaluate(() =>
    jupyterapp.shell.currentWidget.content.widgets
      .map((c: any, index: number) => ({ c, index }))
      .filter(({ c }: any) => c.model.type === "code")
      .map(({ c, index }: any) => {
        const outputs = c.model.outputs.toJSON();
        return {
          index,
          ran: typeof c.model.executionCount === "number",
          tags: (c.model.getMetadata("tags") as string[] | undefined) ?? [],
          errors: outputs
            .filter((o: any) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
            .map((o: any) => (o.output_type === "error" ? `${o.ename}: ${o.evalue}` : String(o.text)).slice(0, 300)),
        };
      }),
  );
}

/** Closes the current notebook without saving and shuts its kernel down. */
async function closeCurrent(): Promise<void> {
  await page.evaluate(async () => {
    const panel = jupyterapp.shell.currentWidget;
    await panel.sessionContext.shutdown();
    panel.context.model.dirty = false;
    panel.dispose();
  });
}

/** Outputs of the current notebook whose bundle holds our Vega-Lite mime type. */
const vegaOutputs = (): Promise<number> =>
  page.evaluate(
    () =>
      jupyterapp.shell.currentWidget.content.widgets
        .filter((c: any) => c.model.type === "code")
        .flatMap((c: any) => c.model.outputs.toJSON())
        .filter((o: any) => o.data && "application/vnd.vegalite.v5+json" in o.data).length,
  );

/** The current notebook panel's element, for locators scoped to it (other notebooks may be open). */
const current = async () => page.locator(`#${await page.evaluate(() => jupyterapp.shell.currentWidget.id)}`);

/** Run All of one chapter and its checks; the first chapter stays open for the live checks. */
function chapterTest(name: string, keep: boolean): void {
  test(`${name}: Run All in JupyterLab, every cell ran with no error output`, async () => {
    if (skip) return console.log(`skipped: ${skip}`);
    await open(name);
    const cells = await runAll();
    await page.screenshot({ path: shot(`lab-${name.replace(/\.ipynb$/, "")}.png`) });
    const notRun = cells.filter((c) => !c.ran).map((c) => c.index);
    const failed = cells.filter((c) => c.errors.length && !c.tags.includes("raises-exception"));
    assert.equal(notRun, [], `${name}: code cells that did not run (Run All stops at an error)`);
    assert.equal(
      failed.map((c) => `cell ${c.index}: ${c.errors.join(" | ")}`),
      [],
      `${name}: error output`,
    );
    // Charts: every output carrying our Vega-Lite bundle is drawn by JupyterLab's Vega-Lite
    // renderer (not the SVG beside it), as an interactive vega-embed view with its actions menu.
    const charts = await vegaOutputs();
    if (name.startsWith("01")) assert.ok(charts >= 1, "chapter 1 shows charts");
    const panel = await current();
    await page.waitForFunction(
      (n) => jupyterapp.shell.currentWidget.node.querySelectorAll(".jp-RenderedVegaLite .vega-embed :is(canvas, svg)").length >= n,
      charts,
      { timeout: 60_000, polling: 250 },
    );
    assert.is(await panel.locator(".jp-RenderedVegaLite").count(), charts, "Vega-Lite outputs drawn by the Vega-Lite renderer");
    assert.is(await panel.locator(".jp-RenderedVegaLite .vega-embed details").count(), charts, "each chart has vega-embed's actions menu");
    if (keep) await keepForLiveChecks();
    else await closeCurrent();
  });
}

let liveOpen = false;
/** Keeps the first chapter open for the live checks, and takes the README's picture: its first chart in view. */
async function keepForLiveChecks(): Promise<void> {
  liveOpen = true;
  const chart = (await current()).locator(".jp-RenderedVegaLite").first();
  if (await chart.count()) {
    await chart.evaluate((el) => el.closest(".jp-Cell")!.scrollIntoView({ block: "center" }));
    await page.waitForTimeout(500);
    await page.screenshot({ path: shot("jupyterlab.png") });
    // Interactive: moving the mouse over the chart's marks shows Vega's tooltip.
    const view = chart.locator(".vega-embed :is(canvas, svg)").first();
    const box = (await view.boundingBox())!;
    let shown = false;
    for (let y = 0.2; y < 1 && !shown; y += 0.1) {
      for (let x = 0.1; x < 1 && !shown; x += 0.05) {
        await page.mouse.move(box.x + x * box.width, box.y + y * box.height);
        shown = await page.locator("#vg-tooltip-element.visible").isVisible();
      }
    }
    assert.ok(shown, "a tooltip appears over the first chart");
    await page.mouse.move(0, 0);
  } else await page.screenshot({ path: shot("jupyterlab.png") });
}

/** Appends a code cell holding `source` to the current notebook and runs it; returns its index. */
async function appendAndRun(source: string): Promise<number> {
  return page.evaluate(async (src) => {
    const panel = jupyterapp.shell.currentWidget;
    const nb = panel.content;
    nb.activeCellIndex = nb.widgets.length - 1;
    await jupyterapp.commands.execute("notebook:insert-cell-below");
    nb.activeCell.model.sharedModel.setSource(src);
    void jupyterapp.commands.execute("notebook:run-cell");
    return nb.widgets.length - 1;
  }, source);
}

// biome-ignore lint/performance/useDomNodeTextContent: the output as the reader sees it (textContent would include hidden text)
const cellText = (i: number) => page.evaluate((n) => jupyterapp.shell.currentWidget.content.widgets[n].outputArea.node.innerText as string, i);
const cellDone = (i: number, timeout: number) =>
  page.waitForFunction(
    (n) => {
      const model = jupyterapp.shell.currentWidget.content.widgets[n].model;
      return model.executionState !== "running" && typeof model.executionCount === "number";
    },
    i,
    { timeout, polling: 50 },
  );
const kernelPid = async () => server!.kernelPid(await page.evaluate(() => jupyterapp.shell.currentWidget.sessionContext.session.kernel.id))!;

if (chapters.length) chapterTest(chapters[0], true);

test("a live display (progress) updates in place", async () => {
  if (skip || !liveOpen) return console.log(skip ? `skipped: ${skip}` : "skipped: no chapter was run");
  const i = await appendAndRun(
    'import { progress } from "kernel-helpers";\n{\n  const p = progress(6, "live");\n  for (let k = 0; k < 6; k++) { await new Promise((r) => setTimeout(r, 250)); p.tick(); }\n  p.finish();\n}',
  );
  const seenTexts = new Set<string>();
  const counts = new Set<number>();
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const s = await page.evaluate((n) => {
      const area = jupyterapp.shell.currentWidget.content.widgets[n].outputArea.node;
      const bars = area.querySelectorAll(".interleave-progress");
      return { count: bars.length, text: bars[0]?.textContent ?? "" };
    }, i);
    if (s.count) {
      counts.add(s.count);
      seenTexts.add(s.text);
    }
    if (/6\/6/.test(s.text)) break;
    await page.waitForTimeout(100);
  }
  await cellDone(i, 30_000);
  assert.equal([...counts], [1], "one progress display, replaced in place");
  assert.ok(seenTexts.size >= 3, `the display changed while the cell ran (${[...seenTexts].join(" / ")})`);
});

test("the toolbar's interrupt stops a multi-worker cell within 2 s; the next cell answers", async () => {
  if (skip || !liveOpen) return console.log(skip ? `skipped: ${skip}` : "skipped: no chapter was run");
  const kernel = await kernelPid();
  const i = await appendAndRun(
    'import { threads, processes } from "kernel-helpers";\nawait new Promise((r) => setTimeout(r, 0));\nconsole.log("busy cell started");\nconst spin = () => { for (;;) {} };\nawait Promise.all([threads.run(2, spin, {}, { deadlockAfter: Infinity }), processes.run(2, spin, {}, { deadlockAfter: Infinity })]);',
  );
  // biome-ignore lint/performance/useDomNodeTextContent: the output as the reader sees it (textContent would include hidden text)
  await page.waitForFunction((n) => /busy cell started/.test(jupyterapp.shell.currentWidget.content.widgets[n].outputArea.node.innerText), i, {
    timeout: 60_000,
  });
  assert.ok(await until(() => workerProcesses(kernel).length === 2, 30_000), "2 worker processes started");
  const workers = workerProcesses(kernel);
  const t0 = Date.now();
  await (await current()).locator('.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"] jp-button').click();
  await cellDone(i, 10_000);
  const stopped = Date.now() - t0;
  await page.waitForTimeout(300); // tslab may answer "abort" to a request within ~200 ms of an error (issue 19, 3a)
  const next = await appendAndRun('console.log("after the interrupt:", 6 * 7);');
  await cellDone(next, 10_000);
  await page.screenshot({ path: shot("lab-interrupt.png") });
  assert.ok(stopped < 2000, `the interrupted cell ended ${stopped} ms after the click`);
  assert.match(await cellText(next), "after the interrupt: 42");
  assert.ok(await until(() => workers.every((p) => !alive(p)), 3000), `worker processes left: ${workers.filter(alive)}`);
});

test("the toolbar's restart leaves no worker, process or /dev/shm segment of the old kernel", async () => {
  if (skip || !liveOpen) return console.log(skip ? `skipped: ${skip}` : "skipped: no chapter was run");
  const old = await kernelPid();
  const i = await appendAndRun(
    'import { processes, sharedArray } from "kernel-helpers";\nconst counts = sharedArray("int32", 2, { shared: "process" });\nconsole.log("sharing started");\nawait processes.run(2, ({ id, counts }) => { for (;;) counts.add(id, 1); }, { counts }, { deadlockAfter: Infinity });',
  );
  // biome-ignore lint/performance/useDomNodeTextContent: the output as the reader sees it (textContent would include hidden text)
  await page.waitForFunction((n) => /sharing started/.test(jupyterapp.shell.currentWidget.content.widgets[n].outputArea.node.innerText), i, {
    timeout: 60_000,
  });
  assert.ok(await until(() => workerProcesses(old).length === 2, 30_000), "2 worker processes started");
  assert.ok(segmentsOf(old).length >= 1, "a /dev/shm segment while the run goes on");
  const family = [old, ...descendants(old)];
  await (await current()).locator('.jp-NotebookPanel-toolbar [data-jp-item-name="restart"] jp-button').click();
  await page.locator(".jp-Dialog .jp-mod-accept").click({ timeout: 10_000 });
  assert.ok(await until(() => family.every((p) => !alive(p)), 15_000), `left after restart: ${family.filter(alive)}`);
  assert.ok(await until(() => segmentsOf(old).length === 0, 3000), `segments left: ${segmentsOf(old)}`);
  await page.waitForFunction(() => jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === "idle", null, { timeout: 60_000 });
  const next = await appendAndRun('console.log("fresh kernel:", 6 * 7);');
  await cellDone(next, 60_000);
  assert.match(await cellText(next), "fresh kernel: 42");
  pids.add(await kernelPid());
  await closeCurrent();
});

for (const name of chapters.slice(1)) chapterTest(name, false);

// Warnings JupyterLab gives for what the kernel or a restart does, not for our outputs:
// tslab does not answer history requests; a restart drops the kernel's websocket.
const expectedWarnings = [/^History was unable to be retrieved$/, /^Connection lost, reconnecting in \d+ seconds\.$/];

test("JupyterLab made no request outside the server; no console error, no warning about our outputs", () => {
  if (skip) return console.log(`skipped: ${skip}`);
  assert.equal(seen.refused, [], "requests outside the server");
  assert.equal(
    warnings.filter((w) => !expectedWarnings.some((re) => re.test(w))),
    [],
    "console warnings",
  );
  assert.equal(seen.errors, [], "console errors");
});

test("stopped: no server, kernel or worker left, notebooks/ unchanged", async () => {
  if (skip) return console.log(`skipped: ${skip}`);
  await browser?.close();
  await server?.stop();
  browser = server = undefined;
  assert.equal([...pids].filter(alive), [], "server, kernels and workers gone");
  assert.is(fingerprint(), before, "notebooks/ unchanged by the test (autosave is off, nothing saved)");
});

test.run();
