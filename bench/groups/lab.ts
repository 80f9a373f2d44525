// lab: the course's JupyterLab (`npm run lab`). Reads the build's record (cold
// build time and size, written by tools/lab-build.ts when scripts/setup.sh built it)
// and measures time-to-notebook: from starting the server as `npm run lab` does to
// chapter 1 shown in headless Chromium with its kernel idle, each repetition with a
// fresh server and browser (the kernel start is part of what a reader waits for).
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../../tools/jupyter-server";
import { courseLab, type Ui } from "../../tools/lab";
import { describe as describeBuild, labAppDir, readLabBuild } from "../../tools/lab-build";
import { notebooksDir } from "../../tools/paths";
import { soloFigure, summarize } from "../stats";
import type { Figure, GroupResult } from "../types";
import { reps, type GroupContext } from "./context";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const NOTEBOOK = "01-introduction.ipynb";

declare const jupyterapp: any; // the page's JupyterLab (exposeAppInBrowser), inside page.evaluate only

/** Seconds from server start to the notebook's cells on screen, and to its kernel idle. */
async function timeToNotebook(lab: Ui): Promise<{ shown: number; idle: number }> {
  const t0 = performance.now();
  const s = await startServer({ ...lab.server, env: { ...lab.server.env, INTERLEAVE_LAB_EXPOSE_APP: "1" }, rootDir: notebooksDir, startTimeout: 90 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${s.baseUrl}lab/tree/${NOTEBOOK}?reset&token=${s.token}`, { timeout: 120_000 });
    await page.locator(".jp-NotebookPanel .jp-Cell .jp-RenderedMarkdown").first().waitFor({ timeout: 120_000 });
    const shown = (performance.now() - t0) / 1000;
    await page.waitForFunction(() => jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === "idle", null, {
      timeout: 120_000,
      polling: 50,
    });
    return { shown, idle: (performance.now() - t0) / 1000 };
  } finally {
    await browser.close();
    await s.stop();
  }
}

export async function labGroup(ctx: GroupContext): Promise<GroupResult> {
  const skip = (why: string): GroupResult => ({ group: "lab", figures: [], skipped: why });
  const lab = courseLab();
  if (typeof lab === "string") return skip(`JupyterLab cannot start: ${lab}`);
  if (!existsSync(CHROMIUM)) return skip(`Chromium is not installed at ${CHROMIUM} (set CHROMIUM)`);
  const build = readLabBuild()!;
  const figures: Figure[] = [
    soloFigure(
      "JupyterLab cold build: npm ci + webpack (recorded by the build)",
      "s",
      summarize([build.npmCiSeconds + build.webpackSeconds]),
      undefined,
      `npm ci ${build.npmCiSeconds.toFixed(0)} s (0: lab/node_modules was current), webpack ${build.webpackSeconds.toFixed(0)} s; built ${build.builtAt}`,
    ),
    soloFigure("JupyterLab application size (what the server serves)", "MB", summarize([build.appBytes / 1e6])),
  ];
  const { reps: n } = reps(ctx, 3, 0);
  const shown: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < (ctx.smoke ? 1 : n); i++) {
    const t = await timeToNotebook(lab);
    ctx.log(`time to notebook: shown ${t.shown.toFixed(1)} s, kernel idle ${t.idle.toFixed(1)} s`);
    shown.push(t.shown);
    idle.push(t.idle);
  }
  figures.push(soloFigure(`npm run lab to ${NOTEBOOK} shown (server start + page + notebook)`, "s", summarize(shown)));
  figures.push(soloFigure(`npm run lab to ${NOTEBOOK}'s kernel idle (tslab ready for the first cell)`, "s", summarize(idle)));
  return { group: "lab", figures, notes: [`build: ${describeBuild(build)}; in ${labAppDir()}`, "each repetition starts a fresh server, browser and kernel"] };
}
