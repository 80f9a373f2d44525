// Passing primitives and shared arrays to workers and child processes.
// encodeShared replaces each one with a plain descriptor (thread: holds the
// SharedArrayBuffer; process: segment name + offset + length, JSON-safe);
// reviveShared turns descriptors back into instances of the same classes.
import { SharedObject, isDescriptor, reviveDescriptor } from "./base";
import type { Sharing } from "./memory";
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
  return encode(value, target, new Set());
}

function encode(v: unknown, target: Sharing, seen: Set<object>): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (v instanceof SharedObject) return v.toDescriptor(target);
  if (seen.has(v)) return v; // cycles: leave to the structured clone
  if (Array.isArray(v)) {
    seen.add(v);
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const e = encode(x, target, seen);
      if (e !== x) (out ??= v.slice())[i] = e;
    });
    return out ?? v;
  }
  if (!isPlain(v)) return v;
  seen.add(v);
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const e = encode(x, target, seen);
    if (e !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = e;
  }
  return out ?? v;
}

/** The inverse of encodeShared, in the receiving worker or child. */
export function reviveShared(value: unknown): unknown {
  return revive(value, new Set());
}

function revive(v: unknown, seen: Set<object>): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (isDescriptor(v)) return reviveDescriptor(v);
  if (seen.has(v)) return v;
  if (Array.isArray(v)) {
    seen.add(v);
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const e = revive(x, seen);
      if (e !== x) (out ??= v.slice())[i] = e;
    });
    return out ?? v;
  }
  if (!isPlain(v)) return v;
  seen.add(v);
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const e = revive(x, seen);
    if (e !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = e;
  }
  return out ?? v;
}
