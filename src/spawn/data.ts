// Preparing `data` for a worker: shared primitives become plain descriptors
// (the sync core's encodeShared), then everything must survive structured clone.
// We check that here, before anything starts, and name the key that fails.
import type { Sharing } from "../sync/memory";
import * as transfer from "../sync/transfer";

/** Encode `data` for `target` and prove it clones; throws a TypeError naming the bad key path. */
export function prepareData(data: unknown, target: Sharing, what = "data"): unknown {
  if (data !== undefined && (data === null || typeof data !== "object" || Array.isArray(data))) {
    throw new TypeError(
      `${what} must be a plain object whose keys the worker function receives beside { id, n }, got ${
        data === null ? "null" : Array.isArray(data) ? "an array" : typeof data
      }. Wrap it: { values: … }`,
    );
  }
  if (data && ("id" in data || "n" in data)) {
    throw new TypeError(`${what} must not have keys "id" or "n": the worker function receives its own id and n there. Rename them.`);
  }
  // Plain scalars need neither encoding nor the clone check (every tiny pool task
  // takes this path: { x: 3 }).
  if (data && scalarsOnly(data)) return { ...data };
  const encoded = transfer.encodeShared(data ?? {}, target);
  try {
    structuredClone(encoded);
  } catch (err) {
    const path = findUncloneable(data, what) ?? what;
    throw new TypeError(
      `${path} cannot be sent to a worker ${target}: ${(err as Error).message}. ` +
        `Only plain data (numbers, strings, arrays, objects, Maps, typed arrays, SharedArrayBuffers) and interleave primitives ` +
        `can be passed; functions, class instances with methods, sockets and handles cannot.`,
    );
  }
  return encoded;
}

/** Depth-first search for the first value structuredClone refuses; returns its key path. */
export function findUncloneable(value: unknown, path: string, seen = new Set<unknown>()): string | undefined {
  if (typeof value === "function" || typeof value === "symbol") return path;
  if (value === null || typeof value !== "object") return undefined;
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return undefined;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const hit = findUncloneable(v, `${path}.get(${JSON.stringify(String(k))})`, seen);
      if (hit) return hit;
    }
    return undefined;
  }
  try {
    structuredClone(value);
    return undefined;
  } catch {
    /* look deeper for the culprit */
  }
  for (const key of Object.keys(value)) {
    const hit = findUncloneable((value as Record<string, unknown>)[key], Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, seen);
    if (hit) return hit;
  }
  return path;
}

/** In the worker: turn descriptors back into live primitives. */
export function reviveData(encoded: unknown): Record<string, unknown> {
  if (encoded && typeof encoded === "object" && scalarsOnly(encoded)) return encoded as Record<string, unknown>;
  return (transfer.reviveShared(encoded) ?? {}) as Record<string, unknown>;
}

/** True when every own value is a number, string, boolean, bigint, null or undefined. */
function scalarsOnly(o: object): boolean {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== null && typeof v === "object") return false;
    if (typeof v === "function" || typeof v === "symbol") return false;
  }
  return true;
}
