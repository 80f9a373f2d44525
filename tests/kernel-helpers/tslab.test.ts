// The tslab adapter's pure parts (kernel-helpers/src/tslab.ts): the shorthand
// properties it writes out before tslab compiles a cell (`{ limit }` → `{ limit:
// limit }`, parsed with tslab's own TypeScript as in a kernel) and the line an
// interrupted cell ends with. The kernel side is in papercuts.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tslabTypeScript from "@tslab/typescript-for-tslab";
import { errorContent, expandShorthands, interruptLine } from "../../kernel-helpers/src/tslab";

const ts = tslabTypeScript as never;
const earlier = { limit: 5, total: 0 };
const expand = (src: string, locals: object | undefined = earlier) => expandShorthands(src, locals, ts);

test("a shorthand naming an earlier cell's declaration is written out", () => {
  assert.is(expand("const o = { limit };"), "const o = { limit: limit };");
  assert.is(expand("f({ limit, total, x });"), "f({ limit: limit, total: total, x });");
  assert.is(
    expand("const g = (limit: number) => ({ limit });"),
    "const g = (limit: number) => ({ limit: limit });",
    "the checker decides later: the parameter wins",
  );
});

test("assignment patterns too, with their defaults", () => {
  assert.is(expand("({ limit } = obj);"), "({ limit: limit } = obj);");
  assert.is(expand("({ limit = 1 } = obj);"), "({ limit: limit = 1 } = obj);");
});

test("everything else is left as it was", () => {
  for (const src of ["const { limit } = obj;", "const o = { other };", "const o = { limit: 3 };", "type T = { limit: number };", "const o = { limit ;"]) {
    assert.is(expand(src), src);
  }
  assert.is(expand("const o = { limit };", {}), "const o = { limit };", "no earlier declarations");
  assert.is(expandShorthands("const o = { limit };", earlier, null), "const o = { limit };", "no TypeScript at hand");
});

const stopped = (kind?: "threads" | "processes", n = 1) => Object.assign(new Error("stopped"), { name: "InterruptedError", run: kind && { kind, n } });

test("the interrupt line names each run seen, and counts the others", () => {
  assert.is(interruptLine("while the cell awaited", 0, [], 0), "Interrupted while the cell awaited.");
  assert.is(
    interruptLine("while the cell awaited", 2, [stopped("threads", 4)], 0),
    "Interrupted while the cell awaited: interleave stopped threads.run (4 threads) and 1 more run or pool.",
  );
  assert.is(
    interruptLine("while the cell awaited", 2, [new Error("not ours"), stopped("threads"), stopped("processes")], 2),
    "Interrupted while the cell awaited: interleave stopped threads.run (1 thread; not awaited) and processes.run (1 process; not awaited).",
  );
  assert.is(interruptLine("", 1, [stopped("threads", 2)], 1), "Interrupted: interleave stopped threads.run (2 threads; not awaited).", "no cell awaited");
  assert.is(
    interruptLine("during the cell's synchronous part", 3, [], 0),
    "Interrupted during the cell's synchronous part: interleave stopped 3 runs or pools.",
  );
  assert.is(
    interruptLine("while the cell awaited", 2, [stopped("processes", 2), stopped()], 1),
    "Interrupted while the cell awaited: interleave stopped processes.run (2 processes) and a pool (not awaited).",
  );
});

test("errorContent: an error reply's ename, evalue and traceback from what tslab printed", () => {
  const sync = 'evalmachine.<anonymous>:7\nthrow new GradeError("x");\n^\n\nGradeError: the balance ended wrong\n    at evalmachine.<anonymous>:7:7\n';
  assert.equal(errorContent(["[t0] a worker's line\n", sync]), {
    ename: "GradeError",
    evalue: "the balance ended wrong",
    traceback: ["GradeError: the balance ended wrong", "    at evalmachine.<anonymous>:7:7"],
  });
  assert.equal(errorContent(["Error [ERR_WORKER_INIT_FAILED]: no worker\n    at x\n"]).ename, "Error");
  assert.equal(errorContent(["1:7 - Type 'string' is not assignable to type 'number'.\n", "2:1 - Cannot find name 'y'.\n"]), {
    ename: "CompileError",
    evalue: "Type 'string' is not assignable to type 'number'.\nCannot find name 'y'.",
    traceback: ["1:7 - Type 'string' is not assignable to type 'number'.", "2:1 - Cannot find name 'y'."],
  });
  assert.equal(errorContent([]), { ename: "Error", evalue: "the cell failed", traceback: [] });
});

test.run();
