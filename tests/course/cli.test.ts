import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { FIXTURES, runCourseCli, withTempDir } from "./helpers";
import { runCli } from "../../src/course/cli";

test("--help lists every example; no example or an unknown one exits 2", () => {
  const h = runCourseCli(["--help"]);
  assert.is(h.status, 0);
  for (const e of ["matmul", "shoelace", "polygons", "wind", "metar", "letters", "search", "bank", "trains"]) assert.ok(h.stdout.includes(e), e);
  const u = runCourseCli(["frobnicate"]);
  assert.is(u.status, 2);
  assert.match(u.stderr, /unknown example "frobnicate"/);
});

test("wind <dir> prints the 8 counts as a JSON array; a missing dir exits 2", () => {
  const r = runCourseCli(["wind", join(FIXTURES, "metar")]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), [4, 2, 3, 3, 2, 3, 1, 2]);
  const m = runCourseCli(["wind", "/no/such/dir"]);
  assert.is(m.status, 2);
  assert.match(m.stderr, /does not exist/);
});

test("bad arguments are rejected with the argument named", async () => {
  const bad = async (argv: string[], re: RegExp) => {
    let err: unknown;
    await runCli(argv).catch((e) => (err = e));
    assert.match(String(err), re, argv.join(" "));
  };
  await bad(["matmul", "--n", "x"], /--n must be a whole number/);
  await bad(["matmul", "--rounds"], /--rounds needs a value/);
  await bad(["matmul", "--bogus", "1"], /unknown option --bogus/);
  await bad(["shoelace"], /expected 1 argument/);
  await bad(["search", "only-root"], /expected 2 argument/);
  await bad(["trains", "--strategy", "magic"], /--strategy must be one of/);
});

test("polygons then shoelace; metar then wind; matmul; search", async () => {
  await withTempDir(async (dir) => {
    const f = join(dir, "p.txt");
    const made = await runCli(["polygons", f, "--count", "500", "--seed", "3"]);
    assert.equal(await runCli(["shoelace", f]), made);
    const m = (await runCli(["metar", join(dir, "m"), "--months", "1"])) as { expected: number[] };
    assert.equal(await runCli(["wind", join(dir, "m")]), m.expected);
    const mm = (await runCli(["matmul", "--n", "10", "--rounds", "2"])) as Record<string, number>;
    assert.is(mm.n, 10);
    assert.ok(Number.isInteger(mm.checksum));
    assert.equal(await runCli(["search", dir, "p.txt"]), [f]);
  });
});

test.run();
