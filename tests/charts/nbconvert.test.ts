// What nbconvert 6.5 makes of our display bundles (no kernel needed: the
// outputs are written into a notebook file by hand, as a kernel would send them).
//  - "interactive" bundle (SVG + Vega-Lite + text) through the course's notes
//    template (tools/nbconvert/interleave.html.j2): each chart's SVG exactly once;
//  - "static" bundle (adds text/html) through stock nbconvert: the SVG survives,
//    exactly once per chart, although stock nbconvert strips image/svg+xml.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSvg, barsChart, waitForChart } from "../../src/charts";
import { mimeBundle, type ChartMode } from "../../kernel-helpers/src/charts";
import { deadlockGraph } from "./fixtures";

const NBCONVERT = "/usr/bin/jupyter-nbconvert";
const TEMPLATE = join(__dirname, "..", "..", "tools", "nbconvert", "interleave.html.j2");

async function exportHtml(m: ChartMode, template: string | null): Promise<string> {
  const charts = [barsChart({ a: 2, b: 5 }, { title: "First chart" }), waitForChart(deadlockGraph(), { title: "Second chart" })];
  for (const c of charts) await renderSvg(c);
  const nb = {
    cells: charts.map((c, i) => ({
      cell_type: "code",
      execution_count: i + 1,
      id: `c${i}`,
      metadata: {},
      source: "await show(chart)",
      outputs: [{ output_type: "display_data", data: mimeBundle(c, m), metadata: {} }],
    })),
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const dir = mkdtempSync(join(tmpdir(), "interleave-nbconvert-"));
  try {
    writeFileSync(join(dir, "charts.ipynb"), JSON.stringify(nb));
    const args = ["--to", "html", ...(template ? ["--template-file", template] : []), "--output", "out", join(dir, "charts.ipynb")];
    const r = spawnSync(NBCONVERT, args, { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.is(r.status, 0, `nbconvert failed: ${r.stderr}`);
    return readFileSync(join(dir, "out.html"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rendered charts in the page: full vega SVGs (a stripped one keeps no <text>). */
function chartTitles(html: string): string[] {
  return [...html.matchAll(/font-weight="bold" fill="#000" opacity="1">(First chart|Second chart)</g)].map((m) => m[1]);
}

if (!existsSync(NBCONVERT)) {
  test.skip("nbconvert keeps each chart once (jupyter-nbconvert not installed)", () => {});
} else {
  test("interactive bundle + the notes template: each chart's SVG once, offline", async () => {
    if (!existsSync(TEMPLATE)) return console.log(`(no ${TEMPLATE} yet: skipped)`);
    const html = await exportHtml("interactive", TEMPLATE);
    assert.equal(chartTitles(html).sort(), ["First chart", "Second chart"]);
    assert.is((html.match(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g) ?? []).length, 2);
    assert.not.match(html, /file:\/\//);
    assert.not.match(html, /<script[^>]+src=/);
  });

  test("static bundle + stock nbconvert: the HTML-wrapped SVG survives, once per chart", async () => {
    const html = await exportHtml("static", null);
    assert.equal(chartTitles(html).sort(), ["First chart", "Second chart"]);
    assert.is((html.match(/class="interleave-chart"/g) ?? []).length, 2);
  });
}

test.run();
