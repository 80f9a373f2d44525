// Every lesson tells the truth about its own run (issue #16), read from the notebooks'
// sources: each opens by noting the machine (`machine()` in its first code cell), makes
// at least 3 claims, and the figures the course quotes exist as claims with these ids.
// The build checks what the claims say (tests/notes/claims.test.ts, tools/claims.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { notebooksDir } from "../../tools/paths";
import { CHAPTERS, joined, type Notebook } from "./chapters";

/** Ids the issue asks for, each with `value` the measured figure. */
export const REQUIRED_CLAIMS = ["01-speedup-2", "01-serial-fit", "03-io-overlap", "07-matmul-2", "10-pipeline", "11-pool-2"];

const codeOf = (file: string): string[] => {
  const nb = JSON.parse(readFileSync(join(notebooksDir, file), "utf8")) as Notebook;
  return nb.cells.filter((c) => c.cell_type === "code").map((c) => joined(c.source));
};
// A call, not a mention in a comment or a string: `claim(` after something that is not a word character.
const CALL = /(?<![\w.$])claim\(\s*["'`]([0-9]{2}-[a-z0-9-]+)["'`]/g;
const uncommented = (src: string) => src.replace(/\/\/[^\n]*/g, "");

for (const ch of CHAPTERS) {
  test(`${ch.file}: opens with machine() and makes at least 3 claims`, () => {
    const cells = codeOf(ch.file);
    assert.ok(cells.length > 0, "has code cells");
    assert.match(uncommented(cells[0]), /(?<![\w.$])machine\(\)/, "the first code cell notes the machine with machine()");
    const ids = cells.flatMap((c) => [...uncommented(c).matchAll(CALL)].map((m) => m[1]));
    assert.ok(ids.length >= 3, `at least 3 claim(…) calls, found ${ids.length}`);
    const prefix = `${String(ch.number).padStart(2, "0")}-`;
    for (const id of ids) assert.ok(id.startsWith(prefix), `claim id ${id} starts with the chapter's number ${prefix}`);
  });
}

test("the course's quoted figures exist as claims", () => {
  const all = new Set(CHAPTERS.flatMap((ch) => codeOf(ch.file).flatMap((c) => [...uncommented(c).matchAll(CALL)].map((m) => m[1]))));
  const missing = REQUIRED_CLAIMS.filter((id) => !all.has(id));
  assert.equal(missing, [], `missing claims: ${missing.join(", ")}`);
});

test.run();
