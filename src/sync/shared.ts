// Typed shared arrays and values (Python multiprocessing's Array('i', n) and
// Value('d')), each with an optional Mutex living in the same memory.
import { ATTACH, SharedObject, attachOf, checkSharedOptions, newId, registerReviver, type SharedOptions } from "./base";
import { Memory } from "./memory";
import { MUTEX_BYTES, Mutex } from "./mutex";

export type NumberType = "int32" | "float64";
const TYPES: NumberType[] = ["int32", "float64"];
const HEADER = 16; // mutex (8) + type code (4) + length (4)
export const MAX_ARRAY_LENGTH = (1 << 30) / 8;

export interface SharedArrayOptions extends SharedOptions {
  /** Give it a Mutex (`.lock`), as Python's Array(lock=True). Default true. */
  lock?: boolean;
}

type View<T extends NumberType> = T extends "int32" ? Int32Array : Float64Array;

function checkType(type: unknown, where: string): NumberType {
  if (!TYPES.includes(type as NumberType)) {
    throw new TypeError(`${where}: type must be "int32" or "float64", got ${JSON.stringify(type)}`);
  }
  return type as NumberType;
}

/** Validates and lays out a fresh array: header (mutex, type code, length) then values. */
function allocArray(type: NumberType, lengthOrValues: number | ArrayLike<number>, opts: SharedArrayOptions | undefined): Memory {
  const where = "sharedArray";
  checkType(type, where);
  const init = typeof lengthOrValues === "number" ? undefined : lengthOrValues;
  const length = typeof lengthOrValues === "number" ? lengthOrValues : lengthOrValues?.length;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 1) {
    throw new RangeError(
      `${where}: length must be a whole number >= 1 (or a non-empty array of initial values), got ${typeof lengthOrValues === "number" ? lengthOrValues : `${length} values`}; a shared array holds at least one element`,
    );
  }
  if (length > MAX_ARRAY_LENGTH) {
    throw new RangeError(`${where}: length ${length} is too large (at most ${MAX_ARRAY_LENGTH}); split the data`);
  }
  const o = checkSharedOptions(opts, where) as SharedArrayOptions;
  const mem = Memory.alloc(HEADER + length * 8, o.shared);
  const h = mem.i32(0, 4);
  h[2] = TYPES.indexOf(type) + (o.lock === false ? 0 : 16);
  h[3] = length;
  if (init) {
    const v = type === "int32" ? new Int32Array(mem.buffer, mem.byteOffset + HEADER, length) : new Float64Array(mem.buffer, mem.byteOffset + HEADER, length);
    for (let i = 0; i < length; i++) v[i] = init[i];
  }
  return mem;
}

/**
 * A fixed-length array of int32 or float64 in shared memory.
 *
 * - `values` is a plain typed-array view: `a.values[i]++` is NOT atomic (that is the
 *   race of chapter 4). `add(i, n)` is atomic for int32; for float64 it takes `.lock`.
 * - `lock` (when created with lock: true, the default) is a Mutex in the same memory.
 * Nothing here blocks except `lock.lock()`.
 */
export class SharedArray<T extends NumberType = NumberType> extends SharedObject {
  static readonly tag = "SharedArray";
  readonly values: View<T>;
  readonly lock: Mutex | undefined;

  constructor(type: T, lengthOrValues: number | ArrayLike<number>, opts?: SharedArrayOptions) {
    const a = attachOf(opts);
    const mem = a ? a.mem : allocArray(type, lengthOrValues, opts);
    super("mutex", mem, a ? a.id : newId("array"), a ? a.label : opts?.label);
    const h = mem.i32(0, 4);
    const t = TYPES[h[2] & 15];
    const len = h[3];
    this.values = (
      t === "int32" ? new Int32Array(mem.buffer, mem.byteOffset + HEADER, len) : new Float64Array(mem.buffer, mem.byteOffset + HEADER, len)
    ) as View<T>;
    this.lock = h[2] & 16 ? Mutex.over(mem.slice(0, MUTEX_BYTES), `${this.id}:lock`, this.label) : undefined;
  }
  get type(): T {
    return (this.values instanceof Int32Array ? "int32" : "float64") as T;
  }
  get length(): number {
    return this.values.length;
  }

  get(i: number): number {
    return this.type === "int32" ? Atomics.load(this.values as Int32Array, i) : this.values[i];
  }
  set(i: number, v: number): void {
    if (this.type === "int32") Atomics.store(this.values as Int32Array, i, v);
    else this.values[i] = v;
  }
  /** Adds n to element i atomically; returns the new value. */
  add(i: number, n: number): number {
    if (this.values instanceof Int32Array) return Atomics.add(this.values, i, n) + n;
    if (!this.lock) throw new TypeError("SharedArray.add: float64 has no atomic add; create it with { lock: true } (the default) or use int32");
    const l = this.lock;
    return l.withLock(() => (this.values[i] += n));
  }
  toArray(): number[] {
    return Array.from(this.values);
  }
}

/**
 * One shared int32/float64 number, as Python's multiprocessing.Value: `value` reads and
 * writes (not atomic read-modify-write: `v.value++` races); `add(n)` is atomic; `lock`
 * is its Mutex (unless lock: false).
 */
export class SharedValue<T extends NumberType = NumberType> extends SharedObject {
  static readonly tag = "SharedValue";
  readonly #arr: SharedArray<T>;

  constructor(type: T, initial = 0, opts?: SharedArrayOptions) {
    const made = makeValueArray(type, initial, opts);
    super("mutex", made.mem, made.id, made.label);
    this.#arr = made;
  }

  get type(): T {
    return this.#arr.type;
  }
  get lock(): Mutex | undefined {
    return this.#arr.lock;
  }
  get value(): number {
    return this.#arr.get(0);
  }
  set value(v: number) {
    this.#arr.set(0, v);
  }
  add(n: number): number {
    return this.#arr.add(0, n);
  }
}

function makeValueArray<T extends NumberType>(type: T, initial: number, opts: SharedArrayOptions | undefined): SharedArray<T> {
  const a = attachOf(opts);
  if (a) return new SharedArray<T>(type, 0, { [ATTACH]: a } as SharedArrayOptions);
  if (typeof initial !== "number") throw new TypeError(`sharedValue: initial must be a number, got ${typeof initial}`);
  return new SharedArray<T>(checkType(type, "sharedValue") as T, [initial], checkSharedOptions(opts, "sharedValue") as SharedArrayOptions);
}

export function sharedArray<T extends NumberType>(type: T, lengthOrValues: number | ArrayLike<number>, opts?: SharedArrayOptions): SharedArray<T> {
  return new SharedArray(type, lengthOrValues, opts);
}

export function sharedValue<T extends NumberType>(type: T, initial = 0, opts?: SharedArrayOptions): SharedValue<T> {
  return new SharedValue(type, initial, opts);
}

registerReviver(SharedArray, (a) => new SharedArray("int32", 0, { [ATTACH]: a } as SharedArrayOptions));
registerReviver(SharedValue, (a) => new SharedValue("int32", 0, { [ATTACH]: a } as SharedArrayOptions));
