// Visual check: every chart type rendered in Node, opened in headless Chromium
// (Debian's, driven by playwright-core) and screenshotted to
// tests/artifacts/charts/<name>.png; each PNG must show a real picture.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { renderSvg } from "../../src/charts";
import { CHROMIUM, launch } from "../browser/browser";
import { gallery } from "./fixtures";
import { pngStats } from "./png";

const OUT = join(__dirname, "..", "artifacts", "charts");

const page = (title: string, svg: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="margin:0;background:#fff"><div class="interleave-chart" style="display:inline-block;padding:8px">${svg}</div></body></html>`;

if (!existsSync(CHROMIUM)) {
  test.skip(`every chart type renders to a non-blank PNG (no Chromium at ${CHROMIUM}; set CHROMIUM=…)`, () => {});
} else {
  test("every chart type renders to a non-blank PNG", async () => {
    mkdirSync(OUT, { recursive: true });
    const charts = await gallery();
    let browser: Browser | null = null;
    try {
      browser = await launch();
      const tab = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      // Offline by construction: any request the page makes fails the test.
      const requests: string[] = [];
      tab.on("request", (r) => void requests.push(r.url()));
      for (const [name, chart] of Object.entries(charts)) {
        const svg = await renderSvg(chart);
        const html = page(chart.title, svg);
        assert.ok(!/<script|file:\/\/|https?:\/\/(?!www\.w3\.org)/.test(html.replace(/xmlns(:xlink)?="[^"]*"/g, "")), `${name}: no script or external URL`);
        writeFileSync(join(OUT, `${name}.html`), html);
        await tab.setContent(html);
        const png = join(OUT, `${name}.png`);
        await tab.locator("div.interleave-chart").screenshot({ path: png });
        const s = pngStats(readFileSync(png));
        assert.ok(s.width > 150 && s.height > 100, `${name}: ${s.width}×${s.height}`);
        assert.ok(s.inked > 0.01, `${name}: only ${(s.inked * 100).toFixed(2)}% of pixels are not white`);
        assert.ok(s.colours >= 4, `${name}: only ${s.colours} colours`);
      }
      assert.equal(
        requests.filter((u) => !u.startsWith("about:") && !u.startsWith("data:")),
        [],
        "no network requests",
      );
    } finally {
      await browser?.close();
    }
  });
}

test("the PNG reader rejects what is not a PNG", () => {
  assert.throws(() => pngStats(Buffer.from("GIF89a-not-a-png")), /not a PNG/);
});

test.run();
