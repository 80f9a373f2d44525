// What every shared primitive has: an id and label (same in every thread and
// process), a PrimitiveRef for the observer, its memory, and a descriptor for
// transfer. Each class names itself on the wire (its static `tag`) and registers
// a reviver for reviveShared().
import { threadId } from "node:worker_threads";
import type { PrimitiveKind, PrimitiveRef } from "../trace/types";
import { Memory, type MemoryDescriptor, type Sharing } from "./memory";

export const TAG = "__interleave";

export interface Descriptor {
  [TAG]: string;
  id: string;
  label?: string;
  mem: MemoryDescriptor;
  /** Class-specific extras (nested descriptors, parties, …). */
  extra?: unknown;
}

export interface SharedOptions {
  /** "thread" (default): SharedArrayBuffer; "process": a named shared-memory segment. */
  shared?: Sharing;
  /** Shown in charts and errors. */
  label?: string;
}

/** Internal: how revive() hands memory and id to a constructor. */
export interface Attach {
  mem: Memory;
  id: string;
  label?: string;
  extra?: unknown;
  quiet?: boolean;
}
export const ATTACH = Symbol("interleave.attach");

let counter = 0;
export function newId(kind: string): string {
  return `${kind}-${process.pid}-${threadId}-${++counter}`;
}

/** Checks a primitive's `{ shared, label }` options (undefined: defaults). */
export function checkSharedOptions(opts: unknown, where: string): SharedOptions {
  if (opts === undefined) return {};
  if (typeof opts !== "object" || opts === null) {
    throw new TypeError(`${where}: options must be an object like { shared: "process", label: "lock A" }, got ${String(opts)}`);
  }
  const o = opts as SharedOptions;
  if (o.shared !== undefined && o.shared !== "thread" && o.shared !== "process") {
    throw new TypeError(`${where}: shared must be "thread" or "process", got ${JSON.stringify(o.shared)}`);
  }
  if (o.label !== undefined && typeof o.label !== "string") {
    throw new TypeError(`${where}: label must be a string, got ${typeof o.label}`);
  }
  return o;
}

/** Checks an integer argument `arg` >= `min` (a count, a permit value). */
export function checkInteger(n: unknown, where: string, arg: string, min = 0): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
    throw new (typeof n === "number" ? RangeError : TypeError)(`${where}: ${arg} must be an integer >= ${min}, got ${String(n)}`);
  }
  return n;
}

export abstract class SharedObject {
  /** The class's name in a descriptor, which reviveShared() looks up: each class sets its own. */
  declare static readonly tag: string;
  readonly id: string;
  readonly label?: string;
  /** What the observer and charts see. */
  readonly ref: PrimitiveRef;
  /** @internal */
  readonly mem: Memory;

  protected constructor(kind: PrimitiveKind, mem: Memory, id: string, label?: string) {
    this.mem = mem;
    this.id = id;
    this.label = label;
    this.ref = label === undefined ? { kind, id } : { kind, id, label };
  }

  /** "thread" or "process": who can reach this object's memory. */
  get sharing(): Sharing {
    return this.mem.sharing;
  }

  /** The wire name of this object's class (its static tag). */
  protected tag(): string {
    return (this.constructor as typeof SharedObject).tag;
  }
  protected extra(_target: Sharing): unknown {
    return undefined;
  }

  /** @internal — use encodeShared(). */
  toDescriptor(target: Sharing): Descriptor {
    const name = `${this.tag()} ${this.label ? JSON.stringify(this.label) : this.id}`;
    const d: Descriptor = { [TAG]: this.tag(), id: this.id, mem: this.mem.describe(target, name) };
    if (this.label !== undefined) d.label = this.label;
    const extra = this.extra(target);
    if (extra !== undefined) d.extra = extra;
    return d;
  }

  /**
   * Owner of process memory: removes its segment name now (processes that
   * already opened it keep working). Threads: nothing to do. Idempotent.
   */
  dispose(): void {
    this.mem.free();
  }
}

type Reviver = (a: Attach) => SharedObject;
const revivers = new Map<string, Reviver>();

/** Registers how reviveShared() rebuilds an object of class `cls` (found by its own static tag) from its memory. */
export function registerReviver(cls: { readonly tag: string; readonly name: string }, revive: Reviver): void {
  if (!Object.hasOwn(cls, "tag")) throw new Error(`registerReviver: class ${cls.name} declares no static tag (its name in descriptors)`);
  revivers.set(cls.tag, revive);
}

export function isDescriptor(v: unknown): v is Descriptor {
  return typeof v === "object" && v !== null && typeof (v as Record<string, unknown>)[TAG] === "string";
}

export function reviveDescriptor(d: Descriptor): SharedObject {
  const r = revivers.get(d[TAG]);
  if (!r) throw new TypeError(`reviveShared: unknown shared object kind ${JSON.stringify(d[TAG])}`);
  return r({ mem: Memory.attach(d.mem), id: d.id, label: d.label, extra: d.extra });
}

export function attachOf(opts: unknown): Attach | undefined {
  return (opts as { [ATTACH]?: Attach } | undefined)?.[ATTACH];
}

/**
 * Constructor helper: the attach record when reviving, else fresh memory of
 * `bytes` for the validated options (computed before super(), which must be a
 * root-level statement).
 */
export function setup(opts: unknown, where: string, kind: string, bytes: number): Attach & { fresh: boolean } {
  const a = attachOf(opts);
  if (a) return { ...a, fresh: false };
  const o = checkSharedOptions(opts, where);
  return { mem: Memory.alloc(bytes, o.shared), id: newId(kind), label: o.label, fresh: true };
}
