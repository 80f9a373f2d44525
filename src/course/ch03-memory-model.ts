// Chapter 3's memory model demo: does a thread spinning on a shared word see another
// thread's write? A worker spins on slot 0 of a SharedArrayBuffer, either with a plain
// read (`flag[0]`) or with `Atomics.load`; the calling thread writes 1 there once the
// worker spins. JavaScript's memory model promises nothing about when a plain read sees
// another thread's write: the compiler may read the word once and keep it in a register.
// Atomics.load is guaranteed to see it. The spin is bounded: the run is stopped after
// `timeoutMs`, so a loop that never sees the write cannot hang the caller.
import { threads } from "../spawn/api";
import { RunTimeoutError } from "../spawn/errors";
import { CourseInputError, checkInt } from "./errors";

export type SpinRead = "plain" | "atomic";

export interface SpinResult {
  read: SpinRead;
  /** Whether the spinning worker saw the write before the timeout. */
  saw: boolean;
  /** From the write to the worker leaving its loop, ms; null when it never did. */
  afterMs: number | null;
}

/**
 * Runs in the worker (shipped as source: no helpers). Slot 1 says "spinning", then the
 * loop waits for slot 0 to become non-zero, reading it the way `read` says. Returns
 * the time (epoch ms) it left the loop.
 */
export function spinWorker({ flag, read }: { flag: Int32Array; read: SpinRead }): number {
  Atomics.store(flag, 1, 1);
  if (read === "plain") {
    while (flag[0] === 0); // a plain read: nothing forces it to be re-read from memory
  } else {
    while (Atomics.load(flag, 0) === 0); // a sequentially consistent read: sees the write
  }
  return performance.timeOrigin + performance.now();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts one worker spinning on a shared word with a `read` read, writes 1 to the word
 * `writeAfterMs` after the worker starts spinning, and waits at most `timeoutMs` for
 * the worker to notice. Never leaves the worker running: on timeout the run is
 * stopped. Rejects with CourseInputError on bad options.
 */
export async function spinUntilWritten(read: SpinRead, opts: { writeAfterMs?: number; timeoutMs?: number } = {}): Promise<SpinResult> {
  if (read !== "plain" && read !== "atomic") throw new CourseInputError(`read must be "plain" or "atomic", got ${JSON.stringify(read)}`);
  const writeAfterMs = checkInt("writeAfterMs", opts.writeAfterMs ?? 100, 0, 10_000);
  const timeoutMs = checkInt("timeoutMs", opts.timeoutMs ?? 2000, writeAfterMs + 100, 60_000);
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const run = threads.run(1, spinWorker, { flag, read }, { timeout: timeoutMs, trace: false });
  const outcome = run.then(
    (r) => r.results[0] as number,
    (e: unknown) => {
      if (e instanceof RunTimeoutError) return null;
      throw e;
    },
  );
  // Wait until the worker spins (or the run ended early), then let the loop get hot.
  while (Atomics.load(flag, 1) === 0 && !(await Promise.race([outcome.then(() => true), sleep(5).then(() => false)])));
  await sleep(writeAfterMs);
  const writtenAt = performance.timeOrigin + performance.now();
  Atomics.store(flag, 0, 1);
  const leftAt = await outcome;
  return { read, saw: leftAt !== null, afterMs: leftAt === null ? null : Math.max(0, leftAt - writtenAt) };
}
