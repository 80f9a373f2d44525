// Chapters 4–8 as stored: each opens by noting the machine, makes its statements about
// the run as claims, keeps its code cells short, and tags its wall-clock cells.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers";

const CHAPTERS = ["04-mutexes", "05-joins", "06-condition-variables", "07-barriers", "08-memory-sharing-processes"];

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
}
const cells = (name: string): Cell[] => JSON.parse(readFileSync(join(ROOT, "notebooks", `${name}.ipynb`), "utf8")).cells;
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join("") : c.source);

for (const name of CHAPTERS) {
  test(`${name}: opens with machine(), has at least 3 claims, short code cells, timing cells tagged`, () => {
    const code = cells(name).filter((c) => c.cell_type === "code");
    assert.match(text(code[0]), /\bmachine\(\)/, "the first code cell notes the machine");
    const claims = code.flatMap((c) => [...text(c).matchAll(/\bclaim\("(\d\d-[a-z0-9-]+)"/g)].map((m) => m[1]));
    assert.ok(claims.length >= 3, `${claims.length} claims`);
    assert.equal(
      claims.filter((id) => !id.startsWith(name.slice(0, 3))),
      [],
      "claim ids start with the chapter's number",
    );
    assert.is(new Set(claims).size, claims.length, "claim ids are unique");
    for (const c of code) {
      const lines = text(c).split("\n").length;
      assert.ok(lines <= 25, `a code cell of ${lines} lines: ${text(c).split("\n")[0]}`);
      if (/\b(sweep|threadCostSweep|wakeDelay)\(|\.ms\b.*\.ms\b/.test(text(c)))
        assert.ok(c.metadata.tags?.includes("timing"), `untagged timing cell: ${text(c).split("\n")[0]}`);
    }
  });
}

test("chapter 7 has the required claim 07-matmul-2 with the measured speedup as its value", () => {
  const src = cells("07-barriers").map(text).join("\n");
  assert.match(src, /claim\("07-matmul-2",[\s\S]*?value: s1 \/ o2/);
});

test("the corrections stay made", () => {
  const all = (name: string) => cells(name).map(text).join("\n");
  assert.not.match(all("04-mutexes"), /spins briefly/);
  assert.not.match(all("04-mutexes"), /\(e, t, a, …\) lose the most/);
  assert.not.match(all("08-memory-sharing-processes"), /switching between processes \(separate address spaces\) costs more/);
  assert.match(all("05-joins"), /claim\("05-join-error"/);
  assert.match(all("06-condition-variables"), /DeadlockError/);
});

test.run();
