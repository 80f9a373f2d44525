// Passing primitives and shared arrays to workers and child processes.
// encodeShared replaces each one with a plain descriptor (thread: holds the
// SharedArrayBuffer; process: segment name + offset + length, JSON-safe);
// reviveShared turns descriptors back into instances of the same classes.
import { SharedObject, isDescriptor, reviveDescriptor } from "./base";
// Importing the classes registers their revivers.
import "./mutex";
import "./condition";
import "./semaphore";
import "./event";
import "./waitgroup";
import "./barrier";
import "./queue";
import "./channel";
import "./shared";

/** What a walk's `swap` returns to look inside a node instead of replacing it. */
const DESCEND = Symbol("descend");

function isPlain(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * Deep-walks plain objects and arrays, replacing every shared object by its descriptor
 * for `target`. Raises TypeError when a thread-only object is sent to a process.
 * Other values (and class instances other than ours) are left as they are.
 */
export function encodeShared(value: unknown, target: "thread" | "process"): unknown {
  if (target !== "thread" && target !== "process") {
    throw new TypeError(`encodeShared: target must be "thread" or "process", got ${JSON.stringify(target)}`);
  }
  return walk(value, (o) => (o instanceof SharedObject ? o.toDescriptor(target) : DESCEND), new Set());
}

/** The inverse of encodeShared, in the receiving worker or child. */
export function reviveShared(value: unknown): unknown {
  return walk(value, (o) => (isDescriptor(o) ? reviveDescriptor(o) : DESCEND), new Set());
}

/**
 * Copy-on-write walk of plain objects and arrays: `swap` replaces an object node
 * (or returns DESCEND to look inside it); a container is copied only where one of
 * its values changed. Cycles and class instances are left to the structured clone.
 */
function walk(v: unknown, swap: (o: object) => unknown, seen: Set<object>): unknown {
  if (typeof v !== "object" || v === null) return v;
  const s = swap(v);
  if (s !== DESCEND) return s;
  if (seen.has(v)) return v;
  if (Array.isArray(v)) {
    seen.add(v);
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const e = walk(x, swap, seen);
      if (e === x) return;
      out ??= v.slice();
      out[i] = e;
    });
    return out ?? v;
  }
  if (!isPlain(v)) return v;
  seen.add(v);
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const e = walk(x, swap, seen);
    if (e === x) continue;
    out ??= { ...(v as Record<string, unknown>) };
    out[k] = e;
  }
  return out ?? v;
}
