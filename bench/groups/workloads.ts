// The course's CPU-bound workloads, each runnable single-threaded (the course's
// own single version) and split over a crew of worker threads. Both must give
// the same answer; `same` says how to compare.
import { statSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";
import { checksum, randomMatrix } from "../../src/course/matmul";
import { Rng } from "../../src/course/prng";
import { generatePolygons } from "../../src/course/shoelace";
import { metarFiles, windCountsDir } from "../../src/course/metar";
import { generateMetarDataset } from "../../src/course/metar-gen";
import { corpusFiles } from "../../src/course/letters";
import type { Crew } from "../crew";
import { abandonMatmul, arriveToPublish, MATMUL_CTL, MATMUL_SPIN_MS, publishRound, runSingle, type SingleTask } from "../child/course-jobs";

/** Two versions of a workload gave different answers: a bug, never a skip. */
export class DisagreeError extends Error {}

/** The workload's answer from its single-threaded version, run on this thread. */
export function singleHere<R>(w: Workload<R>): R {
  return runSingle(w.singleTask()) as R;
}

export interface Workload<R = unknown> {
  name: string;
  /** Workloads with the "≥ 1.8× at 2 workers" target. */
  target2: boolean;
  /** Makes the input data in `dir` (or returns why it cannot). */
  prepare(dir: string, smoke: boolean): Promise<string | null>;
  /** The course's single-threaded version of this workload (course-jobs `singles`). */
  singleTask(): SingleTask;
  parallel(crew: Crew): Promise<R>;
  /** Crew-side setup done once per crew (not timed). */
  init?(crew: Crew): Promise<void>;
  same(a: R, b: R): boolean;
  show(r: R): string;
  /** The Python original: script in bench/python and its arguments; it prints JSON. */
  python?: { script: string; args: string[] };
  /** The Python original's JSON output, reduced to the same result shape. */
  fromPython?(json: any): R;
}

// ---- matmul: chapters 7–8 ------------------------------------------------------

/** Atomics.waitAsync (Node ≥ 16), which the ES2023 lib this project compiles against does not declare. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number, ms?: number): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

interface MatmulOut {
  checksum: number;
  sum: number;
}

export function matmul(): Workload<MatmulOut> {
  let n = 200;
  let rounds = 10;
  const seed = 1;
  // Two slots of (a, b, out): the main thread draws round r+1's matrices and folds
  // round r−1's product into the checksum while the workers multiply round r, so
  // the serial part of the course's loop overlaps the parallel part.
  let slots: Array<{ a: SharedArrayBuffer; b: SharedArrayBuffer; out: SharedArrayBuffer }> = [];
  const ctlBytes = new SharedArrayBuffer(MATMUL_CTL.words * 4);
  return {
    name: "matmul",
    target2: true,
    async prepare(_dir, smoke) {
      if (smoke) [n, rounds] = [40, 4]; // 4: rounds from the third on take the paths where both publish arrivals race
      const bytes = n * n * 4;
      const slot = () => ({ a: new SharedArrayBuffer(bytes), b: new SharedArrayBuffer(bytes), out: new SharedArrayBuffer(bytes) });
      slots = [slot(), slot()];
      return null;
    },
    singleTask: () => ({ name: "matmul", args: { n, rounds, seed } }),
    async init(crew) {
      await crew.all("matmulInit", () => ({ slots, n }));
    },
    // The course's barrier loop (chapter 7): the workers stay in one job for all rounds
    // and meet through shared control words (course-jobs matmulRounds), taking
    // interleaved shares of the product's rows from a shared counter. Round q is
    // published by whichever comes second: this thread having drawn it, or the last
    // worker having finished round q − 1 (arriveToPublish).
    async parallel(crew) {
      const views = slots.map((s) => ({ a: new Int32Array(s.a), b: new Int32Array(s.b), out: new Int32Array(s.out) }));
      const ctl = new Int32Array(ctlBytes);
      ctl.fill(0);
      const rng = new Rng(seed);
      let h = 0;
      let sum = 0;
      const fold = (out: Int32Array) => {
        h = checksum(out, h);
        for (let i = 0; i < out.length; i++) sum += out[i];
      };
      const spinMs = crew.size <= availableParallelism() ? MATMUL_SPIN_MS : 0;
      const job = crew.all("matmulRounds", () => ({ ctl: ctlBytes, rounds, workers: crew.size, spinMs }));
      job.catch(() => {}); // awaited below; a failure also shows in ctl
      /** Until control word `at` reaches `target`; false when a party failed. */
      const until = async (at: number, target: number) => {
        for (let d = Atomics.load(ctl, at); d < target; d = Atomics.load(ctl, at)) {
          if (Atomics.load(ctl, MATMUL_CTL.failed)) return false;
          const w = waitAsync(ctl, at, d);
          if (w.async) await Promise.race([w.value, job]);
        }
        return !Atomics.load(ctl, MATMUL_CTL.failed);
      };
      try {
        randomMatrix(n, rng, views[0].a);
        randomMatrix(n, rng, views[0].b);
        publishRound(ctl, 0);
        for (let q = 1; q < rounds; q++) {
          const v = views[q % 2];
          // Slot q % 2 last served round q − 2. Once round q − 1 is published, that round
          // is finished and both arrivals for q − 1 are in (arriveToPublish's rule): fold
          // its product, in round order, and draw round q there.
          if (q >= 2) {
            if (!(await until(MATMUL_CTL.published, q))) break;
            fold(v.out);
          }
          randomMatrix(n, rng, v.a);
          randomMatrix(n, rng, v.b);
          arriveToPublish(ctl, q);
        }
        await until(MATMUL_CTL.finished, crew.size * rounds);
      } catch (err) {
        abandonMatmul(ctl);
        await job.catch(() => {});
        throw err;
      }
      await job; // rejects with the worker's error if one failed
      if (rounds >= 2) fold(views[(rounds - 2) % 2].out);
      fold(views[(rounds - 1) % 2].out);
      return { checksum: h, sum };
    },
    same: (x, y) => x.checksum === y.checksum && x.sum === y.sum,
    show: (r) => `checksum ${r.checksum}, sum ${r.sum}`,
    get python() {
      return { script: "matmul.py", args: ["--n", String(n), "--rounds", String(rounds), "--seed", String(seed)] };
    },
    fromPython: (j) => ({ checksum: Number(j.checksum), sum: Number(j.sum) }),
  };
}

// ---- shoelace: chapter 11 -------------------------------------------------------

interface ShoelaceOut {
  count: number;
  totalArea: number;
}

/** Pieces of the polygon file per worker: enough that the last pieces even out the workers' finish. */
const SHOELACE_PIECES_PER_WORKER = 8;

export function shoelace(): Workload<ShoelaceOut> {
  let file = "";
  const next = new SharedArrayBuffer(4);
  return {
    name: "shoelace",
    target2: true,
    async prepare(dir, smoke) {
      file = join(dir, "polygons.txt");
      await generatePolygons(file, smoke ? 2_000 : 100_000, 1);
      return null;
    },
    singleTask: () => ({ name: "shoelace", args: { file } }),
    // The workers read the file themselves, piece by piece: byte ranges taken from a
    // shared counter, each the lines that start in it (course-jobs shoelacePieces).
    async parallel(crew) {
      new Int32Array(next)[0] = 0;
      const size = statSync(file).size;
      const pieces = SHOELACE_PIECES_PER_WORKER * crew.size;
      const parts = await crew.all<{ count: number; twice: number }>("shoelacePieces", () => ({ file, size, pieces, next }));
      let count = 0;
      let twice = 0;
      for (const p of parts) {
        count += p.count;
        twice += p.twice;
      }
      return { count, totalArea: twice / 2 };
    },
    same: (x, y) => x.count === y.count && x.totalArea === y.totalArea,
    show: (r) => `${r.count} polygons, total area ${r.totalArea}`,
    get python() {
      return { script: "shoelace.py", args: [file] };
    },
    fromPython: (j) => ({ count: Number(j.count), totalArea: Number(j.totalArea ?? j.total_area) }),
  };
}

// ---- wind: chapter 10 -----------------------------------------------------------

export function wind(): Workload<number[]> {
  let dir = "";
  return {
    name: "wind",
    target2: false,
    async prepare(base, smoke) {
      dir = join(base, "metar");
      // The course's data set: 12 generated months (seed 1); the generator knows the counts they must give.
      const made = generateMetarDataset(dir, { months: smoke ? 2 : 12, seed: 1 });
      const counts = windCountsDir(dir);
      if (!made.expected.every((v, i) => v === counts[i])) {
        throw new DisagreeError(`wind: windCountsDir gave ${counts.join(" ")}, the generator expected ${made.expected.join(" ")}`);
      }
      return null;
    },
    singleTask: () => ({ name: "wind", args: { dir } }),
    // Whole files per worker, dealt round-robin: the files are of similar size.
    async parallel(crew) {
      const files = metarFiles(dir);
      const parts = await crew.all<number[]>("windFiles", (id) => ({ files: files.filter((_, i) => i % crew.size === id) }));
      return parts.reduce((acc, p) => acc.map((v, i) => v + p[i]), [0, 0, 0, 0, 0, 0, 0, 0]);
    },
    same: (x, y) => x.length === y.length && x.every((v, i) => v === y[i]),
    show: (r) => `N..NW ${r.join(" ")}`,
    get python() {
      return { script: "wind.py", args: [dir] };
    },
    fromPython: (j) => (Array.isArray(j) ? j : j.counts).map(Number),
  };
}

// ---- letter count: chapters 3–4 -----------------------------------------------

/**
 * Times each document is counted per run, after reading it once (chapter 3's
 * PASSES): one pass over the corpus (~600 kB) is only ~1.5 ms, and 40 make a run of
 * ~60 ms, in which the crew's message round trip (< 0.5 ms) hardly counts.
 * Reading every document again on every pass timed something else: decoding it
 * into a fresh string of up to 170 kB, which V8 places in pages of its own that the
 * kernel must fault in. That was about half of the single run, and on 2 workers
 * reading and decoding alone gained only 1.5× (page faults of one process's
 * threads scale poorly), which held the whole count at ~1.5×.
 */
const LETTER_PASSES = 40;

export function letters(): Workload<number[]> {
  let files: string[] = [];
  let passes = LETTER_PASSES;
  const next = new SharedArrayBuffer(4);
  return {
    name: "letter count",
    target2: true,
    async prepare(_dir, smoke) {
      files = corpusFiles({ count: 20, allowFewer: true }); // largest first
      if (smoke) passes = 1;
      return null;
    },
    singleTask: () => ({ name: "letters", args: { files, passes } }),
    // The workers take whole documents, largest first, from one shared index
    // (course-jobs letterDocs), each counting into its own table; the main thread adds
    // the 26 slots. Sizes differ 8× and the cost per byte differs too (documents with
    // non-ASCII text decode slower), so a fixed deal leaves one worker waiting.
    async parallel(crew) {
      new Int32Array(next)[0] = 0;
      const parts = await crew.all<Int32Array>("letterDocs", () => ({ files, passes, next }));
      return Array.from({ length: 26 }, (_, i) => parts.reduce((s, t) => s + t[i], 0));
    },
    same: (x, y) => x.length === y.length && x.every((v, i) => v === y[i]),
    show: (r) => `${r.reduce((a, b) => a + b, 0)} letters`,
  };
}
