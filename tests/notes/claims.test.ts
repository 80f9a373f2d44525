// Claims in the notes build (tools/claims.ts), on an executed notebook written here
// from records made by src/claims (no kernel): the collector finds every record with
// its cell, claims.json keeps other notebooks' records, the summary line counts held /
// not seen / failed and names what did not hold, and nbconvert turns the claim mime
// into the styled HTML block without a warning or the raw JSON on the page.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAIM_MIME, claimHtml, claimText, makeClaim, type ClaimOptions } from "../../src/claims";
import { claimsSummary, collectClaims, countClaims, formatClaims, writeClaims, type BuildClaim } from "../../tools/claims";
import { jupyterEnv, which } from "../../tools/jupyter-env";
import { templateFile } from "../../tools/paths";

const dir = mkdtempSync(join(tmpdir(), "interleave-claims-"));
const idle = { cores: 2, load: 0.4, busy: false };

function claimOutput(id: string, text: string, holds: boolean, opts: ClaimOptions) {
  const r = makeClaim(id, text, holds, opts, idle);
  return { output_type: "display_data", metadata: {}, data: { "text/html": claimHtml(r), "text/plain": claimText(r), [CLAIM_MIME]: r } };
}
let cellId = 0;
const code = (outputs: unknown[]) => ({ id: `c${cellId++}`, cell_type: "code", execution_count: 1, metadata: {}, source: "claim(…)", outputs });
const md = (text: string) => ({ id: `c${cellId++}`, cell_type: "markdown", metadata: {}, source: text });

const executed = join(dir, "99-fixture.ipynb");
writeFileSync(
  executed,
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript (tslab)", language: "typescript" }, language_info: { name: "typescript" } },
    cells: [
      md("# Fixture"),
      code([
        { output_type: "stream", name: "stdout", text: "1 worker: 800 ms\n" },
        claimOutput("99-speedup-2", "2 workers were at least 1.8× as fast as 1", true, { value: 1.93, expected: "≥ 1.8" }),
      ]),
      md("Some words."),
      code([
        claimOutput("99-no-lost-update", "no update was lost", true, { kind: "always", value: 0, expected: 0 }),
        claimOutput("99-pool-faster", "the pool beat the single thread", false, { value: 0.92, expected: "> 1", otherwise: "The pool was not faster here." }),
      ]),
      code([
        claimOutput("99-checksum", "the checksums agree", false, { kind: "always", value: "ab12", expected: "cd34" }),
        { output_type: "error", ename: "ClaimError", evalue: "claim 99-checksum failed", traceback: [] },
      ]),
    ],
  }),
);

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("collectClaims finds every record with its cell index (0-based, all cells)", () => {
  const claims = collectClaims(executed, "notebooks/99-fixture.ipynb");
  assert.equal(
    claims.map((c) => [c.id, c.cell, c.kind, c.held]),
    [
      ["99-speedup-2", 1, "machine", true],
      ["99-no-lost-update", 3, "always", true],
      ["99-pool-faster", 3, "machine", false],
      ["99-checksum", 4, "always", false],
    ],
  );
  const first = claims[0];
  assert.equal(first, {
    notebook: "notebooks/99-fixture.ipynb",
    cell: 1,
    id: "99-speedup-2",
    text: "2 workers were at least 1.8× as fast as 1",
    kind: "machine",
    held: true,
    value: 1.93,
    expected: "≥ 1.8",
    load: 0.4,
  });
  assert.is(collectClaims(executed)[0].notebook, "99-fixture.ipynb", "the file name by default");
});

test("the summary line counts held, not seen (machine) and failed, and names what did not hold", () => {
  const claims = collectClaims(executed, "notebooks/99-fixture.ipynb");
  assert.equal(countClaims(claims), { held: 2, notSeen: 1, failed: 1 });
  assert.is(claimsSummary(claims), "claims: 2 held, 1 not seen (machine), 1 failed");
  const report = formatClaims(claims).split("\n");
  assert.is(report[0], "claims: 2 held, 1 not seen (machine), 1 failed");
  assert.match(report[1], /^ {2}FAILED 99-checksum \(notebooks\/99-fixture\.ipynb, cell 4\): the checksums agree; measured ab12, expected cd34\./);
  assert.match(
    report[2],
    /^ {2}not seen 99-pool-faster \(notebooks\/99-fixture\.ipynb, cell 3\): the pool beat the single thread; measured 0\.92, expected > 1; load 0\.4$/,
  );
  assert.is(claimsSummary([]), "claims: 0 held, 0 not seen (machine), 0 failed");
});

test("claims.json keeps the other notebooks' records and replaces the rebuilt one's", () => {
  const file = join(dir, "build", "claims.json");
  const other: BuildClaim = {
    notebook: "notebooks/01-x.ipynb",
    cell: 2,
    id: "01-x",
    text: "x",
    kind: "machine",
    held: true,
    value: 2,
    expected: null,
    load: 0.1,
  };
  writeClaims(file, [other, { ...other, notebook: "notebooks/99-fixture.ipynb", id: "99-stale" }], ["notebooks/01-x.ipynb", "notebooks/99-fixture.ipynb"]);
  const fresh = collectClaims(executed, "notebooks/99-fixture.ipynb");
  writeClaims(file, fresh, ["notebooks/99-fixture.ipynb"]);
  const saved = JSON.parse(readFileSync(file, "utf8")) as BuildClaim[];
  assert.equal(
    saved.map((c) => c.id),
    ["01-x", "99-speedup-2", "99-no-lost-update", "99-pool-faster", "99-checksum"],
  );
  for (const c of saved) assert.equal(Object.keys(c).sort(), ["cell", "expected", "held", "id", "kind", "load", "notebook", "text", "value"]);
});

test("a malformed claim output is named, with its cell", () => {
  const bad = join(dir, "bad.ipynb");
  writeFileSync(
    bad,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [code([{ output_type: "display_data", metadata: {}, data: { [CLAIM_MIME]: { id: 3 } } }])],
    }),
  );
  assert.throws(() => collectClaims(bad), /bad\.ipynb, cell 0: a application\/vnd\.interleave\.claim\+json output is not a claim record/);
});

test("nbconvert shows a claim as its HTML block: no warning, no raw record on the page, the CSS is there", () => {
  const nbconvert = which("jupyter-nbconvert");
  if (!nbconvert) {
    console.log("  (jupyter nbconvert not installed: export check skipped)");
    return;
  }
  const out = spawnSync(nbconvert, ["--to", "html", "--template-file", templateFile, "--output-dir", join(dir, "site"), executed], {
    env: jupyterEnv(),
    encoding: "utf8",
  });
  assert.is(out.status, 0, out.stderr);
  const noise = out.stderr.split("\n").filter((l) => /warn|error|not supported|no.*mime/i.test(l));
  assert.equal(noise, [], "nbconvert said nothing about the claim mime");
  const html = readFileSync(join(dir, "site", "99-fixture.html"), "utf8");
  assert.match(html, '<div class="interleave-claim interleave-claim-held" data-claim="99-speedup-2">');
  assert.match(html, '<div class="interleave-claim interleave-claim-not-seen" data-claim="99-pool-faster">');
  assert.match(html, '<div class="interleave-claim interleave-claim-failed" data-claim="99-checksum">');
  assert.not.match(html, '"otherwise":', "the JSON record is not printed on the page");
  for (const cls of [".interleave-claim-held", ".interleave-claim-not-seen", ".interleave-claim-failed", ".interleave-machine", ".interleave-machine-busy"])
    assert.match(html, `${cls} {`, `CSS for ${cls}`);
});

test.run();
