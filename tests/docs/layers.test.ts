// The layers docs/architecture.md describes, checked on the imports: src/ is plain
// Node (no tslab, nothing of kernel-helpers' layout, nothing of tools/, bench/, tests/),
// and kernel-helpers/src builds on src/ alone. A worker function may still say
// require("kernel-helpers"): inside a worker that name is the bundle's API, not a path.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = resolve(__dirname, "..", "..");

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules" && name !== "dist") sources(path, out);
    } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** The module specifiers a file names in import/export … from, import(…) and require(…). */
export function specifiersOf(code: string): string[] {
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found: string[] = [];
  for (const m of withoutComments.matchAll(/\b(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)(["'])([^"']+)\1/g)) found.push(m[2]);
  return found;
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

function problemsOf(file: string, allowedRoots: string[]): string[] {
  const problems: string[] = [];
  for (const spec of specifiersOf(readFileSync(file, "utf8"))) {
    const where = `${relative(root, file)} imports ${JSON.stringify(spec)}`;
    if (/^(@tslab\/|tslab(\/|$))/.test(spec)) problems.push(`${where}: tslab belongs in kernel-helpers/src/tslab.ts`);
    else if (/kernel-helpers\//.test(spec)) problems.push(`${where}: a path into kernel-helpers' layout`);
    else if (spec.startsWith(".")) {
      const target = resolve(dirname(file), spec);
      if (!allowedRoots.some((r) => inside(target, join(root, r)))) problems.push(`${where}: outside ${allowedRoots.join(", ")}`);
    }
  }
  return problems;
}

test("the import reader finds every form and skips comments", () => {
  const code = [
    'import { a } from "./a";',
    "export * from '../b';",
    'import "./side-effect";',
    'const c = require("kernel-helpers");',
    'const d = await import("./d");',
    '// import { e } from "../../kernel-helpers/dist";',
    '/* require("tslab") */',
    'const url = "https://example.org"; // a comment',
  ].join("\n");
  assert.equal(specifiersOf(code), ["./a", "../b", "./side-effect", "kernel-helpers", "./d"]);
});

test("src/ imports nothing of tslab, kernel-helpers' layout, tools/, bench/ or tests/", () => {
  const files = sources(join(root, "src"));
  assert.ok(files.length > 50, `found ${files.length} files under src/`);
  const problems = files.flatMap((f) => problemsOf(f, ["src"]));
  assert.equal(problems, [], problems.join("\n"));
});

test("kernel-helpers/src builds on src/ alone and only its adapter names tslab", () => {
  const files = sources(join(root, "kernel-helpers", "src"));
  const problems = files.flatMap((f) => problemsOf(f, ["kernel-helpers/src", "src"]).filter((p) => !(f.endsWith(`${sep}tslab.ts`) && /tslab belongs/.test(p))));
  assert.equal(problems, [], problems.join("\n"));
});

test.run();
