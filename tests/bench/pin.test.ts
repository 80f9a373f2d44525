// The course figures' single side (bench/pin.ts, bench/groups/singles.ts): CPU
// lists, the harmonic mean, threads really pinned where the report says they ran,
// and the singles' workers giving the course's answers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allowedCpus, harmonicMean, parseCpuList, pinPlan, threadCpus, threadId } from "../../bench/pin";
import { Crew } from "../../bench/crew";
import { type Singles, withSingles } from "../../bench/groups/singles";
import { letters, matmul, singleHere, wind, type Workload } from "../../bench/groups/workloads";

const plan = pinPlan();
const cpus = "cpus" in plan ? plan.cpus : null;

test("parseCpuList reads the kernel's lists and refuses anything else", () => {
  assert.equal(parseCpuList("0-1"), [0, 1]);
  assert.equal(parseCpuList("3,0-2,7\n"), [0, 1, 2, 3, 7]);
  assert.equal(parseCpuList("5"), [5]);
  assert.throws(() => parseCpuList("0-1,x"), /not a CPU list: "0-1,x"/);
});

test("allowedCpus reads Cpus_allowed_list; a missing file gives []", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-pin-"));
  try {
    writeFileSync(join(dir, "status"), "Name:\tnode\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n");
    assert.equal(allowedCpus(join(dir, "status")), [0, 1]);
    assert.equal(allowedCpus(join(dir, "nope")), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("harmonicMean: a core of the cores' average speed", () => {
  assert.is(harmonicMean([10, 10]), 10);
  assert.ok(Math.abs(harmonicMean([10, 15]) - 12) < 1e-9); // two cores 1.5× apart do together what two 12 ms cores do
  assert.throws(() => harmonicMean([]), /positive times/);
  assert.throws(() => harmonicMean([10, 0]), /positive times, got \[10, 0\]/);
});

test("a pinned crew's workers run only on their CPUs, round-robin; an unpinned one may use every CPU", async () => {
  if (!cpus) {
    console.log(`  (pinning not possible here: ${"why" in plan ? plan.why : ""})`);
    return;
  }
  const pair = cpus.slice(0, 2);
  const crew = await Crew.start(3, pair);
  try {
    const where = await crew.all<{ tid: number; cpus: number[] }>("whereAmI", () => null);
    assert.equal(
      where.map((w) => w.cpus),
      [[pair[0]], [pair[1]], [pair[0]]],
    );
    assert.is(new Set(where.map((w) => w.tid)).size, 3, "each worker is a thread of its own");
    assert.equal(threadCpus(threadId()), allowedCpus(), "pinning a worker leaves the main thread alone");
  } finally {
    await crew.close();
  }
  const free = await Crew.start(1);
  try {
    const [w] = await free.all<{ cpus: number[] }>("whereAmI", () => null);
    assert.equal(w.cpus, allowedCpus());
  } finally {
    await free.close();
  }
});

test("Crew.start refuses CPU lists that are not CPU numbers, and a CPU it may not use", async () => {
  const refused = async (cpuList: number[]) => {
    try {
      await (await Crew.start(1, cpuList)).close();
    } catch (e) {
      return (e as Error).message;
    }
    return "accepted";
  };
  assert.match(await refused([]), /cpus must be CPU numbers \(integers ≥ 0\), got \[\]/);
  assert.match(await refused([-1]), /cpus must be CPU numbers \(integers ≥ 0\), got \[-1\]/);
  if (cpus) assert.match(await refused([4096]), /cannot pin thread \d+ to CPU 4096/);
});

test("the singles run on one pinned worker per core and give the course's answers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-singles-"));
  try {
    await withSingles(cpus, async (s: Singles) => {
      assert.is(s.crews.length, cpus ? 2 : 1);
      if (cpus) {
        const where = await Promise.all(s.crews.map((c) => c.all<{ cpus: number[] }>("whereAmI", () => null)));
        assert.equal(
          where.map(([w]) => w.cpus),
          [[cpus[0]], [cpus[1]]],
        );
        assert.match(s.describe(), new RegExp(`pinned, one worker on each of CPUs ${cpus[0]} and ${cpus[1]}`));
      }
      for (const w of [matmul(), wind(), letters()] as Workload[]) {
        assert.is(await w.prepare(dir, true), null);
        const expected = singleHere(w);
        for (const c of s.crews) {
          const [got] = await c.all("single", () => w.singleTask());
          assert.ok(w.same(expected, got as never), `${w.name} on a worker: ${w.show(got as never)}, here ${w.show(expected as never)}`);
        }
      }
      const perCore = s.crews.map(() => [] as number[]);
      const cpu: number[] = [];
      const h = await s.time((c) => c.all("spin", () => ({ n: 100_000 })), cpu, perCore);
      assert.ok(
        perCore.every((p) => p.length === 1),
        "one run per core",
      );
      assert.ok(Math.abs(h - harmonicMean(perCore.map((p) => p[0]))) < 1e-9, "time is the harmonic mean of the cores' times");
      assert.is(cpu.length, 1);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
