// The share of one worker in each course workload, written against the course
// area's own functions (src/course) so the benchmark times the course's code.
// Each job returns plain data; the parent combines the shares.
import { readFileSync } from "node:fs";
import { multiplyRows } from "../../src/course/matmul";
import { parsePolygon, shoelaceTwice } from "../../src/course/shoelace";
import { windCountsText } from "../../src/course/metar";
import { letterCountSingle } from "../../src/course/letters";

type Slot = { a: Int32Array; b: Int32Array; out: Int32Array };
let mat: { slots: Slot[]; n: number } | null = null;

type Job = (args: any, id: number) => unknown;

export const jobs: Record<string, Job> = {
  /** Keeps views of the shared matrices for the rounds that follow. */
  matmulInit(args: { slots: Array<{ a: SharedArrayBuffer; b: SharedArrayBuffer; out: SharedArrayBuffer }>; n: number }) {
    const slots = args.slots.map((s) => ({ a: new Int32Array(s.a), b: new Int32Array(s.b), out: new Int32Array(s.out) }));
    mat = { slots, n: args.n };
    return true;
  },
  /** Rows rowStart, rowStart + rowStep, … of out = a × b in one slot (the course's barrier worker share). */
  matmulRows(args: { slot: number; rowStart: number; rowStep: number }) {
    if (!mat) throw new Error("matmulRows before matmulInit");
    const s = mat.slots[args.slot];
    multiplyRows(s.a, s.b, s.out, mat.n, args.rowStart, args.rowStep);
    return true;
  },
  /** Polygons in bytes [start, end) of a shared copy of the file (cut at line ends by the parent). */
  shoelaceRange(args: { bytes: SharedArrayBuffer; start: number; end: number; firstLine: number }) {
    return shoelaceText(Buffer.from(args.bytes).toString("utf8", args.start, args.end), args.firstLine);
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
  /** Letter counts (a..z) over some documents: the course's single-threaded count on this worker's share. */
  letterFiles(args: { files: string[]; passes: number }) {
    // Like the single version's passes: each pass counts afresh, the last pass's table is the answer.
    let freq: number[] = new Array<number>(26).fill(0);
    for (let p = 0; p < args.passes; p++) if (args.files.length) freq = Array.from(letterCountSingle(args.files));
    return freq;
  },
};

/** Count and twice-area sum of the polygon lines of `text` (line numbers only for error messages). */
export function shoelaceText(text: string, firstLine: number): { count: number; twice: number } {
  let count = 0;
  let twice = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    twice += Math.abs(shoelaceTwice(parsePolygon(line, firstLine + i)));
    count++;
  }
  return { count, twice };
}

/** n iterations of a dependent integer recurrence (cannot be skipped by the JIT). */
export function spinLoop(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 31) + i) | 0;
  return x;
}
