// Code shipping: a function written in a cell travels to a worker as source text.
// Before anything starts we parse it with the TypeScript compiler API (already a
// dependency, and robust on any modern JS) and refuse what cannot work in a fresh
// worker: free variables from the cell (closures), cell-level imports as TypeScript's
// CommonJS output names them (`kernel_helpers_1.Mutex`), `this`, native and bound
// functions, classes.
import type * as TS from "typescript";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

// Loaded on first use: workers load this bundle too and never need the compiler.
// A host that already holds a TypeScript compiler in memory (a notebook kernel that
// compiles cells with it) can lend it with useTypeScript: loading a second compiler
// costs ~0.5–2 s on a small machine.
let tsModule: typeof TS | null = null;
function tsLib(): typeof TS {
  tsModule ??= require("typescript") as typeof TS;
  return tsModule;
}

/**
 * Parses shipped functions with `ts` instead of loading the project's `typescript`
 * (any version that parses the JavaScript the host runs will do). Raises TypeError
 * when `ts` is not a TypeScript module. Checks already cached are kept.
 * @internal A hook for hosts (the tslab adapter), not notebook API: kept out of the
 * .d.ts, where a `typescript` reference makes tslab load TypeScript's own
 * declarations each time a notebook imports kernel-helpers.
 */
export function useTypeScript(ts: typeof TS): void {
  if (!ts || typeof ts.createSourceFile !== "function") throw new TypeError("useTypeScript: pass the TypeScript module itself (it has no createSourceFile)");
  tsModule = ts;
}

/** What a worker needs to rebuild the function: its source and a name for stack traces. */
export interface ShippedCode {
  /** A JavaScript expression that evaluates to the function. */
  source: string;
  /** Shown in stack frames as `cell-fn:<name>`. */
  name: string;
}

// Globals every fresh worker thread and child process has (Node 20), plus the
// CommonJS names the worker entry passes into the function's scope.
const WORKER_GLOBALS = new Set(
  (
    "Object Function Array Number parseFloat parseInt Infinity NaN undefined Boolean String Symbol Date Promise " +
    "RegExp Error AggregateError EvalError RangeError ReferenceError SyntaxError TypeError URIError globalThis JSON " +
    "Math Intl ArrayBuffer Uint8Array Int8Array Uint16Array Int16Array Uint32Array Int32Array Float32Array Float64Array " +
    "Uint8ClampedArray BigUint64Array BigInt64Array DataView Map BigInt Set WeakMap WeakSet Proxy Reflect " +
    "FinalizationRegistry WeakRef decodeURI decodeURIComponent encodeURI encodeURIComponent escape unescape eval " +
    "isFinite isNaN console SharedArrayBuffer Atomics WebAssembly process global Buffer clearImmediate setImmediate " +
    "URL URLSearchParams DOMException AbortController AbortSignal Event EventTarget TextEncoder TextDecoder " +
    "TransformStream WritableStream ReadableStream TextEncoderStream TextDecoderStream CompressionStream " +
    "DecompressionStream clearInterval clearTimeout setInterval setTimeout queueMicrotask structuredClone atob btoa " +
    "BroadcastChannel MessageChannel MessagePort MessageEvent Blob File Performance performance fetch FormData " +
    "Headers Request Response crypto Crypto CustomEvent arguments require module exports __filename __dirname"
  ).split(" "),
);

/** Ship a function by source, after checking it can run on its own in a worker. `what` names the argument in errors. */
export function shipFunction(fn: unknown, what = "fn"): ShippedCode {
  if (typeof fn !== "function") {
    throw new TypeError(`${what} must be a function (or a path to a .ts/.js module), got ${describe(fn)}. Write it inline: threads.run(4, ({ id }) => id * 2)`);
  }
  const text = Function.prototype.toString.call(fn);
  const name = fn.name || "anonymous";
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new TypeError(
      `${what} (${name}) is a native or bound function; its source cannot be shipped to a worker. ` +
        `Pass a plain function or arrow written in the cell instead of fn.bind(…) or a built-in.`,
    );
  }
  if (/^class\b/.test(text)) {
    throw new TypeError(`${what} is a class (${name}); pass a function that uses it instead, e.g. ({ id }) => new ${name}(id).run()`);
  }
  const checked = checkSource(text);
  if (checked.problems.length) {
    throw new TypeError(`${what} (${name}) cannot run in a worker:\n  - ${checked.problems.join("\n  - ")}`);
  }
  return { source: checked.source, name };
}

// Parsing with the TypeScript API costs about a millisecond per call, and cells
// ship the same function again and again (each spawn, each pool map): the
// outcome depends only on the source text, so it is kept per text (bounded).
const CHECKED_MAX = 500;
const checkedCache = new Map<string, { source: string; problems: string[] }>();

function checkSource(text: string): { source: string; problems: string[] } {
  let c = checkedCache.get(text);
  if (c) return c;
  const source = toExpression(text);
  c = { source, problems: findProblems(source) };
  if (checkedCache.size >= CHECKED_MAX) checkedCache.delete(checkedCache.keys().next().value as string);
  checkedCache.set(text, c);
  return c;
}

/** Method shorthand (`run() {…}`) is not an expression; wrap it in an object literal and pick the method. */
function toExpression(text: string): string {
  if (parses(`(${text})`)) return `(${text})`;
  const wrapped = `({ ${text} })`;
  if (parses(wrapped)) return `Object.values(${wrapped})[0]`;
  throw new TypeError(`fn: its source could not be parsed as a function:\n${text.slice(0, 200)}`);
}

function parses(code: string): boolean {
  const ts = tsLib();
  const sf = ts.createSourceFile("fn.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const diags = (sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics;
  if (diags?.length) return false;
  const stmt = sf.statements[0];
  return sf.statements.length === 1 && !!stmt && ts.isExpressionStatement(stmt);
}

/** Free identifiers, cell imports and `this`, each as a sentence the user can act on. */
export function findProblems(code: string): string[] {
  const ts = tsLib();
  const sf = ts.createSourceFile("fn.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  collectDeclarations(sf, declared);
  const problems: string[] = [];
  const seen = new Set<string>();
  let thisReported = false;

  const visit = (node: TS.Node, thisIsOwn: boolean): void => {
    if (node.kind === ts.SyntaxKind.ThisKeyword && !thisIsOwn && !thisReported) {
      thisReported = true;
      problems.push("it uses `this`, which is undefined in a worker; pass what you need through `data` and read it from the argument");
    }
    if (ts.isIdentifier(node) && isReference(node)) {
      const id = node.text;
      if (!declared.has(id) && !WORKER_GLOBALS.has(id) && !seen.has(id)) {
        seen.add(id);
        const parent = node.parent;
        if (/_\d+$/.test(id) && ts.isPropertyAccessExpression(parent) && parent.expression === node) {
          problems.push(
            `\`${id}.${parent.name.text}\` is a cell-level import (compiled to CommonJS, \`import … from\` becomes \`${id}\`); ` +
              `require it inside the function instead: const { ${parent.name.text} } = require("${guessModule(id)}")`,
          );
        } else {
          problems.push(
            `\`${id}\` is a variable from outside the function (a closure); a worker cannot see the cell's variables. ` +
              `Pass it in data (threads.run(n, fn, { ${id} })) and read it from the argument, or define it inside the function`,
          );
        }
      }
    }
    // A nested non-arrow function or a class has its own `this`.
    const own =
      thisIsOwn ||
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isClassLike(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isAccessor(node) ||
      ts.isConstructorDeclaration(node);
    const top = node === outerFunction(sf);
    ts.forEachChild(node, (child) => visit(child, top ? false : own));
  };
  visit(sf, false);
  return problems;
}

/** The function expression being shipped (so its own `this` is reported, nested ones are not). */
function outerFunction(sf: TS.SourceFile): TS.Node | undefined {
  const ts = tsLib();
  let found: TS.Node | undefined;
  const find = (n: TS.Node): void => {
    if (found) return;
    if (ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) found = n;
    else ts.forEachChild(n, find);
  };
  find(sf);
  return found;
}

/** TypeScript names the binding of `import … from "a-b"` `a_b_1`: undo that (a guess: "_" may have been "." too). */
function guessModule(id: string): string {
  return id.replace(/_\d+$/, "").replace(/_/g, "-");
}

/**
 * Every name declared anywhere inside the code. Block scoping is deliberately
 * ignored: we only want to catch names that are declared nowhere, so being
 * lenient about shadowing can never reject a correct function.
 */
function collectDeclarations(node: TS.Node, out: Set<string>): void {
  const ts = tsLib();
  const addBinding = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) out.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) addBinding(node.name);
  else if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassLike(node)) && node.name) {
    out.add(node.name.text);
  } else if (ts.isCatchClause(node) && node.variableDeclaration) addBinding(node.variableDeclaration.name);
  ts.forEachChild(node, (c) => collectDeclarations(c, out));
}

/** Is this identifier a read of a variable (not a property name, label or declaration)? */
function isReference(id: TS.Identifier): boolean {
  const ts = tsLib();
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isAccessor(p) || ts.isPropertyDeclaration(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if ((ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) && p.label === id) return false;
  if (ts.isMetaProperty(p)) return false;
  if (
    (ts.isVariableDeclaration(p) ||
      ts.isParameter(p) ||
      ts.isBindingElement(p) ||
      ts.isFunctionDeclaration(p) ||
      ts.isFunctionExpression(p) ||
      ts.isClassLike(p)) &&
    p.name === id
  )
    return false;
  return true;
}

/** A path to a .ts/.js module: bundle it with esbuild into one CommonJS source exporting `default` or `main`. */
export function shipModule(path: string, what = "fn"): ShippedCode {
  const abs = resolve(path);
  if (!/\.(c|m)?(t|j)sx?$/.test(abs)) {
    throw new TypeError(`${what}: "${path}" is not a .ts or .js file; pass a function or a path to a module that exports main or default`);
  }
  if (!existsSync(abs)) throw new TypeError(`${what}: no such file "${path}" (resolved to ${abs}); check the path relative to ${process.cwd()}`);
  // esbuild is loaded lazily: most cells ship functions and never pay for it.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const out = esbuild.buildSync({
    entryPoints: [abs],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    external: ["kernel-helpers", "interleave-shm", "piscina", "esbuild", "typescript"],
    sourcemap: "inline",
    logLevel: "silent",
  });
  const js = out.outputFiles[0]?.text ?? "";
  // The module body runs in a function scope with require/module/exports; we hand back its entry point.
  const source =
    `(function () { const module = { exports: {} }; const exports = module.exports;\n${js}\n` +
    `const m = module.exports; const f = typeof m === "function" ? m : (m.main || m.default);\n` +
    `if (typeof f !== "function") throw new TypeError(${JSON.stringify(`${path} must export a function named main or a default export`)});\n` +
    `return f; })()`;
  return { source, name: abs.split("/").pop() ?? "module" };
}

/** Ship either a function or a module path. */
export function ship(fn: unknown, what = "fn"): ShippedCode {
  return typeof fn === "string" ? shipModule(fn, what) : shipFunction(fn, what);
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "object") return `an object (${(v as object).constructor?.name ?? "Object"})`;
  return `${typeof v} ${String(v)}`;
}
