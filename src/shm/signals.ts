// One process-wide registry of interleave's own signal listeners.
//
// Several parts of interleave listen for SIGINT/SIGTERM (segment cleanup in
// segment.ts, worker shutdown in src/spawn/lifecycle.ts), and more than one copy
// of the library may be loaded in one process (the kernel-helpers bundle and the
// sources under tsx). Each must tell "the host handles this signal" (a notebook
// kernel turns SIGINT into a cell interrupt: the process must live) from "only interleave
// listens" (then, after cleaning up, the default action — death by the signal —
// must still happen). So every interleave listener registers in one Set kept on
// globalThis under Symbol.for("interleave.signalHandlers"), shared by all copies;
// only listeners outside it count as the host's.
//
// Dying must run every interleave listener's cleanup first: the re-raised signal
// kills the process at once, so listeners later in the same emit never run.
// Each listener therefore carries its cleanup (under a Symbol.for key, also
// shared by all copies), and whichever fires first runs them all.
//
// A Node quirk makes SIGINT listeners fragile where code runs as
// vm.runInThisContext(…, { breakOnSigint }) (notebook kernels run cells so): while such a
// script runs, Node's SIGINT watchdog owns the signal, and when the script ends
// it installs Node's default handler (die by SIGINT). A listener added *during*
// that run, when no other SIGINT listener existed, starts libuv's signal watcher
// only to have it overridden at the end: from then on no SIGINT listener runs
// (the host's neither) and the next interrupt kills the process outright, before
// anything can clean up. interleave installs its listeners lazily, often in a
// cell's synchronous part; a host that runs such scripts calls `sigintListeners()`
// before each and `rearmSigintIfAdded` after it (kernel-helpers' tslab adapter does),
// which re-arms the watcher after one that added a SIGINT listener. Only
// then: re-arming closes the watcher, dropping a signal it has caught but not yet
// delivered.

const KEY = Symbol.for("interleave.signalHandlers");
const CLEANUP = Symbol.for("interleave.signalCleanup");

type OwnListener = (() => void) & { [CLEANUP]?: () => void };

/** The shared set of interleave's signal listeners (created by whichever copy loads first). */
export function ownSignalListeners(): Set<unknown> {
  const g = globalThis as unknown as Record<symbol, Set<unknown> | undefined>;
  g[KEY] ??= new Set<unknown>();
  return g[KEY];
}

/** How many listeners for `sig` are not interleave's: more than 0 means the host owns the signal. */
export function hostListenerCount(sig: NodeJS.Signals): number {
  const own = ownSignalListeners();
  let n = 0;
  for (const l of process.listeners(sig)) if (!own.has(l)) n++;
  return n;
}

/**
 * Listens for `sig` as interleave. When the host also listens, `onHostSignal`
 * runs (the process lives on). When only interleave listens, every interleave
 * listener's `cleanup` runs (each at most once, errors ignored), all of them are
 * removed, and the signal is raised again: the default action happens as if
 * interleave had never listened.
 */
export function onOwnSignal(sig: NodeJS.Signals, cleanup: () => void, onHostSignal?: () => void): void {
  const listener: OwnListener = () => {
    if (hostListenerCount(sig) > 0) onHostSignal?.();
    else dieBy(sig);
  };
  listener[CLEANUP] = cleanup;
  ownSignalListeners().add(listener);
  process.on(sig, listener);
}

/** The SIGINT listeners now, to compare with after a script run (`rearmSigintIfAdded`). */
export function sigintListeners(): ReadonlySet<unknown> {
  return new Set(process.rawListeners("SIGINT"));
}

/**
 * Call once a breakOnSigint script run is over, with `sigintListeners()` taken
 * before it: when a SIGINT listener was added meanwhile, restarts libuv's watcher
 * (see the quirk above) by removing and re-adding every listener, in order, as
 * Node's vm does itself after such a run. Returns whether it did.
 */
export function rearmSigintIfAdded(before: ReadonlySet<unknown>): boolean {
  const now = process.rawListeners("SIGINT") as ((...a: unknown[]) => void)[];
  if (!now.some((l) => !before.has(l))) return false;
  process.removeAllListeners("SIGINT");
  for (const l of now) process.on("SIGINT", l);
  return true;
}

function dieBy(sig: NodeJS.Signals): void {
  const own = ownSignalListeners();
  const mine = process.listeners(sig).filter((l) => own.has(l)) as OwnListener[];
  for (const l of mine) {
    process.removeListener(sig, l);
    own.delete(l);
  }
  for (const l of mine) {
    try {
      l[CLEANUP]?.();
    } catch {
      // Best effort while dying: one failed cleanup must not keep the others from running.
    }
  }
  process.kill(process.pid, sig);
}
