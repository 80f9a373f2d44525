// The share of one worker in each course workload, written against the course
// area's own functions (src/course) so the benchmark times the course's code.
// Each job returns plain data; the parent combines the shares.
import { readFileSync } from "node:fs";
import { multiplyRows } from "../../src/course/matmul";
import { shoelaceText } from "../../src/course/shoelace";
import { windCountsText } from "../../src/course/metar";
import { countLettersFile } from "../../src/course/letters";

type Slot = { a: Int32Array; b: Int32Array; out: Int32Array };
let mat: { slots: Slot[]; n: number } | null = null;

type Job = (args: any, id: number) => unknown;

/**
 * Indices in the matmul control words (an Int32Array over a SharedArrayBuffer of
 * MATMUL_CTL.words): rounds published by the parent, worker-rounds finished, a
 * worker failed, and the next share to take in slot 0 and in slot 1.
 */
export const MATMUL_CTL = { published: 0, finished: 1, failed: 2, nextShare: 3, words: 5 } as const;

/**
 * Shares of one round's rows. Enough that the last share taken leaves little
 * imbalance (a share of 200 rows is ~0.6 ms of work); few enough that each call of
 * multiplyRows covers several rows, as the single version's call and chapter 7's
 * do. How V8 compiles the kernel depends on how it is called (one row per call
 * was measured up to 1.6× faster in some worker isolates, not in others), and the
 * split must not be credited with a gain that is not parallelism.
 */
export const MATMUL_SHARES = 20;

export const jobs: Record<string, Job> = {
  /** Keeps views of the shared matrices for the rounds that follow. */
  matmulInit(args: { slots: Array<{ a: SharedArrayBuffer; b: SharedArrayBuffer; out: SharedArrayBuffer }>; n: number }) {
    const slots = args.slots.map((s) => ({ a: new Int32Array(s.a), b: new Int32Array(s.b), out: new Int32Array(s.out) }));
    mat = { slots, n: args.n };
    return true;
  },
  /**
   * All `rounds` of the course's loop on this worker, as chapter 7's barrier workers
   * run them: wait until the parent has published round r (its matrices are drawn),
   * multiply a part of it, report the round done, go on. The part: chapter 7's
   * interleaved rows (share k = rows k, k + MATMUL_SHARES, …), but more shares than
   * workers, taken from the slot's shared counter (Atomics.add), so a worker that
   * shares its core with the parent's drawing takes fewer shares instead of holding
   * the others up. Shared-memory waits, not a message per round: a round is a few ms
   * and a message round trip through two event loops is a noticeable part of it.
   */
  matmulRounds(args: { ctl: SharedArrayBuffer; rounds: number; workers: number }) {
    if (!mat) throw new Error("matmulRounds before matmulInit");
    const { slots, n } = mat;
    const ctl = new Int32Array(args.ctl);
    try {
      for (let r = 0; r < args.rounds; r++) {
        // Published rounds only grow, and round r + 1 is published only after every worker finished r.
        for (;;) {
          if (Atomics.load(ctl, MATMUL_CTL.failed)) return false; // another party failed: its error is the answer
          if (Atomics.load(ctl, MATMUL_CTL.published) > r) break;
          if (Atomics.wait(ctl, MATMUL_CTL.published, r, 30_000) === "timed-out") throw new Error(`matmulRounds: round ${r} was not published within 30 s`);
        }
        const s = slots[r % 2];
        const next = MATMUL_CTL.nextShare + (r % 2);
        for (let k = Atomics.add(ctl, next, 1); k < MATMUL_SHARES; k = Atomics.add(ctl, next, 1)) {
          multiplyRows(s.a, s.b, s.out, n, k, MATMUL_SHARES);
        }
        if (Atomics.add(ctl, MATMUL_CTL.finished, 1) + 1 === args.workers * (r + 1)) Atomics.notify(ctl, MATMUL_CTL.finished);
      }
      return true;
    } catch (err) {
      abandonMatmul(ctl);
      throw err;
    }
  },
  /**
   * Polygons of a shared copy of the file, cut by the parent at line ends into
   * pieces: pieces [cuts[k], cuts[k + 1]) are taken from a shared counter
   * (Atomics.add) and counted by the course's own shoelaceText. More pieces than
   * workers, so one worker being slower (its core shared, its heap busier) does not
   * leave the other waiting at the end. Line numbers in error messages count from
   * the piece's start.
   */
  shoelacePieces(args: { bytes: SharedArrayBuffer; cuts: number[]; next: SharedArrayBuffer }) {
    const buf = Buffer.from(args.bytes);
    const next = new Int32Array(args.next);
    let count = 0;
    let twice = 0;
    for (let k = Atomics.add(next, 0, 1); k < args.cuts.length - 1; k = Atomics.add(next, 0, 1)) {
      const r = shoelaceText(buf.toString("utf8", args.cuts[k], args.cuts[k + 1]));
      count += r.count;
      twice += r.twice;
    }
    return { count, twice };
  },
  /** The machine control: a pure integer loop, no memory traffic, no messages during it. */
  spin(args: { n: number }) {
    return spinLoop(args.n);
  },
  /** Wind counts (8 directions) over some METAR files. */
  windFiles(args: { files: string[] }) {
    const dist = [0, 0, 0, 0, 0, 0, 0, 0];
    for (const f of args.files) windCountsText(readFileSync(f, "utf8"), dist);
    return dist;
  },
  /**
   * Letter counts (a..z) of the documents, every pass: the course's per-document count
   * (countLettersFile), documents taken one at a time from a shared index (Atomics.add)
   * over passes × documents, so the workers stay busy until the last, smallest ones.
   * Each pass counts into its own table, as each pass of the single version counts
   * afresh; the tables come back as one array, pass after pass.
   */
  letterTake(args: { files: string[]; passes: number; next: SharedArrayBuffer }) {
    const next = new Int32Array(args.next);
    const d = args.files.length;
    const tables = new Int32Array(26 * args.passes);
    for (let k = Atomics.add(next, 0, 1); k < d * args.passes; k = Atomics.add(next, 0, 1)) {
      const pass = Math.floor(k / d);
      countLettersFile(args.files[k % d], tables.subarray(26 * pass, 26 * pass + 26));
    }
    return tables;
  },
};

/**
 * Marks the matmul rounds failed and wakes everyone waiting on them (the parent
 * and the workers), who would otherwise wait for the party that failed. The
 * published count changes too, so a worker about to sleep on it does not.
 */
export function abandonMatmul(ctl: Int32Array): void {
  Atomics.store(ctl, MATMUL_CTL.failed, 1);
  Atomics.add(ctl, MATMUL_CTL.published, 1);
  Atomics.notify(ctl, MATMUL_CTL.published);
  Atomics.notify(ctl, MATMUL_CTL.finished);
}

/** n iterations of a dependent integer recurrence (cannot be skipped by the JIT). */
export function spinLoop(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 31) + i) | 0;
  return x;
}
