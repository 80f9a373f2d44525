// Pure parts of the tools: notebook reading/upgrading, argument parsing, the
// index page, the HTML guard, the kernelspec. No server.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "../../tools/args";
import { ToolError } from "../../tools/errors";
import { balance, stripExternalScripts, htmlName } from "../../tools/export-html";
import { renderIndex, type IndexEntry } from "../../tools/index-page";
import { kernelPreload, kernelSpec, setupKernelspecs } from "../../tools/kernelspec";
import { cellTimeout, insideRoot, readNotebook, toLines, toV45, type Notebook } from "../../tools/notebook";
import { readTimings, resolveNotebooks, updateTimings } from "../../tools/runner";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { machineBusySeconds, setSessionNice, treeCpuSeconds } from "../../tools/procs";
import { chapters } from "../../tools/syllabus";
import { createProgress } from "../../tools/progress";
import { fixture, removeDir, root, tempDir } from "./helpers";
import { throwsError } from "../throws";

const dir = tempDir("unit");
test.after(() => removeDir(dir));

const throwsTool = (fn: () => unknown, text: string) => throwsError(fn, ToolError, text);

test("toV45 gives every cell a unique id and keeps the content", () => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 2,
    metadata: {},
    cells: [
      { cell_type: "code", source: "a\nb", metadata: {} },
      { cell_type: "markdown", source: ["# t\n", "x"], metadata: {}, id: "same" },
      { cell_type: "code", source: "", metadata: {}, id: "same" },
    ],
  };
  const v = toV45(nb);
  assert.is(v.nbformat_minor, 5);
  const ids = v.cells.map((c) => c.id!);
  assert.is(new Set(ids).size, 3);
  assert.is(ids[1], "same");
  assert.equal(v.cells[0].source, ["a\n", "b"]);
  assert.equal(v.cells[0].outputs, []);
  assert.is(v.cells[1].outputs, undefined);
  assert.equal(toLines(""), []);
});

test("readNotebook names what is wrong", () => {
  throwsTool(() => readNotebook(join(root, fixture("malformed"))), "it is not JSON");
  const bad = join(dir, "v3.ipynb");
  writeFileSync(bad, JSON.stringify({ nbformat: 3, worksheets: [] }));
  throwsTool(() => readNotebook(bad), '"nbformat" is 3, expected 4');
  writeFileSync(bad, JSON.stringify({ nbformat: 4, cells: [{ cell_type: "code" }] }));
  throwsTool(() => readNotebook(bad), 'cell 1 has no text "source"');
  throwsTool(() => readNotebook(join(dir, "none.ipynb")), "does not exist");
});

test("cell timeout: metadata overrides the default, bad values are refused", () => {
  const nb = readNotebook(join(root, fixture("hang")));
  assert.is(cellTimeout(nb, "hang", 120), 3);
  assert.is(cellTimeout(readNotebook(join(root, fixture("pass"))), "pass", 120), 120);
  nb.metadata.interleave = { cell_timeout: -1 };
  throwsTool(() => cellTimeout(nb, "hang", 120), "interleave.cell_timeout must be a positive number");
});

test("paths: inside the repository only; folders expand in order", () => {
  assert.is(insideRoot(join(root, "notebooks/x.ipynb"), root), "notebooks/x.ipynb");
  throwsTool(() => insideRoot("/etc/x.ipynb", root), "lies outside the repository");
  const list = resolveNotebooks(["tests/fixtures/notebooks"], root).map((p) => p.split("/").pop());
  assert.equal(list, ["busy.ipynb", "fail.ipynb", "hang.ipynb", "malformed.ipynb", "pass.ipynb", "raises.ipynb"]);
  throwsTool(() => resolveNotebooks(["package.json"], root), "is not a notebook");
});

test("parseArgs", () => {
  const a = parseArgs(["x.ipynb", "--jobs", "2", "--timeout=30", "--site-dir", "s"], "notes", true);
  assert.equal(a, { notebooks: ["x.ipynb"], jobs: 2, timeout: 30, siteDir: "s" });
  throwsTool(() => parseArgs(["--site-dir", "s"], "npx tsx tools/runner.ts", false), "unknown option --site-dir");
  throwsTool(() => parseArgs(["--timeout"], "notes", true), "option --timeout needs a value");
  throwsTool(() => parseArgs(["--port", "80.5"], "notes", true), "must be a positive integer");
});

test("index page: syllabus order, links, times, statuses; no scripts", () => {
  const entries: IndexEntry[] = [
    { notebook: "notebooks/01-introduction.ipynb", number: 1, title: "Intro <&>", href: "01-introduction.html", seconds: 12.34, status: "passed", ok: true },
    { notebook: "notebooks/04-mutexes.ipynb", number: 4, title: "Mutexes", seconds: 3, status: "failed: cell 7", ok: false },
  ];
  const html = renderIndex(entries);
  assert.match(html, '<a href="01-introduction.html">Intro &#60;&#38;&#62;</a>');
  assert.match(html, "12.3 s");
  assert.match(html, "failed: cell 7");
  assert.not.match(html, "<script");
  assert.is(chapters.length, 12);
  assert.is(chapters[3].file, "04-mutexes.ipynb");
  assert.is(htmlName("notebooks/04-mutexes.ipynb"), "04-mutexes.html");
});

test("stripExternalScripts drops file:// and remote script tags only", () => {
  const html =
    '<script src="file:///usr/share/javascript/requirejs/require.min.js"></script><script>var a=1</script><script type="text/javascript" src="https://cdn.example/x.js"></script>';
  assert.is(stripExternalScripts(html), "<script>var a=1</script>");
});

test("kernelspecs name node and tslab by absolute path", () => {
  const [ts, js] = setupKernelspecs(dir);
  const spec = JSON.parse(readFileSync(join(ts, "kernel.json"), "utf8"));
  assert.equal(spec, JSON.parse(JSON.stringify(kernelSpec("tslab"))));
  assert.is(spec.argv[0], process.execPath);
  assert.equal(spec.argv.slice(1, 3), ["--require", kernelPreload], "the code-cache preload comes before tslab");
  assert.match(spec.argv[3], /\/node_modules\/tslab\/bin\/tslab$/);
  assert.ok(JSON.parse(readFileSync(join(js, "kernel.json"), "utf8")).argv.includes("--js"));
});

test("progress: a live line on a terminal, plain lines elsewhere", () => {
  const fake = () => {
    const chunks: string[] = [];
    return { chunks, stream: { write: (s: string) => chunks.push(s), columns: 80 } as unknown as NodeJS.WriteStream };
  };
  const tty = fake();
  const p = createProgress(tty.stream, true);
  p.notebookStart(1, 2, "a.ipynb", 3);
  p.cell("a.ipynb", 2, 3);
  p.notebookEnd("a.ipynb", true, 1.25);
  p.close();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC [K is the erase-line code the progress line writes
  assert.match(tty.chunks.join(""), /\r\x1b\[K\[1\/2\] a\.ipynb {2}cell 2\/3 {2}\d+s/);
  assert.match(tty.chunks.join(""), "[1/2] a.ipynb: passed in 1.3 s\n");
  const plain = fake();
  const q = createProgress(plain.stream, false);
  q.notebookStart(1, 1, "b.ipynb", 2);
  q.cell("b.ipynb", 1, 2);
  q.notebookEnd("b.ipynb", false, 2, "error in cell 2");
  q.close();
  assert.equal(plain.chunks, ["[1/1] b.ipynb: running 2 cells\n", "[1/1] b.ipynb: FAILED in 2.0 s (error in cell 2)\n"]);
});

test("export groups: about equal sizes, every notebook once, no empty group", () => {
  const sizes: Record<string, number> = { a: 9, b: 5, c: 4, d: 1 };
  const groups = balance(Object.keys(sizes), 2, (f) => sizes[f]);
  assert.equal(
    groups.map((g) => g.reduce((s, f) => s + sizes[f], 0)).sort((x, y) => x - y),
    [9, 10],
  );
  assert.equal(groups.flat().sort(), ["a", "b", "c", "d"]);
  assert.equal(
    balance(["a"], 2, () => 1),
    [["a"]],
  );
});

test("timings file: an old one without build records reads with none; updates keep the latest 20 builds", () => {
  const file = join(dir, "timings.json");
  writeFileSync(file, JSON.stringify({ updated: "x", notebooks: { "notebooks/a.ipynb": { status: "passed" } } }));
  const t = readTimings(file);
  assert.equal(t.builds, []);
  assert.ok(t.notebooks["notebooks/a.ipynb"]);
  for (let i = 0; i < 25; i++) updateTimings(file, (x) => void x.builds.push({ id: String(i) } as never));
  const after = readTimings(file);
  assert.is(after.builds.length, 20);
  assert.is(after.builds[19].id, "24");
  assert.ok(after.notebooks["notebooks/a.ipynb"], "notebook entries are kept");
  assert.equal(readTimings(join(dir, "missing.json")), { updated: "", notebooks: {}, builds: [] });
});

test("procs: machine and process CPU time; a session's nice can be set (autogroups)", async () => {
  assert.ok(machineBusySeconds() > 0);
  assert.ok(treeCpuSeconds(process.pid) >= 0);
  assert.ok(Number.isNaN(treeCpuSeconds(2 ** 22 + 12345)), "no such process");
  if (!existsSync("/proc/self/autogroup")) return; // kernel without autogroup scheduling
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" }); // its own session, like a kernel
  try {
    await new Promise((r) => child.once("spawn", r));
    assert.ok(setSessionNice(child.pid!, 7));
    assert.match(readFileSync(`/proc/${child.pid}/autogroup`, "utf8"), /nice 7\b/);
  } finally {
    child.kill("SIGKILL");
  }
});

test.run();
