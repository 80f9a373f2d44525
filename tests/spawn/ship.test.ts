// Code shipping: what can and cannot be sent to a worker, checked before anything starts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tslabTypeScript from "@tslab/typescript-for-tslab";
import { findProblems, shipFunction, shipModule, useTypeScript } from "../../src/spawn/ship";
import { prepareData } from "../../src/spawn/data";

// Inside a kernel the tslab adapter lends shipping tslab's TypeScript 5.0: parse with it here too.
useTypeScript(tslabTypeScript as never);

// Sources written as strings: exactly what tslab hands over after compiling a cell.
const src = (code: string): string[] => findProblems(`(${code})`);

test("a self-contained function passes", () => {
  assert.equal(src(`({ id, n, arr }) => { const x = id * 2; let s = 0; for (let i = 0; i < n; i++) s += arr[i] + x; return { s, m: Math.max(s, 1) }; }`), []);
  assert.equal(
    src(
      `async function work({ id }) { const { Mutex } = require("kernel-helpers"); class A { f() { return this; } } try { return new A().f(); } catch (e) { return e; } }`,
    ),
    [],
  );
  assert.equal(
    src(`({ a: { b: [c, ...rest] } }) => { label: for (const k of rest) { if (k) continue label; } return c + console.log.length + process.pid; }`),
    [],
  );
});

test("free variables (closures) are named", () => {
  const p = src(`({ id }) => id + counter`);
  assert.is(p.length, 1);
  assert.match(p[0]!, /`counter` is a variable from outside the function/);
  assert.match(p[0]!, /Pass it in data/);
});

test("tslab's rewritten cell imports are recognised", () => {
  const p = src(`({ id }) => { const m = new kernel_helpers_1.Mutex(); return id; }`);
  assert.is(p.length, 1);
  assert.match(p[0]!, /kernel_helpers_1\.Mutex` is a cell-level import/);
  assert.match(p[0]!, /require\("kernel-helpers"\)/);
});

test("`this` in the shipped function is refused, in nested functions it is fine", () => {
  assert.match(src(`function () { return this.x; }`)[0]!, /`this`/);
  assert.match(src(`() => [1].map(() => this.y)`)[0]!, /`this`/);
  assert.equal(src(`() => { function f() { return this; } return f.call(1); }`), []);
});

test("shipFunction refuses non-functions, bound, native functions and classes", () => {
  assert.throws(() => shipFunction(42), /fn must be a function .* got number 42/);
  assert.throws(() => shipFunction(Math.max), /native or bound/);
  assert.throws(
    () =>
      shipFunction(
        function f() {
          return 1;
        }.bind(null),
      ),
    /native or bound/,
  );
  assert.throws(() => shipFunction(class Foo {}), /is a class/);
  const method = {
    run({ id }: { id: number }) {
      return id;
    },
  }.run;
  assert.ok(shipFunction(method).source.includes("Object.values"));
});

test("a module path is bundled by esbuild", () => {
  const dir = mkdtempSync(join(tmpdir(), "ship-"));
  writeFileSync(join(dir, "helper.ts"), "export const twice = (x: number): number => x * 2;\n");
  writeFileSync(join(dir, "main.ts"), "import { twice } from './helper';\nexport default function ({ id }: { id: number }) { return twice(id); }\n");
  const code = shipModule(join(dir, "main.ts"));
  const fn = new Function("require", "module", "exports", `return ${code.source}`)(require, {}, {});
  assert.is(fn({ id: 21 }), 42);
  assert.throws(() => shipModule(join(dir, "nope.ts")), /no such file/);
  assert.throws(() => shipModule(join(dir, "data.csv")), /not a \.ts or \.js file/);
});

test("non-cloneable data is rejected with the key path", () => {
  assert.throws(() => prepareData({ cfg: { handler: () => 1 } }, "thread", "data"), /data\.cfg\.handler cannot be sent/);
  assert.throws(() => prepareData({ list: [1, 2, Symbol("x")] }, "process", "data"), /data\.list\[2\] cannot be sent/);
  assert.throws(() => prepareData([1, 2], "thread", "data"), /data must be a plain object/);
  assert.throws(() => prepareData({ id: 3 }, "thread", "data"), /must not have keys "id" or "n"/);
  const sab = new SharedArrayBuffer(8);
  const out = prepareData({ sab, m: new Map([[1, 2]]) }, "thread") as { sab: SharedArrayBuffer };
  assert.is(out.sab, sab);
});

test.run();
