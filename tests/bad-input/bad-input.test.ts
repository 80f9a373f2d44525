// Bad input, table-driven: every row is a wrong call a learner could type. Each must
// fail with a clear error (the right class, the argument named, what to do) and
// leave nothing running: no extra OS threads, no child processes, no new /dev/shm
// segment of ours.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { Socket } from "node:net";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processes, threads, stopAll } from "../../src/spawn/index";
import { Barrier, BoundedQueue, ClosedError, Mutex, NotOwnerError, WaitGroup, encodeShared, sharedArray } from "../../src/sync/index";
import { parsePolygon } from "../../src/course/shoelace";
import { runNotebooks } from "../../tools/runner";
import { ToolError } from "../../tools/errors";
import { allOurProcesses, ourSegments, settle, threadCount } from "./leftovers";

const root = join(__dirname, "../..");

interface Row {
  name: string;
  /** The wrong call; may throw synchronously or reject. */
  call: () => unknown;
  /** Expected error class (by constructor, or by name for errors from another realm). */
  error: (new (...args: never[]) => Error) | string;
  /** Fragments the message must contain: the argument, what was wrong, what to do. */
  says: (string | RegExp)[];
  /** Known library bug, reported to the lead: the row still runs and fails until fixed. */
  bug?: string;
}

const cellVar = 3;
// tslab compiles `import { Mutex } from "kernel-helpers"` to `kernel_helpers_1.Mutex`: a function
// written in such a cell carries that name in its source.
const usesCellImport = new Function("return ({ id }) => { const m = new kernel_helpers_1.Mutex(); return id; }")() as () => number;

const rows: Row[] = [
  { name: "fn is not a function", call: () => threads.run(2, 42 as never), error: TypeError, says: ["fn must be a function", "got", "threads.run(4"] },
  { name: "fn closes over a cell variable", call: () => threads.run(2, () => cellVar), error: TypeError, says: ["cannot run in a worker", "cellVar", /data/] },
  {
    name: "fn uses a cell-level import",
    call: () => threads.run(2, usesCellImport),
    error: TypeError,
    says: ["kernel_helpers_1.Mutex", "cell-level import", 'require("kernel-helpers")'],
  },
  { name: "data holds a function", call: () => threads.run(2, () => 1, { f: () => 1 }), error: TypeError, says: ["data", "f"] },
  { name: "data holds a socket", call: () => processes.run(1, () => 1, { sock: new Socket() }), error: TypeError, says: ["data", "sock"] },
  { name: "0 workers", call: () => threads.run(0, () => 1), error: RangeError, says: ["threads.run", "n must be at least 1", "got 0"] },
  { name: "-1 workers", call: () => processes.run(-1, () => 1), error: RangeError, says: ["processes.run", "n must be at least 1", "-1"] },
  { name: "1.5 workers", call: () => threads.run(1.5, () => 1), error: TypeError, says: ["n must be a whole number", "1.5"] },
  { name: "10^5 workers", call: () => threads.run(1e5, () => 1), error: RangeError, says: ["100000", "at most 256", "ThreadPool"] },
  {
    name: "negative timeout",
    call: () => threads.run(1, () => 1, {}, { timeout: -5 }),
    error: RangeError,
    says: ["options.timeout", "positive number of milliseconds", "-5"],
  },
  { name: "NaN timeout", call: () => processes.run(1, () => 1, {}, { timeout: NaN }), error: RangeError, says: ["options.timeout", "NaN"] },
  {
    name: "shared array of size 0",
    call: () => sharedArray("int32", 0),
    error: RangeError,
    says: ["sharedArray", "length", "0"],
  },
  { name: "shared array of size 2^40", call: () => sharedArray("float64", 2 ** 40), error: RangeError, says: ["1099511627776", "too large", "split the data"] },
  { name: "unlocking a mutex not held", call: () => new Mutex().unlock(), error: NotOwnerError, says: ["unlock", /not (held|locked|own)/i] },
  { name: "WaitGroup.done below zero", call: () => new WaitGroup().done(), error: RangeError, says: ["WaitGroup.done", "below zero", "once per add()"] },
  { name: "barrier of 0 parties", call: () => new Barrier(0), error: RangeError, says: ["new Barrier", "parties", "got 0"] },
  {
    name: "queue put after close",
    call: () => {
      const q = new BoundedQueue(2);
      q.close();
      q.put(1);
    },
    error: ClosedError,
    says: ["BoundedQueue.put", "closed"],
  },
  {
    name: "wrong segment name in a child",
    call: () => {
      const arr = sharedArray("int32", 2, { shared: "process" });
      const desc = JSON.parse(JSON.stringify(encodeShared(arr, "process")));
      desc.mem.segment = "/interleave-nosuch-0-0";
      return processes.run(1, ({ arr }) => arr, { arr: desc });
    },
    error: "Error",
    says: ["[p", "Segment.open", '"/interleave-nosuch-0-0"', "keep the owner alive"],
  },
  {
    name: "malformed .ipynb to the runner",
    call: () => runNotebooks([join(root, "tests/fixtures/notebooks/malformed.ipynb")]),
    error: ToolError,
    says: ["malformed.ipynb", "not a valid notebook", "save it again"],
  },
  {
    name: "a notebook path outside the repo",
    call: () => {
      const dir = mkdtempSync(join(tmpdir(), "interleave-outside-"));
      const nb = join(dir, "elsewhere.ipynb");
      copyFileSync(join(root, "tests/fixtures/notebooks/pass.ipynb"), nb);
      return runNotebooks([nb]).finally(() => rmSync(dir, { recursive: true, force: true }));
    },
    error: ToolError,
    says: ["elsewhere.ipynb", "outside the repository", "Copy it into notebooks/"],
  },
  {
    name: "a polygon line that does not parse",
    call: () => parsePolygon("(1,2),(3,x),(5,6)", 17),
    error: "CourseInputError",
    says: ["line 17", "column", "(x,y)"],
  },
];

const baseThreads = threadCount();
const baseSegments = ourSegments();

async function outcome(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return undefined;
}

for (const row of rows) {
  test(`${row.bug ? "[BUG reported] " : ""}${row.name}: clear error, nothing left running`, async () => {
    const err = await outcome(row.call);
    try {
      assert.ok(err instanceof Error, `${row.name}: expected an error, the call succeeded${row.bug ? ` (known bug: ${row.bug})` : ""}`);
      const e = err as Error;
      if (typeof row.error === "string") assert.is(e.name, row.error, e.message);
      else assert.ok(e instanceof row.error, `expected ${row.error.name}, got ${e.name}: ${e.message}`);
      for (const s of row.says) {
        if (typeof s === "string") assert.ok(e.message.includes(s), `message lacks ${JSON.stringify(s)}:\n${e.message}`);
        else assert.match(e.message, s);
      }
    } finally {
      await stopAll("bad-input row done"); // only matters when a row wrongly started something
    }
    await settle(() => threadCount() <= baseThreads && allOurProcesses().length === 0, 3000);
    assert.ok(threadCount() <= baseThreads, `threads left: ${threadCount()} > ${baseThreads}`);
    assert.equal(allOurProcesses(), [], "no child process left");
    assert.equal(
      ourSegments().filter((s) => !baseSegments.includes(s)),
      [],
      "no new /dev/shm segment",
    );
  });
}

test("a METAR directory that does not exist: npm run course -- wind /nope exits 2 with a clear message", () => {
  const r = spawnSync("npm", ["run", "-s", "course", "--", "wind", "/nope"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, "/nope");
  assert.match(r.stderr, /does not exist|no such/i);
  assert.not.match(r.stderr, /^\s+at /m, "no stack trace for bad input");
});

test.run();
