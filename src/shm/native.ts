// Loads the interleave-shm addon once. Without it, threads still work (they use
// SharedArrayBuffer + Atomics) but named shared memory between processes cannot exist.

export interface ShmAddon {
  open(name: string, size: number, create: boolean): ArrayBuffer;
  unlink(name: string): boolean;
  futexWait(i32: Int32Array, index: number, expected: number, timeoutMs: number): 0 | 1 | 2;
  futexWake(i32: Int32Array, index: number, count: number): number;
  hasFutex: boolean;
  /** Linux: SIGKILL this process when its parent dies (PR_SET_PDEATHSIG). Older builds lack it. */
  dieWithParent?(expectedPpid: number): boolean;
}

let loaded: ShmAddon | null | undefined;
let loadError = "";

/** The addon, or null when it did not build/load (see `addonError()`). */
export function addon(): ShmAddon | null {
  if (loaded === undefined) {
    try {
      // A real require at run time: the bundle keeps "interleave-shm" external.
      loaded = require("interleave-shm") as ShmAddon;
    } catch (e) {
      loaded = null;
      loadError = e instanceof Error ? e.message : String(e);
    }
  }
  return loaded;
}

export function addonError(): string {
  addon();
  return loadError;
}

/** The addon or a clear error: shared memory between processes needs it. */
export function requireAddon(what: string): ShmAddon {
  const a = addon();
  if (!a) {
    throw new Error(
      `${what} needs the interleave-shm addon, which did not load (${loadError}). ` +
        `Build it with \`npm run build:native\` (needs make and a C compiler); threads work without it.`,
    );
  }
  return a;
}
