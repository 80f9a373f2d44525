// The published .d.ts of kernel-helpers must type-check under tslab's own
// TypeScript (5.0.4), which compiles notebook cells with no tsconfig.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const ts5_0 = require(join(root, "node_modules", "@tslab", "typescript-for-tslab")) as typeof import("typescript");

test("tslab's TypeScript is 5.0", () => {
  assert.match(ts5_0.version, /^5\.0\./);
});

test("a cell importing kernel-helpers type-checks under TypeScript 5.0", () => {
  const dir = mkdtempSync(join(tmpdir(), "interleave-types-"));
  try {
    const cell = join(dir, "cell.ts");
    writeFileSync(
      cell,
      [
        `import * as kh from "kernel-helpers";`,
        `import { threads, processes, Mutex, Barrier } from "kernel-helpers";`,
        `const names: string[] = Object.keys(kh);`,
        `async function demo() {`,
        `  const run = await threads.run(2, ({ id }: { id: number }) => id * 2);`,
        `  const first: number = run.results[0];`,
        `  await run.timeline();`,
        `  try { await threads.run(2, () => 0); } catch (e) { if (e instanceof kh.DeadlockError) await e.show(); }`,
        `  return [first, names, processes, Mutex, Barrier];`,
        `}`,
        `demo;`,
      ].join("\n"),
    );
    // The options tslab hard-codes for cells (not strict), resolving from the repo root.
    const program = ts5_0.createProgram([cell], {
      target: ts5_0.ScriptTarget.ES2017,
      module: ts5_0.ModuleKind.CommonJS,
      moduleResolution: ts5_0.ModuleResolutionKind.NodeJs,
      esModuleInterop: true,
      noEmit: true,
      baseUrl: root,
      paths: { "kernel-helpers": [join(root, "node_modules", "kernel-helpers")] },
      typeRoots: [join(root, "node_modules", "@types")],
    });
    const diags = ts5_0.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts5_0.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    assert.equal(diags, [], diags.join("\n"));
    // tslab checks every cell against what the import pulls in: TypeScript's own declarations cost each notebook's import cell.
    const typescriptDecls = program.getSourceFiles().filter((f) => /node_modules\/typescript\//.test(f.fileName));
    assert.equal(
      typescriptDecls.map((f) => f.fileName),
      [],
      "the kernel-helpers declarations reference the typescript package",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
