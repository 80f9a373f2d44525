// A notebook UI run-through in headless chromium: the project's server with the
// nbclassic UI (as `npm run lab` starts it), a small fixture notebook opened, all cells
// run through the UI, the chart output present and no error output; then a
// long-running cell interrupted from the UI and a next cell that must answer. After
// it: the server and kernel are gone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import type { Browser, Page } from "playwright-core";
import { which } from "../../tools/jupyter-env";
import { startServer, type JupyterServer } from "../../tools/jupyter-server";
import { repoRoot } from "../../tools/paths";
import { alive } from "../../tools/procs";
import { threadCount, until } from "../faults/helpers";
import { artifacts, launch, shot, watch, type Watch } from "./browser";

// nbclassic autosaves: run a copy in the (git-ignored) artefacts folder, inside the
// repository so that the kernel finds kernel-helpers in node_modules.
const runDir = join(artifacts, "ui-run");
const nbPath = join(runDir, "ui.ipynb");
let server: JupyterServer | undefined;
let browser: Browser | undefined;
let page: Page;
let seen: Watch;
const pids = new Set<number>();

declare const Jupyter: any; // nbclassic's page global, used inside page.evaluate only

test.before(async () => {
  mkdirSync(runDir, { recursive: true });
  copyFileSync(join(__dirname, "fixtures/ui.ipynb"), nbPath);
  const command = which("jupyter-nbclassic") ? "jupyter-nbclassic" : "jupyter-notebook";
  server = await startServer({ command, appClass: command === "jupyter-nbclassic" ? "ServerApp" : "NotebookApp", rootDir: repoRoot, startTimeout: 90 });
  pids.add(server.pid);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const origin = server.baseUrl.replace(/\/$/, "");
  seen = await watch(page, (url) => url.startsWith(origin) || url.startsWith("data:"));
  const rel = relative(repoRoot, nbPath).split("\\").join("/");
  await page.goto(`${server.baseUrl}notebooks/${rel}?token=${server.token}`, { waitUntil: "load", timeout: 90_000 });
  // biome-ignore lint/complexity/useOptionalChain: Jupyter is undeclared until the page defines it; only typeof reads it without throwing
  await page.waitForFunction(() => typeof Jupyter !== "undefined" && Jupyter.notebook?.kernel?.is_connected?.() && Jupyter.notebook.kernel_selector, null, {
    timeout: 90_000,
  });
  for (const k of server.kernelPids()) pids.add(k);
});

test.after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(runDir, { recursive: true, force: true });
  const left = [...pids].filter(alive);
  assert.equal(left, [], "server and kernel gone after the UI test");
});

/** Waits until no code cell shows "In [*]" and every code cell has run (a number). */
async function allCellsDone(timeout: number): Promise<void> {
  await page.waitForFunction(
    () => Jupyter.notebook.get_cells().every((c: any) => c.cell_type !== "code" || typeof c.input_prompt_number === "number") && !Jupyter.notebook.kernel_busy,
    null,
    { timeout, polling: 200 },
  );
}

// biome-ignore lint/performance/useDomNodeTextContent: innerText is the output as the reader sees it (line breaks included)
const outputText = (i: number) => page.evaluate((n) => Jupyter.notebook.get_cell(n).output_area.element[0].innerText as string, i);

test("Run All through the UI: a chart appears, no error output", async () => {
  await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  await allCellsDone(120_000);
  await page.screenshot({ path: shot("ui-run-all.png"), fullPage: true });
  assert.ok((await page.locator(".output_area svg").count()) >= 1, "an svg chart in an output area");
  const box = await page.locator(".output_area svg").first().boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, "the chart has a size");
  assert.is(
    await page.locator(".output_stderr, .output_error").count(),
    0,
    await page
      .locator(".output_stderr")
      .allInnerTexts()
      .then((t) => t.join("\n")),
  );
  assert.match(await outputText(0), "results 0,1");
  assert.match(await outputText(1), "second cell ran");
  for (const k of server!.kernelPids()) pids.add(k);
});

test("interrupt a long-running cell from the UI; the next cell answers", async () => {
  const kernel = server!.kernelPids()[0];
  const before = threadCount(kernel);
  const n = await page.evaluate(() => {
    const nb = Jupyter.notebook;
    const long = nb.insert_cell_at_bottom("code");
    long.set_text(
      'await new Promise((r) => setTimeout(r, 0));\nconsole.log("long cell started");\nawait threads.run(2, () => { for (;;) {} }, {}, { deadlockAfter: Infinity });',
    );
    const next = nb.insert_cell_at_bottom("code");
    next.set_text('console.log("after the interrupt:", 6 * 7);');
    long.execute();
    return nb.ncells() - 2;
  });
  // biome-ignore lint/performance/useDomNodeTextContent: innerText is the output as the reader sees it
  await page.waitForFunction((i) => /long cell started/.test(Jupyter.notebook.get_cell(i).output_area.element[0].innerText), n, { timeout: 60_000 });
  await page.waitForTimeout(500);
  const t0 = Date.now();
  await page.evaluate(() => Jupyter.notebook.kernel.interrupt());
  await page.waitForFunction((i) => typeof Jupyter.notebook.get_cell(i).input_prompt_number === "number", n, { timeout: 10_000 });
  const stopped = Date.now() - t0;
  await page.waitForTimeout(300); // tslab answers "abort" to a request within ~200 ms of an error
  await page.evaluate((i) => Jupyter.notebook.get_cell(i).execute(), n + 1);
  // biome-ignore lint/performance/useDomNodeTextContent: innerText is the output as the reader sees it
  await page.waitForFunction((i) => /after the interrupt: 42/.test(Jupyter.notebook.get_cell(i).output_area.element[0].innerText), n + 1, { timeout: 10_000 });
  await page.screenshot({ path: shot("ui-interrupt.png"), fullPage: true });
  assert.ok(stopped < 5000, `the interrupted cell ended after ${stopped} ms`);
  assert.match(await outputText(n), /interrupt/i);
  assert.ok(await until(() => threadCount(kernel) <= before, 3000), `the kernel's busy threads stopped (${threadCount(kernel)} > ${before})`);
});

test("the UI made no request outside the server", () => {
  assert.equal(seen.refused, []);
});

test.run();
