// Threads and processes as data: one record per kind of worker holds everything
// that differs between the two, so the rest of spawning reads a field instead of
// comparing kind names.
import type { Sharing } from "../sync/memory";
import { Segment, addon } from "../shm";
import { BoardRow, boardBytes, createBoard } from "./board";
import { startProcess, startThread, type Host, type HostOptions } from "./hosts";
import type { Backend } from "./pool-backend";
import { ProcessBackend } from "./pool-processes";
import { PiscinaBackend } from "./pool-threads";
import type { WorkerInit } from "./protocol";

/** The spawner's name: `threads` or `processes` (RunData.kind). */
export type RunKind = "threads" | "processes";

/** The most workers one run may start; beyond that, a pool. A process costs far more memory and start-up time than a thread. */
export const MAX_THREADS = 256;
export const MAX_PROCESSES = 64;
/** The most workers one pool may hold. */
export const MAX_POOL_THREADS = 256;
export const MAX_POOL_PROCESSES = 64;

/** A run's status board, where its watchdog reads each worker's wait state (board.ts). */
export interface RunBoard {
  /** What each worker's init carries to find the board (its row number is added per worker). */
  readonly init: Pick<WorkerInit, "board" | "boardSegment">;
  row(i: number): BoardRow;
  /** The run is over: release what the board holds. */
  close(): void;
}

/** A kind of worker: what one spawner (threads or processes) starts. */
export interface SpawnKind {
  /** The spawner's name, as in `threads.run` (RunData.kind). */
  readonly name: RunKind;
  /** One worker of this kind (WorkerRecord.kind), and the `shared` a primitive needs to reach it. */
  readonly sharing: Sharing;
  /** Labels: t0, t1, … or p0, p1, … (the output prefix is the label in brackets). */
  readonly letter: "t" | "p";
  readonly maxPerRun: number;
  readonly maxPerPool: number;
  /** The pool class of this kind, as the API names it. */
  readonly poolName: "ThreadPool" | "ProcessPool";
  /** The workers of a pool of this kind (pool.ts schedules the tasks). */
  pool(size: number, prefix: boolean): Backend;
  /** Start one worker on the worker entry. */
  start(init: WorkerInit, opts: HostOptions): Host;
  /** A run's status board for `n` workers, or null (waits then travel as messages). */
  board(n: number): RunBoard | null;
  /** options.resourceLimits applies: a thread's heap is set by its parent; a process has its own. */
  readonly heapLimits: boolean;
  /** Exits by itself once its result is sent (a process); a thread's leftover timers could keep it alive. */
  readonly exitsAfterResult: boolean;
  /** Its exit code and signal say something (a process); a thread reports the error that ended it instead. */
  readonly exitStatus: boolean;
}

export const THREADS: SpawnKind = {
  name: "threads",
  sharing: "thread",
  letter: "t",
  maxPerRun: MAX_THREADS,
  maxPerPool: MAX_POOL_THREADS,
  poolName: "ThreadPool",
  pool: (size) => new PiscinaBackend(THREADS, size),
  start: startThread,
  board(n) {
    const buffer = createBoard(n);
    return { init: { board: buffer }, row: (i) => new BoardRow(buffer, i), close() {} };
  },
  heapLimits: true,
  exitsAfterResult: false,
  exitStatus: false,
};

export const PROCESSES: SpawnKind = {
  name: "processes",
  sharing: "process",
  letter: "p",
  maxPerRun: MAX_PROCESSES,
  maxPerPool: MAX_POOL_PROCESSES,
  poolName: "ProcessPool",
  pool: (size, prefix) => new ProcessBackend(PROCESSES, size, prefix),
  start: startProcess,
  // The board in a shared-memory segment, so a wait costs no IPC message.
  board(n) {
    const segment = processBoard(n);
    if (!segment) return null;
    return {
      init: { boardSegment: segment.name },
      row: (i) => new BoardRow(segment.buffer, i),
      close: () => segment.close(), // unlinks the name; our mapping stays valid for the views still held
    };
  },
  heapLimits: false,
  exitsAfterResult: true,
  exitStatus: true,
};

/** A process-shared board, or null without the native addon. */
function processBoard(n: number): Segment | null {
  if (!addon()) return null;
  try {
    return Segment.create(boardBytes(n));
  } catch {
    return null; // e.g. /dev/shm full: IPC still works
  }
}
