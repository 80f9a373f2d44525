// Named POSIX shared-memory segments for sharing memory between processes.
//
// The owner (the thread that created a segment) unlinks it on close(), on
// process exit, and on SIGINT/SIGTERM when nobody else handles that signal (we
// then re-raise it so the default behaviour still happens). Names carry the
// owner's pid, `/interleave-<pid>-<thread>-<n>`: the process's reaper (./reaper,
// Linux) removes them when the process dies without cleaning up (SIGKILL, crash),
// and a later start sweeps those of dead owners that had no reaper.
import { readdirSync } from "node:fs";
import { threadId, isMainThread } from "node:worker_threads";
import { addon, requireAddon } from "./native";
import { startReaper } from "./reaper";
import { onOwnSignal } from "./signals";

/** Largest segment we agree to create (a guard against typos like 1e12). */
export const MAX_SEGMENT_BYTES = 1 << 30;

const PREFIX = "interleave-";
const owned = new Map<string, Segment>();
/** Mappings of segments opened (not owned) in this thread, shared by all views. */
const opened = new Map<string, ArrayBuffer>();
let counter = 0;
let hooksInstalled = false;
let swept = false;

export class Segment {
  readonly name: string;
  readonly buffer: ArrayBuffer;
  readonly owner: boolean;
  #closed = false;

  private constructor(name: string, buffer: ArrayBuffer, owner: boolean) {
    this.name = name;
    this.buffer = buffer;
    this.owner = owner;
  }

  get size(): number {
    return this.buffer.byteLength;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Creates a new segment of `size` bytes, zero-filled. `name` defaults to a
   * fresh `/interleave-<pid>-<thread>-<n>`. Raises RangeError for a bad size and
   * Error (code EEXIST) when the name is taken.
   */
  static create(size: number, name?: string): Segment {
    if (!Number.isInteger(size) || size <= 0) {
      throw new RangeError(`Segment.create: size must be a positive integer number of bytes, got ${String(size)}`);
    }
    if (size > MAX_SEGMENT_BYTES) {
      throw new RangeError(`Segment.create: size ${size} bytes is too large (at most ${MAX_SEGMENT_BYTES} bytes); use a smaller array or several segments`);
    }
    if (name !== undefined) checkName(name, "Segment.create");
    const shm = requireAddon("Shared memory between processes");
    sweepDeadSegments();
    installHooks();
    const full = name ?? `/${PREFIX}${process.pid}-${threadId}-${++counter}`;
    let buffer: ArrayBuffer;
    try {
      buffer = shm.open(full, size, true);
    } catch (e) {
      if ((e as { code?: string }).code === "EEXIST") {
        const err = new Error(
          `Segment.create: a shared-memory segment named "${full}" already exists; pick another name or open it with Segment.open("${full}")`,
        );
        (err as Error & { code: string }).code = "EEXIST";
        throw err;
      }
      throw e;
    }
    const seg = new Segment(full, buffer, true);
    owned.set(full, seg);
    startReaper();
    return seg;
  }

  /** Opens an existing segment by name (a child's side). Raises when it does not exist. */
  static open(name: string): Segment {
    checkName(name, "Segment.open");
    const mine = owned.get(name);
    if (mine) return mine;
    let buffer = opened.get(name);
    if (!buffer) {
      const shm = requireAddon("Shared memory between processes");
      try {
        buffer = shm.open(name, 0, false);
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") {
          throw new Error(
            `Segment.open: no shared-memory segment named "${name}" (its owner may have ended and removed it); keep the owner alive while others use it`,
          );
        }
        throw e;
      }
      opened.set(name, buffer);
    }
    return new Segment(name, buffer, false);
  }

  /** Owner: removes the name (mappings stay valid until dropped). Others: no-op. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.owner) {
      owned.delete(this.name);
      requireAddon("Segment.close").unlink(this.name);
    }
  }
}

function checkName(name: string, where: string): void {
  if (typeof name !== "string" || !/^\/[A-Za-z0-9._-]{1,200}$/.test(name)) {
    throw new TypeError(`${where}: name must look like "/some-name" (letters, digits, . _ -), got ${JSON.stringify(name)}`);
  }
}

/** Names of the segments this thread owns and has not closed. */
export function openSegments(): string[] {
  return [...owned.keys()];
}

/** Unlinks every segment this thread owns. Safe to call more than once. */
export function closeAllSegments(): void {
  for (const seg of [...owned.values()]) {
    try {
      seg.close();
    } catch {
      // Best effort at shutdown: one failure must not keep the others alive.
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/**
 * Removes `/dev/shm/interleave-<pid>-*` whose owner pid is no longer running
 * (left by a crash or SIGKILL). Runs once per process before the first create;
 * call it again with force=true. Returns the names removed.
 */
export function sweepDeadSegments(force = false): string[] {
  if (swept && !force) return [];
  swept = true;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync("/dev/shm");
  } catch {
    return removed; // no /dev/shm (macOS): nothing we can list
  }
  const shm = requireAddon("sweepDeadSegments");
  for (const n of names) {
    const m = /^interleave-(\d+)-/.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    if (shm.unlink(`/${n}`)) removed.push(`/${n}`);
  }
  return removed;
}

/**
 * Main thread at exit: every segment named after this pid goes, including those of
 * worker threads that were terminated before their own exit hook could run.
 */
function removeAllOfThisProcess(): void {
  closeAllSegments();
  const shm = addon();
  if (!shm || !isMainThread) return;
  let names: string[] = [];
  try {
    names = readdirSync("/dev/shm");
  } catch {
    return;
  }
  const mine = `${PREFIX}${process.pid}-`;
  for (const n of names) if (n.startsWith(mine)) shm.unlink(`/${n}`);
}

if (isMainThread) process.on("exit", removeAllOfThisProcess);

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  if (!isMainThread) process.on("exit", closeAllSegments);
  // Signals reach only the main thread; a worker's segments go at its exit.
  if (!isMainThread) return;
  // The host handles a signal (a notebook kernel turns SIGINT into an interrupt):
  // leave the decision to it; our exit hook still cleans up. Otherwise remove our
  // segments, then the signal's default action happens (see ./signals).
  for (const sig of ["SIGINT", "SIGTERM"] as const) onOwnSignal(sig, removeAllOfThisProcess);
}
