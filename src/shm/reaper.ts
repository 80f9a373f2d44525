// The reaper: removes this process's segments after it dies by any path.
//
// Exit and signal hooks (./segment, ./signals) cover every end a process sees
// coming. SIGKILL (kill -9, Jupyter's last step of a kernel shutdown, the OOM
// killer) and crashes run no code, and their segments would stay in /dev/shm until
// some later start sweeps dead owners. So, on the main thread's first segment, a
// tiny watcher starts: a `/bin/sh` in its own session (a signal to our process
// group, as Jupyter sends, does not reach it) reading a pipe whose only write end
// this process holds (libuv opens it close-on-exec: our children do not inherit
// it). The pipe reaches end-of-file when this process ends, however it ends (on a
// normal exit: when Node closes its handles, after the exit hooks ran); the watcher
// then removes whatever is still named after our pid and exits. It never outlives
// its job: it lives as long as this process.
//
// Linux only: elsewhere (macOS) POSIX shared-memory names are not files, a shell
// cannot remove them, and the next start's sweep cannot list them either; there a
// SIGKILLed owner's segments stay until reboot (each is at most MAX_SEGMENT_BYTES).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

// `read` returns at end-of-file (nothing is ever written). Only shell built-ins
// run while the owner lives; `rm` only when something is left.
const SCRIPT = 'read -r _; set -- /dev/shm/interleave-"$1"-*; [ -e "$1" ] && exec rm -f -- "$@"; exit 0';

// One per process, also when several copies of this module are loaded (the
// kernel-helpers bundle beside the sources under tsx).
const KEY = Symbol.for("interleave.shmReaper");
const slot = globalThis as unknown as Record<symbol, ChildProcess | undefined>;

/**
 * Starts this process's reaper once (main thread, Linux; later calls do nothing).
 * Never throws and never keeps the process alive: without a reaper the exit hooks
 * and the next start's sweep still apply.
 */
export function startReaper(): void {
  if (slot[KEY] || !isMainThread || process.platform !== "linux" || !existsSync("/bin/sh")) return;
  let reaper: ChildProcess;
  try {
    reaper = slot[KEY] = spawn("/bin/sh", ["-c", SCRIPT, "interleave-shm-reaper", String(process.pid)], {
      detached: true, // setsid: its own session and process group
      stdio: ["pipe", "ignore", "ignore"],
    });
  } catch {
    return; // e.g. EAGAIN (process limit): the sweep remains
  }
  reaper.on("error", () => undefined);
  reaper.stdin?.on("error", () => undefined);
  reaper.unref();
  (reaper.stdin as { unref?: () => void } | null)?.unref?.();
}

/** The reaper's pid while it runs (tests). */
export function reaperPid(): number | undefined {
  const reaper = slot[KEY];
  return reaper && reaper.exitCode === null && reaper.signalCode === null ? reaper.pid : undefined;
}
