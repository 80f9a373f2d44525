// Lifecycle: every worker, child process and pool a run starts is registered
// here until it is gone. stopAll() ends them all; so do SIGINT (a kernel
// interrupt goes to the whole process group), SIGTERM / exit (kernel shutdown) and
// the death of our parent process (the Jupyter server was killed: we are
// re-parented, and nobody will ever shut us down).
import { closeAllSegments } from "../shm";
import { onOwnSignal } from "../shm/signals";

/** Something that can be stopped: a run, a spawned worker, a pool. */
export interface Stoppable {
  /** Stop everything it started; resolves when all of it is gone. */
  stop(reason: string): Promise<void>;
  /** Last resort at process exit: kill child processes synchronously. */
  killSync(): void;
}

const live = new Set<Stoppable>();
let hooksInstalled = false;
let parentWatch: NodeJS.Timeout | null = null;
let startPpid = process.ppid;

export function track(s: Stoppable): () => void {
  installHooks();
  live.add(s);
  if (!parentWatch) {
    // Cheap (one getppid per second) and unref'd: never keeps the process alive.
    parentWatch = setInterval(() => {
      if (process.ppid !== startPpid) {
        startPpid = process.ppid;
        void stopAll("the parent process died");
      }
    }, 1000);
    parentWatch.unref();
  }
  return () => {
    live.delete(s);
    if (live.size === 0 && parentWatch) {
      clearInterval(parentWatch);
      parentWatch = null;
    }
  };
}

/** How many runs/workers/pools are alive (for tests and `stopAll`'s report). */
export function liveCount(): number {
  return live.size;
}

/**
 * Stop every worker thread, child process and pool started through interleave,
 * and unlink every shared-memory segment. Runs still pending reject with an
 * InterruptedError. Safe to call any time, also when nothing runs.
 */
export async function stopAll(reason = "stopAll() was called"): Promise<void> {
  await Promise.allSettled([...live].map((s) => s.stop(reason)));
  closeSegments();
}

function closeSegments(): void {
  try {
    closeAllSegments();
  } catch {
    /* best effort: one failure must not stop the shutdown */
  }
}

function killAllSync(): void {
  for (const s of live) {
    try {
      s.killSync();
    } catch {
      /* keep going: this runs while the process is exiting */
    }
  }
  closeSegments();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllSync);
  // The host (tslab handles SIGINT as "interrupt the cell") keeps the process:
  // just stop our workers. If only interleave listens, kill them synchronously
  // and die by the same signal (see src/shm/signals.ts).
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    onOwnSignal(sig, killAllSync, () => void stopAll(`interrupted by ${sig}`));
  }
}
