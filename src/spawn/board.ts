// The status board: one small row per worker thread in a SharedArrayBuffer, written
// by the worker just before it blocks and read by the parent's deadlock watchdog.
// A blocked thread cannot send messages, so the row must already be there.
// Processes get the same board in a named shared-memory segment (when the native
// addon is there; otherwise they report waits over IPC).
// Row layout (Float64): [blocked 0|1, prim slot, since (epoch ms), held count, held slots…].
// Plain (non-atomic) writes are fine: the watchdog only acts on states that
// persist for many of its ticks, so a torn read is simply corrected next tick.

export const MAX_HELD = 12;
const STRIDE = 4 + MAX_HELD;

export interface WaitState {
  blocked: boolean;
  slot: number;
  since: number;
  holds: number[];
}

/** Bytes a board of `n` rows takes (a SharedArrayBuffer for threads, a segment for processes). */
export function boardBytes(n: number): number {
  return n * STRIDE * Float64Array.BYTES_PER_ELEMENT;
}

export function createBoard(n: number): SharedArrayBuffer {
  return new SharedArrayBuffer(boardBytes(n));
}

export class BoardRow {
  private readonly row: Float64Array;
  constructor(board: ArrayBufferLike, index: number) {
    this.row = new Float64Array(board, index * STRIDE * 8, STRIDE);
  }
  setBlocked(slot: number, since: number, holds: number[]): void {
    const r = this.row;
    const k = Math.min(holds.length, MAX_HELD);
    r[3] = k;
    for (let i = 0; i < k; i++) r[4 + i] = holds[i]!;
    r[1] = slot;
    r[2] = since;
    r[0] = 1; // written last: the row is complete when it says "blocked"
  }
  setRunning(): void {
    this.row[0] = 0;
  }
  read(): WaitState {
    const r = this.row;
    const k = Math.min(r[3]!, MAX_HELD);
    const holds: number[] = [];
    for (let i = 0; i < k; i++) holds.push(r[4 + i]!);
    return { blocked: r[0] === 1, slot: r[1]!, since: r[2]!, holds };
  }
}
