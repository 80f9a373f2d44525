// The notes build on a notebook that makes claims (a real kernel): the page and
// claims.json hold every claim made, the build prints the summary line and names the
// claims that did not hold, an "always" claim that fails fails its notebook (the cells
// after it do not run) and the build's exit status, with the claim's words in the report.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BuildClaim } from "../../tools/claims";
import { removeDir, runTool, tempDir, type ToolRun } from "../tools/helpers";

const dir = tempDir("claims");
const build = join(dir, "build");
const site = join(dir, "site");
let run: ToolRun;

test.before(async () => {
  run = await runTool("notes", ["tests/notes/fixtures/claims.ipynb", "--build-dir", build, "--site-dir", site]);
});
test.after(() => removeDir(dir));

test("a failed always-claim fails the notebook and the build, and the report says which claim", () => {
  assert.is(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, "1 notebook: 0 passed, 1 failed");
  assert.match(run.stderr, "ClaimError: claim 99-broken failed: the checksums agree (measured ab12, expected cd34)");
  assert.match(run.stdout, "claims: 1 held, 1 not seen (machine), 1 failed\n");
  assert.match(run.stdout, "  FAILED 99-broken (tests/notes/fixtures/claims.ipynb, cell 4): the checksums agree; measured ab12, expected cd34.");
  assert.match(
    run.stdout,
    / {2}not seen 99-not-seen \(tests\/notes\/fixtures\/claims\.ipynb, cell 3\): this run was impossibly fast; measured 0\.50, expected ≥ 1000; load [0-9.]+/,
  );
});

test("claims.json holds each claim with its notebook, cell and load", () => {
  const claims = JSON.parse(readFileSync(join(build, "claims.json"), "utf8")) as BuildClaim[];
  assert.equal(
    claims.map((c) => [c.id, c.cell, c.kind, c.held]),
    [
      ["99-held", 2, "always", true],
      ["99-not-seen", 3, "machine", false],
      ["99-broken", 4, "always", false],
    ],
  );
  for (const c of claims) assert.ok(c.notebook === "tests/notes/fixtures/claims.ipynb" && typeof c.load === "number");
});

test("the page shows the claims as styled blocks; the cell after the failed claim did not run", () => {
  const html = readFileSync(join(site, "claims.html"), "utf8");
  for (const [id, state] of [
    ["99-held", "held"],
    ["99-not-seen", "not-seen"],
    ["99-broken", "failed"],
  ])
    assert.match(html, `<div class="interleave-claim interleave-claim-${state}" data-claim="${id}">`);
  assert.match(html, 'class="interleave-machine');
  const executed = JSON.parse(readFileSync(join(build, "notebooks", "claims.ipynb"), "utf8")) as { cells: { outputs?: { output_type: string }[] }[] };
  assert.equal(executed.cells[5].outputs ?? [], [], "the cell after the failed claim did not run");
  assert.ok(existsSync(join(site, "index.html")));
});

test.run();
