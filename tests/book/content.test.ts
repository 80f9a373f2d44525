// The chapter extras: every syllabus chapter has a summary, a Python → Node table
// and pitfalls, and every kernel-helpers name the tables use is a real export
// (classes, the threads/processes spawners' methods, functions called by name).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as helpers from "../../kernel-helpers/src/index";
import { chapterExtras } from "../../tools/book/content";
import { chapters } from "../../tools/syllabus";

// Node's own API that the tables name (not from kernel-helpers).
const NODE_API = new Set(["os", "performance", "Promise", "setTimeout"]);
const exported = helpers as unknown as Record<string, unknown>;

test("every chapter has a summary, a table and pitfalls", () => {
  for (const c of chapters) {
    const e = chapterExtras[c.file.replace(/\.ipynb$/, "")];
    assert.ok(e, `${c.file} has extras`);
    assert.ok(e.summary.length > 20 && e.summary.length < 160 && !e.summary.includes("\n"), `${c.file}: a one-line summary`);
    assert.ok(e.pythonToNode.length >= 2, `${c.file}: a table`);
    assert.ok(e.pitfalls.length >= 2 && e.pitfalls.length <= 5, `${c.file}: a short pitfalls box`);
  }
  assert.is(Object.keys(chapterExtras).length, chapters.length, "no extras for a chapter that does not exist");
});

test("the names in the Node column are kernel-helpers' exports (or Node's own)", () => {
  for (const [stem, e] of Object.entries(chapterExtras)) {
    for (const m of e.pythonToNode) {
      const where = `${stem}: ${m.node}`;
      for (const [, cls] of m.node.matchAll(/\b([A-Z][A-Za-z]+)\b/g))
        assert.ok(NODE_API.has(cls) || typeof exported[cls] === "function", `${where}: ${cls} is exported`);
      for (const [, kind, method] of m.node.matchAll(/\b(threads|processes)\.(\w+)\(/g)) {
        assert.is(typeof (exported[kind] as Record<string, unknown>)[method], "function", `${where}: ${kind}.${method}`);
      }
      const call = /^(?:await\s+)?([a-z]\w*)\(/.exec(m.node);
      if (call) assert.ok(NODE_API.has(call[1]) || typeof exported[call[1]] === "function", `${where}: ${call[1]} is exported`);
    }
  }
});

test("the brief's mappings are there", () => {
  const all = Object.values(chapterExtras).flatMap((e) => e.pythonToNode);
  const has = (py: string, node: string) => all.some((m) => m.python.includes(py) && m.node.includes(node));
  assert.ok(has("threading.Thread", "threads.spawn"));
  assert.ok(has("threading.Lock", "Mutex"));
  assert.ok(has("multiprocessing.Pool", "ProcessPool"));
  assert.ok(has("Queue(maxsize", "BoundedQueue"));
  assert.ok(has("threading.Barrier", "Barrier"));
  assert.ok(has("threading.Condition", "Condition"));
});

test.run();
