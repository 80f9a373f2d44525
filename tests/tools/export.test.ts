// The course notes: run + nbconvert export + index page, on the passing fixture,
// into temporary build/site folders. Also the normal-exit lifecycle check.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fixture, fixtures, readPids, removeDir, runTool, stillAlive, tempDir, type ToolRun } from "./helpers";

const dir = tempDir("notes");
const site = join(dir, "site");
let run: ToolRun;

test.before(async () => {
  run = await runTool("notes", [fixture("pass"), "--build-dir", join(dir, "build"), "--site-dir", site, "--pid-log", join(dir, "pids")]);
});
test.after(() => removeDir(dir));

test("notes exit 0 and write one page per notebook plus the index", () => {
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, "1 notebook: 1 passed, 0 failed");
  assert.ok(existsSync(join(site, "pass.html")));
  assert.ok(existsSync(join(site, "index.html")));
});

test("the exported page shows each SVG chart exactly once, inline", () => {
  const html = readFileSync(join(site, "pass.html"), "utf8");
  for (const id of ["fixture-html-svg", "fixture-raw-svg", "fixture-bundle-svg"]) {
    const n = html.split(`<circle id="${id}"`).length - 1;
    assert.is(n, 1, `${id} appears ${n} times as an SVG element`);
  }
  assert.match(html, "hello from the kernel");
});

test("pages and index work offline: no file:// URL, no script loaded from anywhere", () => {
  for (const name of ["pass.html", "index.html"]) {
    const html = readFileSync(join(site, name), "utf8");
    assert.not.match(html, "file://", name);
    // the only script a page may load is a file of the site itself (the book's search.js)
    for (const [, src] of html.matchAll(/<script[^>]*\bsrc="([^"]*)"/gi))
      assert.ok(!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src) && existsSync(join(site, src)), `${name}: script ${src}`);
  }
  assert.match(readFileSync(join(site, "pass.html"), "utf8"), 'href="index.html"');
});

test("the index lists every notebook present, with link, run time and status", () => {
  const html = readFileSync(join(site, "index.html"), "utf8");
  const present = readdirSync(fixtures).filter((n) => n.endsWith(".ipynb"));
  for (const n of present) assert.match(html, `<small>${n}</small>`);
  assert.match(html, '<a href="pass.html">A passing fixture</a>');
  assert.match(html, /<span class="time">\d+\.\d s<\/span><span class="status ok">passed<\/span>/);
  assert.match(html, "not run yet");
});

test("after a normal exit, the server and its kernel are gone", async () => {
  const pids = readPids(join(dir, "pids"));
  assert.is(pids.server.length, 1);
  assert.is(pids.kernel.length, 1);
  assert.equal(await stillAlive([...pids.server, ...pids.kernel]), []);
});

test.run();
