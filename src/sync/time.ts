// Timeout arguments: undefined or Infinity = wait forever; a number >= 0 = at most that many ms.

export function checkTimeout(timeoutMs: unknown, where: string): number | undefined {
  if (timeoutMs === undefined || timeoutMs === Infinity) return undefined;
  if (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`${where}: timeout must be a number of milliseconds >= 0 (or undefined to wait forever), got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}

/** Absolute deadline in performance.now() ms, Infinity for none. */
export function deadlineOf(timeoutMs: number | undefined): number {
  return timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
}

/** Milliseconds left (Infinity for none, 0 when passed). */
export function remaining(deadline: number): number {
  if (deadline === Infinity) return Infinity;
  return Math.max(0, deadline - performance.now());
}
