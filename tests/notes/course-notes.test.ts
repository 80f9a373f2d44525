// The main job, end to end: every chapter notebook runs top to bottom in a fresh
// tslab kernel through the project's own server and runner, and its HTML page is
// written. Each chapter must show its charts, print nothing on stderr,
// and its page must carry the charts as inline SVG with no file:// or remote script.
// Built once into a temporary folder (the committed sources and site/ are untouched).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { buildNotes, type NotesResult } from "../../tools/notes";
import { chapters } from "../../tools/syllabus";
import { notebooksDir } from "../../tools/paths";
import { CHAPTERS, joined, type Cell } from "./chapters";

const work = mkdtempSync(join(tmpdir(), "interleave-notes-"));
const present = chapters.map((c) => join(notebooksDir, c.file)).filter((p) => existsSync(p));
let built: NotesResult | undefined;

test.before(async () => {
  console.debug = () => {}; // @jupyterlab/services announces every WebSocket
  built = await buildNotes(present, {
    buildDir: join(work, "build"),
    siteDir: join(work, "site"),
    timings: join(work, "build", "timings.json"),
  });
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test("all twelve chapters are present", () => {
  assert.equal(
    present.map((p) => basename(p)),
    chapters.map((c) => c.file),
  );
});

for (const chapter of CHAPTERS) {
  test(`${chapter.file}: runs clean, with charts, and exports`, () => {
    const result = built!.results.find((r) => basename(r.notebook) === chapter.file);
    assert.ok(result, `${chapter.file} was not run`);
    assert.is(result!.status, "passed", result!.failure ? `${result!.failure.firstLine}\n${result!.failure.error}` : "");
    const nb = JSON.parse(readFileSync(result!.executed, "utf8")) as { cells: Cell[] };
    const outputs = nb.cells.flatMap((c) => (c.cell_type === "code" && !(c.metadata?.tags ?? []).includes("raises-exception") ? (c.outputs ?? []) : []));
    const charts = outputs.filter((o) => o.output_type === "display_data" && o.data && "image/svg+xml" in o.data);
    assert.ok(charts.length >= chapter.minCharts, `at least ${chapter.minCharts} charts, found ${charts.length}`);
    // The bundle serves every front end: SVG (nbclassic, the notes), the Vega-Lite spec
    // (interactive in JupyterLab) and a text table (terminals, screen readers).
    for (const c of charts) assert.ok(joined(c.data!["text/plain"] as string | string[]).trim(), "a chart has a text fallback");
    assert.ok(
      charts.some((c) => c.data!["application/vnd.vegalite.v5+json"]),
      "charts carry their Vega-Lite spec",
    );
    const stderr = outputs.filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"));
    assert.equal(
      stderr.map((o) => joined(o.text).slice(0, 400)),
      [],
      "no error output",
    );
    const page = readFileSync(join(work, "site", chapter.file.replace(/\.ipynb$/, ".html")), "utf8");
    assert.ok((page.match(/<svg/g) ?? []).length >= charts.length, "every chart is inline SVG in the page");
    assert.not.ok(/<script[^>]+src=["'](file:|https?:|\/\/)/i.test(page), "no file:// or remote script");
  });
}

test("the index links every chapter with its status", () => {
  const index = readFileSync(built!.index, "utf8");
  for (const c of chapters) assert.ok(index.includes(`href="${c.file.replace(/\.ipynb$/, ".html")}"`), c.file);
});

test.run();
