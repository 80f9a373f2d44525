// Main-thread safety: blocking the notebook kernel's main thread freezes the
// notebook, so under the "refuse" policy a blocking call on the main thread
// without a timeout raises, pointing at the async twin. kernel-helpers sets
// "refuse" inside the tslab kernel; plain Node scripts keep "allow".
import { isMainThread } from "node:worker_threads";

export type MainThreadPolicy = "allow" | "refuse";

let policy: MainThreadPolicy = "allow";

export function setMainThreadPolicy(p: MainThreadPolicy): void {
  if (p !== "allow" && p !== "refuse") {
    throw new TypeError(`setMainThreadPolicy: policy must be "allow" or "refuse", got ${JSON.stringify(p)}`);
  }
  policy = p;
}

export function mainThreadPolicy(): MainThreadPolicy {
  return policy;
}

/** Raises when `what` is about to block the main thread with no timeout under "refuse". */
export function checkBlocking(what: string, timeoutMs: number | undefined, asyncForm: string): void {
  if (policy === "refuse" && isMainThread && (timeoutMs === undefined || timeoutMs === Infinity)) {
    throw new Error(
      `${what} would block the notebook's main thread with no timeout, which freezes the kernel. ` +
        `Use \`await ${asyncForm}\` here, pass a timeout in milliseconds, or call it inside a worker.`,
    );
  }
}
