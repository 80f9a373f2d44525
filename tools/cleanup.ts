// Process-wide cleanup: whatever a tool starts (server, kernels) registers a
// synchronous reaper here, run on normal exit, on SIGINT/SIGTERM/SIGHUP and on
// uncaught errors. Synchronous, because 'exit' handlers cannot await.
type Reaper = () => void;
type Stopper = () => Promise<void>;

const reapers = new Set<Reaper>();
const stoppers = new Set<Stopper>();
/** How long a signal waits for graceful stops before reaping by force. */
const GRACE_MS = 8000;
let installed = false;
let interruptedBy: NodeJS.Signals | undefined;

/** The signal that is ending this process, if any: long loops check it to stop early. */
export function interrupted(): NodeJS.Signals | undefined {
  return interruptedBy;
}

function runAll(): void {
  for (const r of [...reapers]) {
    reapers.delete(r);
    try {
      r();
    } catch {
      /* keep reaping the rest */
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    let signalled = false;
    process.on(sig, () => {
      // Conventional exit status 128 + signal number.
      const code = 128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1);
      if (signalled) {
        runAll(); // a second Ctrl-C: no more waiting
        process.exit(code);
      }
      signalled = true;
      interruptedBy = sig;
      console.error(`\ninterrupted (${sig}): stopping the Jupyter server and its kernels…`);
      const graceful = Promise.allSettled([...stoppers].map((s) => s()));
      const timer = new Promise((r) => setTimeout(r, GRACE_MS).unref());
      void Promise.race([graceful, timer]).then(() => {
        runAll();
        process.exit(code);
      });
    });
  }
  process.on("uncaughtException", (err) => {
    console.error(err);
    runAll();
    process.exit(1);
  });
  process.on("unhandledRejection", (err) => {
    console.error(err);
    runAll();
    process.exit(1);
  });
}

/**
 * Registers `reaper` (synchronous, forceful) to run once when the process ends,
 * and optionally `graceful` (async), which a signal awaits first (up to 8 s).
 * Returns a function that unregisters both.
 */
export function onCleanup(reaper: Reaper, graceful?: Stopper): () => void {
  install();
  reapers.add(reaper);
  if (graceful) stoppers.add(graceful);
  return () => {
    reapers.delete(reaper);
    if (graceful) stoppers.delete(graceful);
  };
}
