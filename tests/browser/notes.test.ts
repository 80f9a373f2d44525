// The exported course notes in a real browser, offline: the index and every page
// built (chapters 01, 07 and 12, a representative subset; 12 has the animation)
// open from file:// with the network closed. No request may leave the page or reach
// a file outside the site folder, every chart's <svg> has a non-zero size, chapter
// 12's animation SVG is there, the console stays clean. One screenshot per page.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { buildNotes, type NotesResult } from "../../tools/notes";
import { notebooksDir } from "../../tools/paths";
import { insideFolder, launch, shot, watch } from "./browser";

const CHAPTERS = ["01-introduction", "07-barriers", "12-deadlocks"];
const work = mkdtempSync(join(tmpdir(), "interleave-browser-notes-"));
const site = join(work, "site");
let built: NotesResult | undefined;
let browser: Browser | undefined;

test.before(async () => {
  console.debug = () => {}; // @jupyterlab/services announces every WebSocket
  built = await buildNotes(
    CHAPTERS.map((c) => join(notebooksDir, `${c}.ipynb`)),
    {
      buildDir: join(work, "build"),
      siteDir: site,
      timings: join(work, "build", "timings.json"),
    },
  );
  browser = await launch();
});

test.after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

test("the chapters built and passed", () => {
  for (const r of built!.results) assert.is(r.status, "passed", `${basename(r.notebook)}: ${r.failure?.error ?? ""}`);
  assert.is(built!.pages.length, CHAPTERS.length);
});

for (const page of ["index", ...CHAPTERS]) {
  test(`${page}.html offline in chromium: no request out, charts drawn, no console error`, async () => {
    const p = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      const w = await watch(p, insideFolder(site));
      await p.goto(pathToFileURL(join(site, `${page}.html`)).href, { waitUntil: "load", timeout: 60_000 });
      await p.waitForTimeout(300); // let late scripts (if any) run and fail visibly
      await p.screenshot({ path: shot(`${page}.png`), fullPage: true });
      assert.equal(w.refused, [], "requests that left the site folder");
      assert.equal(w.errors, [], "console errors");
      if (page === "index") {
        for (const c of CHAPTERS) assert.ok(await p.locator(`a[href="${c}.html"]`).count(), `index links ${c}`);
        return;
      }
      // Charts are top-level <svg> elements in the outputs (an <svg> nested in another is part of its chart).
      const charts = p.locator("svg:not(svg svg)");
      const n = await charts.count();
      assert.ok(n >= 1, "at least one chart");
      for (let i = 0; i < n; i++) {
        const svg = charts.nth(i);
        await svg.scrollIntoViewIfNeeded();
        const box = await svg.boundingBox();
        assert.ok(box && box.width > 0 && box.height > 0, `chart ${i + 1} of ${n} has size ${JSON.stringify(box)}`);
      }
      if (page === "12-deadlocks") {
        const animated = await p.locator("svg:has(animate), svg:has(set)").count();
        assert.ok(animated >= 1, "the trains animation SVG (with <animate>/<set>)");
      }
    } finally {
      await p.close();
    }
  });
}

test.run();
