// The share of one worker in each course workload, written against the course
// area's own functions (src/course) so the benchmark times the course's code.
// Each job returns plain data; the parent combines the shares.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { matmulRounds, multiplyRows, randomMatrix } from "../../src/course/matmul";
import { shoelaceFile, shoelaceText } from "../../src/course/shoelace";
import { windCountsDir, windCountsText } from "../../src/course/metar";
import { countLettersFile, letterCountSingle } from "../../src/course/letters";
import { threadCpus, threadId } from "../pin";

type Slot = { a: Int32Array; b: Int32Array; out: Int32Array };
let mat: { slots: Slot[]; n: number } | null = null;

type Job = (args: any, id: number) => unknown;

/**
 * Indices in the matmul control words (an Int32Array over a SharedArrayBuffer of
 * MATMUL_CTL.words): rounds published, worker-rounds finished, a party failed, the
 * next share to take in slot 0 and in slot 1, and arrivals at the publish gate.
 */
export const MATMUL_CTL = { published: 0, finished: 1, failed: 2, nextShare: 3, arrived: 5, words: 6 } as const;

/**
 * Shares of one round's rows. Enough that the last share taken leaves little
 * imbalance (a share of 200 rows is ~0.6 ms of work); few enough that each call of
 * multiplyRows covers several rows, as the single version's call and chapter 7's
 * do. How V8 compiles the kernel depends on how it is called (one row per call
 * was measured up to 1.6× faster in some worker isolates, not in others), and the
 * split must not be credited with a gain that is not parallelism.
 */
export const MATMUL_SHARES = 20;

/**
 * How long a worker waiting for the next round polls before it sleeps, when there
 * are no more workers than cores (the parent decides). The wait is usually the
 * other worker's last share (< 1 ms). A thread that sleeps that long lets its
 * (virtual) CPU go idle: on the 2-core VMs this was measured on, a worker woken from
 * such a sleep started 0.4–0.6 ms after the notify, with nothing else running (a
 * tenth of a round). Barrier implementations (libgomp's, Go's) spin
 * briefly before they block for the same reason. With more workers than cores a
 * poller would keep a core from a worker that still has rows to do.
 */
export const MATMUL_SPIN_MS = 1;

/** Round q (0-based) can start: its share counter is reset, then it is published. */
export function publishRound(ctl: Int32Array, q: number): void {
  Atomics.store(ctl, MATMUL_CTL.nextShare + (q % 2), 0);
  Atomics.store(ctl, MATMUL_CTL.published, q + 1);
  Atomics.notify(ctl, MATMUL_CTL.published);
}

/**
 * One of the two conditions for round q ≥ 1 is met: the parent has drawn its
 * matrices, or the last worker has finished round q − 1. Whoever comes second
 * publishes it, so a round starts as soon as it can: the workers run round after
 * round without waiting for the parent's event loop to notice. One counter serves
 * every round because arrivals for q + 1 come only after both for q: the worker's
 * once round q is finished (so published), the parent's once round q is published
 * (it draws q + 1 into the slot of round q − 1 and waits for that).
 */
export function arriveToPublish(ctl: Int32Array, q: number): void {
  if (Atomics.add(ctl, MATMUL_CTL.arrived, 1) + 1 === 2 * q) publishRound(ctl, q);
}

/** Waits until round r is published (true) or a party failed (false). */
function awaitRound(ctl: Int32Array, r: number, spinMs: number): boolean {
  const spinUntil = performance.now() + spinMs;
  for (;;) {
    if (Atomics.load(ctl, MATMUL_CTL.failed)) return false; // another party failed: its error is the answer
    if (Atomics.load(ctl, MATMUL_CTL.published) > r) return true;
    if (performance.now() < spinUntil) continue;
    // Published rounds only grow: while round r is not out, the word holds r.
    if (Atomics.wait(ctl, MATMUL_CTL.published, r, 30_000) === "timed-out") throw new Error(`matmulRounds: round ${r} was not published within 30 s`);
  }
}

/**
 * The course's single-threaded versions, each a whole workload on one thread: the
 * "single" side of the course figures and the answer the splits must give.
 */
export const singles = {
  matmul(a: { n: number; rounds: number; seed: number }) {
    const r = matmulRounds(a);
    return { checksum: r.checksum, sum: r.sum };
  },
  shoelace: (a: { file: string }) => shoelaceFile(a.file),
  wind: (a: { dir: string }) => windCountsDir(a.dir),
  letters: (a: { files: string[]; passes: number }) => Array.from(letterCountSingle(a.files, a.passes)),
};

/** One call of a single-threaded version: which, and its arguments. */
export type SingleTask = { [K in keyof typeof singles]: { name: K; args: Parameters<(typeof singles)[K]>[0] } }[keyof typeof singles];

/** Runs a single-threaded version on this thread. */
export function runSingle(t: SingleTask): unknown {
  return (singles[t.name] as (args: unknown) => unknown)(t.args);
}

export const jobs: Record<string, Job> = {
  /**
   * A single-threaded version, whole, on this worker (the bench's "single"). The
   * bench runs it here rather than on its own main thread so that both sides of a
   * speedup run in isolates with the same history (see course.ts, `soloSingle`).
   */
  single: (t: SingleTask) => runSingle(t),
  /** This worker's kernel thread id and the CPUs it may run on (tests of pinning). */
  whereAmI() {
    const tid = threadId();
    return { tid, cpus: threadCpus(tid) };
  },
  /** Keeps views of the shared matrices for the rounds that follow. */
  matmulInit(args: { slots: Array<{ a: SharedArrayBuffer; b: SharedArrayBuffer; out: SharedArrayBuffer }>; n: number }) {
    const slots = args.slots.map((s) => ({ a: new Int32Array(s.a), b: new Int32Array(s.b), out: new Int32Array(s.out) }));
    mat = { slots, n: args.n };
    return true;
  },
  /**
   * All `rounds` of the course's loop on this worker, as chapter 7's barrier workers
   * run them: wait until round r is published (its matrices are drawn), multiply a
   * part of it, report the round done, go on. The part: chapter 7's interleaved rows
   * (share k = rows k, k + MATMUL_SHARES, …), but more shares than workers, taken
   * from the slot's shared counter (Atomics.add), so a worker that shares its core
   * with the parent's drawing takes fewer shares instead of holding the others up.
   * The last worker to finish a round publishes the next one if it is drawn
   * (arriveToPublish). Shared-memory waits, not a message per round: a round is a
   * few ms and a message round trip through two event loops is a noticeable part of it.
   */
  matmulRounds(args: { ctl: SharedArrayBuffer; rounds: number; workers: number; spinMs: number }) {
    if (!mat) throw new Error("matmulRounds before matmulInit");
    const { slots, n } = mat;
    const ctl = new Int32Array(args.ctl);
    try {
      for (let r = 0; r < args.rounds; r++) {
        if (!awaitRound(ctl, r, args.spinMs)) return false;
        const s = slots[r % 2];
        const next = MATMUL_CTL.nextShare + (r % 2);
        for (let k = Atomics.add(ctl, next, 1); k < MATMUL_SHARES; k = Atomics.add(ctl, next, 1)) {
          multiplyRows(s.a, s.b, s.out, n, k, MATMUL_SHARES);
        }
        if (Atomics.add(ctl, MATMUL_CTL.finished, 1) + 1 === args.workers * (r + 1)) {
          Atomics.notify(ctl, MATMUL_CTL.finished);
          if (r + 1 < args.rounds) arriveToPublish(ctl, r + 1);
        }
      }
      return true;
    } catch (err) {
      abandonMatmul(ctl);
      throw err;
    }
  },
  /**
   * Polygons of the file, read by the workers themselves: piece k is the lines that
   * start in bytes [size·k/pieces, size·(k+1)/pieces), taken from a shared counter
   * (Atomics.add) and counted by the course's own shoelaceText. Each worker reads its
   * pieces into one buffer it keeps (readPiece), so the file's bytes are read in
   * parallel and land in pages already mapped; reading the whole file on the main
   * thread first was a serial ~14 ms of a ~90 ms run, most of it page faults on a
   * fresh buffer. More pieces than workers, so one worker being slower (its core
   * shared, its heap busier) does not leave the other waiting at the end. Line
   * numbers in error messages count from the piece's start.
   */
  shoelacePieces(args: { file: string; size: number; pieces: number; next: SharedArrayBuffer }) {
    const next = new Int32Array(args.next);
    const fd = openSync(args.file, "r");
    try {
      let count = 0;
      let twice = 0;
      for (let k = Atomics.add(next, 0, 1); k < args.pieces; k = Atomics.add(next, 0, 1)) {
        const from = Math.floor((args.size * k) / args.pieces);
        const to = Math.floor((args.size * (k + 1)) / args.pieces);
        const r = shoelaceText(readPiece(fd, args.size, from, to));
        count += r.count;
        twice += r.twice;
      }
      return { count, twice };
    } finally {
      closeSync(fd);
    }
  },
  /** The machine control: a pure integer loop, no memory traffic, no messages during it. */
  spin(args: { n: number }) {
    return spinLoop(args.n);
  },
  /**
   * The kernel control: matmul's kernel on fixed matrices of this worker's own
   * (kernelProducts), shares of rows taken from a shared counter. No drawing, no
   * meeting per round, no memory written by another thread: what the machine gives
   * this kind of code just then. Unlike the integer loop it loads and multiplies
   * every cycle, so it also feels a core slowed by a busy neighbour.
   */
  kernel(args: { n: number; products: number; next: SharedArrayBuffer }) {
    return kernelProducts(args.n, args.products, new Int32Array(args.next));
  },
  /** Wind counts (8 directions) over some METAR files. */
  windFiles(args: { files: string[] }) {
    const dist = [0, 0, 0, 0, 0, 0, 0, 0];
    for (const f of args.files) windCountsText(readFileSync(f, "utf8"), dist);
    return dist;
  },
  /**
   * Letter counts (a..z) of whole documents, as chapter 3's threads count them: a
   * document is read once and its text counted `passes` times. Documents are taken
   * one at a time, largest first, from a shared index (Atomics.add), so the workers
   * stay busy until the last, smallest ones. Counts go into this worker's own table
   * (chapter 4's "per document" fix: no lock, nothing lost); the parent adds them.
   */
  letterDocs(args: { files: string[]; passes: number; next: SharedArrayBuffer }) {
    const next = new Int32Array(args.next);
    const freq = new Int32Array(26);
    for (let k = Atomics.add(next, 0, 1); k < args.files.length; k = Atomics.add(next, 0, 1)) {
      countLettersFile(args.files[k], freq, args.passes);
    }
    return freq;
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

const kernelData = new Map<number, { a: Int32Array; b: Int32Array; out: Int32Array }>();

/**
 * `products` products of two fixed n×n matrices (seeds 1 and 2), in units of
 * MATMUL_SHARES interleaved row shares taken from `next` (Atomics.add); returns the
 * units done. Alone (next[0] = 0) it does them all: the single side of the control.
 */
export function kernelProducts(n: number, products: number, next: Int32Array): number {
  let d = kernelData.get(n);
  if (!d) {
    d = { a: randomMatrix(n, 1), b: randomMatrix(n, 2), out: new Int32Array(n * n) };
    kernelData.set(n, d);
  }
  let done = 0;
  for (let u = Atomics.add(next, 0, 1); u < products * MATMUL_SHARES; u = Atomics.add(next, 0, 1), done++) {
    multiplyRows(d.a, d.b, d.out, n, u % MATMUL_SHARES, MATMUL_SHARES);
  }
  return done;
}

let pieceBuf = Buffer.alloc(0);

/** Reads bytes [at, at + n) of fd into pieceBuf at `into`, growing it (kept for the next piece); returns the bytes read. */
function readInto(fd: number, at: number, n: number, into: number): number {
  if (into + n > pieceBuf.length) {
    const bigger = Buffer.allocUnsafeSlow(Math.max(into + n, 2 * pieceBuf.length));
    pieceBuf.copy(bigger, 0, 0, into);
    pieceBuf = bigger;
  }
  let got = 0;
  while (got < n) {
    const r = readSync(fd, pieceBuf, into + got, n - got, at + got);
    if (r === 0) break;
    got += r;
  }
  return got;
}

/**
 * The text of the lines that start in bytes [from, to) of a file of `size` bytes (a
 * line starts at byte 0 or just after a newline): read from from − 1, to see whether
 * a line starts at `from`, on past `to` to the newline that ends the last line.
 */
export function readPiece(fd: number, size: number, from: number, to: number): string {
  if (from >= to) return "";
  const at = Math.max(0, from - 1);
  let len = readInto(fd, at, to - at, 0);
  let start = 0;
  if (from > 0) {
    const nl = pieceBuf.subarray(0, len).indexOf(10);
    if (nl < 0) return ""; // no line starts in this piece
    start = nl + 1;
  }
  if (start >= len) return ""; // the next line starts at `to`: the next piece's
  let end = len;
  if (at + len < size && pieceBuf[len - 1] !== 10) {
    for (;;) {
      const more = readInto(fd, at + len, 64 * 1024, len);
      if (more === 0) break;
      const nl = pieceBuf.subarray(len, len + more).indexOf(10);
      len += more;
      end = len;
      if (nl >= 0) {
        end = len - more + nl + 1;
        break;
      }
    }
  }
  return pieceBuf.toString("utf8", start, end);
}
