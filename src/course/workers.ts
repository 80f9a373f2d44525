// The course examples that run on threads or on processes take a kind, "threads" or
// "processes"; this record holds what differs between the two for them (the spawner,
// the `shared` their primitives need, how many workers an example starts at most, the
// pool), so that an example reads a field instead of comparing kind names.
import { processes, threads, type Spawner } from "../spawn/api";
import { ProcessPool, ThreadPool } from "../spawn/pool";
import type { Sharing } from "../sync/memory";
import { CourseInputError } from "./errors";

/** The kinds of worker a course example can run on. */
export type ParallelKind = "threads" | "processes";

export interface CourseWorkers {
  readonly kind: ParallelKind;
  readonly spawner: Spawner;
  /** The `shared` option of the primitives the workers use. */
  readonly shared: Sharing;
  /** The most workers one example starts (a process costs far more than a thread). */
  readonly maxWorkers: number;
  /** A pool of `size` workers of this kind. */
  pool(size: number): ThreadPool | ProcessPool;
}

const KINDS: Record<ParallelKind, CourseWorkers> = {
  threads: { kind: "threads", spawner: threads, shared: "thread", maxWorkers: 64, pool: (size) => new ThreadPool({ size }) },
  processes: { kind: "processes", spawner: processes, shared: "process", maxWorkers: 32, pool: (size) => new ProcessPool({ size }) },
};

/** The record of `kind`; a CourseInputError naming `fn` when it is neither "threads" nor "processes". */
export function courseWorkers(kind: unknown, fn: string): CourseWorkers {
  if (kind !== "threads" && kind !== "processes") {
    throw new CourseInputError(`${fn}: kind must be "threads" or "processes", got ${JSON.stringify(kind)}`);
  }
  return KINDS[kind];
}
