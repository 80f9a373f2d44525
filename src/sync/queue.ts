// BoundedQueue: a ring buffer in shared memory guarded by an internal Mutex, with
// two sequence words (not-empty, not-full) that waiters sleep on, condition-style.
import { now } from "../trace/types";
import { ATTACH, SharedObject, attachOf, checkSharedOptions, newId, registerReviver, type SharedOptions } from "./base";
import { ClosedError, TimeoutError } from "./errors";
import { block, blockAsync, PENDING, type Pending, type Wait } from "./drive";
import { syncObserver, type WaitOutcome } from "./instrument";
import { Memory } from "./memory";
import { MUTEX_BYTES, Mutex } from "./mutex";
import { checkTimeout } from "./time";
import { WAKE_ALL } from "./waiter";

const HEAD = 2,
  TAIL = 3,
  COUNT = 4,
  CLOSED = 5,
  NOT_EMPTY = 6,
  NOT_FULL = 7,
  GET_WAITERS = 8,
  PUT_WAITERS = 9;
const CAP = 10,
  ITEM = 11,
  RECORD = 12;
const HEADER = 64;
const ITEMS = ["float64", "int32", "bytes"] as const;
export type QueueItem = (typeof ITEMS)[number];
export const MAX_QUEUE_BYTES = 1 << 28;

export interface QueueOptions extends SharedOptions {
  /** Slot type: "float64" (default), "int32", or "bytes" (records of up to recordBytes). */
  item?: QueueItem;
  /** For item "bytes": the largest record, in bytes (default 256). */
  recordBytes?: number;
}

type Value<I extends QueueItem> = I extends "bytes" ? Uint8Array : number;

/** Validates the options and lays out a fresh queue's memory. */
function allocQueue(capacity: number, opts: QueueOptions | undefined): Memory {
  if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`new BoundedQueue: capacity must be an integer >= 1, got ${String(capacity)}`);
  }
  const o = checkSharedOptions(opts, "new BoundedQueue") as QueueOptions;
  const item = o.item ?? "float64";
  if (!ITEMS.includes(item)) {
    throw new TypeError(`new BoundedQueue: item must be one of ${ITEMS.join(", ")}, got ${JSON.stringify(item)}`);
  }
  const rec = o.recordBytes ?? 256;
  if (item === "bytes" && (!Number.isInteger(rec) || rec < 1)) {
    throw new RangeError(`new BoundedQueue: recordBytes must be an integer >= 1, got ${String(rec)}`);
  }
  const slot = item === "float64" ? 8 : item === "int32" ? 4 : 4 + Math.ceil(rec / 4) * 4;
  const total = HEADER + capacity * slot;
  if (total > MAX_QUEUE_BYTES) {
    throw new RangeError(`new BoundedQueue: ${capacity} slots of ${slot} bytes is too large (limit ${MAX_QUEUE_BYTES} bytes); use a smaller capacity`);
  }
  const mem = Memory.alloc(total, o.shared);
  const h = mem.i32(0, HEADER / 4);
  h[CAP] = capacity;
  h[ITEM] = ITEMS.indexOf(item);
  h[RECORD] = rec;
  return mem;
}

/**
 * A fixed-capacity FIFO queue of numbers or byte records, shared by threads or processes.
 *
 * - `put(item, timeoutMs?)` blocks while the queue is full. Raises TimeoutError if the
 *   timeout elapses first (Python raises queue.Full), ClosedError if the queue is or
 *   gets closed. Numbers go in as float64 or int32 (int32 slots raise on non-integers);
 *   "bytes" takes a Uint8Array of at most recordBytes (RangeError otherwise).
 * - `get(timeoutMs?)` blocks while the queue is empty. Returns the oldest item, or
 *   `undefined` once the queue is closed AND drained. Raises TimeoutError on timeout.
 * - `close()` wakes every waiter: later puts raise, gets drain what is left, then
 *   return undefined. `size`, `capacity`, `closed` read the state.
 * - `putAsync` / `getAsync`: main-thread forms. FIFO order is global (one ring).
 */
export class BoundedQueue<I extends QueueItem = "float64"> extends SharedObject {
  static readonly tag = "BoundedQueue";
  readonly #i32: Int32Array;
  readonly #lock: Mutex;
  readonly #f64?: Float64Array;
  readonly #slots32?: Int32Array;
  readonly #bytes?: Uint8Array;
  readonly #slot: number;
  /** The sequence word the last try that found the queue full (or empty) saw: a blocked put (or get) sleeps on it; read at once. */
  #seenSeq = 0;

  constructor(capacity: number, opts?: QueueOptions & { item?: I }) {
    const a = attachOf(opts);
    const mem = a ? a.mem : allocQueue(capacity, opts);
    super("queue", mem, a ? a.id : newId("queue"), a ? a.label : opts?.label);
    this.#i32 = mem.i32(0, HEADER / 4);
    this.#lock = Mutex.over(mem.slice(0, MUTEX_BYTES), `${this.id}:lock`, undefined, true);
    const cap = this.#i32[CAP];
    const item = ITEMS[this.#i32[ITEM]];
    const base = mem.byteOffset + HEADER;
    if (item === "float64") {
      this.#slot = 8;
      this.#f64 = new Float64Array(mem.buffer, base, cap);
    } else if (item === "int32") {
      this.#slot = 4;
      this.#slots32 = new Int32Array(mem.buffer, base, cap);
    } else {
      this.#slot = 4 + Math.ceil(this.#i32[RECORD] / 4) * 4;
      this.#bytes = new Uint8Array(mem.buffer, base, cap * this.#slot);
    }
  }
  get capacity(): number {
    return this.#i32[CAP];
  }
  get item(): QueueItem {
    return ITEMS[this.#i32[ITEM]];
  }
  get recordBytes(): number {
    return this.#i32[RECORD];
  }
  get size(): number {
    return Atomics.load(this.#i32, COUNT);
  }
  get closed(): boolean {
    return Atomics.load(this.#i32, CLOSED) === 1;
  }

  #check(item: unknown): void {
    const kind = this.item;
    if (kind === "bytes") {
      if (!(item instanceof Uint8Array)) throw new TypeError(`BoundedQueue.put: this queue holds byte records; pass a Uint8Array, got ${typeof item}`);
      if (item.byteLength > this.recordBytes) {
        throw new RangeError(
          `BoundedQueue.put: record of ${item.byteLength} bytes exceeds recordBytes ${this.recordBytes}; create the queue with a larger recordBytes`,
        );
      }
    } else if (typeof item !== "number") {
      throw new TypeError(`BoundedQueue.put: this queue holds ${kind} numbers; got ${typeof item}`);
    } else if (kind === "int32" && item !== (item | 0)) {
      throw new RangeError(`BoundedQueue.put: ${item} is not an int32; use item "float64" for other numbers`);
    }
  }

  /** With the lock held: store at tail. */
  #store(item: Value<I>): void {
    const i32 = this.#i32;
    const tail = i32[TAIL];
    if (this.#f64) this.#f64[tail] = item as number;
    else if (this.#slots32) this.#slots32[tail] = item as number;
    else {
      const rec = item as Uint8Array;
      const off = tail * this.#slot;
      new DataView(this.#bytes!.buffer, this.#bytes!.byteOffset + off, 4).setInt32(0, rec.byteLength, true);
      this.#bytes!.set(rec, off + 4);
    }
    i32[TAIL] = (tail + 1) % i32[CAP];
  }

  /** With the lock held: take from head. */
  #load(): Value<I> {
    const i32 = this.#i32;
    const head = i32[HEAD];
    let v: number | Uint8Array;
    if (this.#f64) v = this.#f64[head];
    else if (this.#slots32) v = this.#slots32[head];
    else {
      const off = head * this.#slot;
      const len = new DataView(this.#bytes!.buffer, this.#bytes!.byteOffset + off, 4).getInt32(0, true);
      v = this.#bytes!.slice(off + 4, off + 4 + len);
    }
    i32[HEAD] = (head + 1) % i32[CAP];
    return v as Value<I>;
  }

  /** One attempt: put (undefined), or PENDING registered as a waiter, the sequence to sleep on in #seenSeq. */
  #tryPut(item: Value<I>): undefined | Pending {
    const i32 = this.#i32;
    this.#lock.lockSlowOrFast();
    if (i32[CLOSED]) {
      this.#lock.unlock();
      throw new ClosedError(`BoundedQueue.put: ${this.#name()} is closed`);
    }
    if (i32[COUNT] < i32[CAP]) {
      this.#store(item);
      this.#moved("put", Atomics.add(i32, COUNT, 1) + 1, NOT_EMPTY, GET_WAITERS);
      return undefined;
    }
    this.#seenSeq = Atomics.load(i32, NOT_FULL);
    i32[PUT_WAITERS]++;
    this.#lock.unlock();
    return PENDING;
  }

  /** One attempt: the oldest item (undefined once closed and drained), or PENDING registered as a waiter, the sequence to sleep on in #seenSeq. */
  #tryGet(): Value<I> | undefined | Pending {
    const i32 = this.#i32;
    this.#lock.lockSlowOrFast();
    if (i32[COUNT] > 0) {
      const v = this.#load();
      this.#moved("get", Atomics.sub(i32, COUNT, 1) - 1, NOT_FULL, PUT_WAITERS);
      return v;
    }
    if (i32[CLOSED]) {
      this.#lock.unlock();
      return undefined;
    }
    this.#seenSeq = Atomics.load(i32, NOT_EMPTY);
    i32[GET_WAITERS]++;
    this.#lock.unlock();
    return PENDING;
  }

  /**
   * With the lock held, after an item went in or out (the queue now holds `depth`):
   * moves the sequence word `seq` the other side sleeps on, lets go of the lock,
   * wakes one sleeper if `waiters` counts any, and reports the move to the observer.
   */
  #moved(event: "put" | "get", depth: number, seq: number, waiters: number): void {
    const i32 = this.#i32;
    Atomics.add(i32, seq, 1);
    const wake = i32[waiters] > 0;
    this.#lock.unlock();
    if (wake) this.mem.waiter.wake(i32, seq, 1);
    const obs = syncObserver();
    if (obs?.event) obs.event(this.ref, event, now(), { depth });
  }

  #unwait(which: number): void {
    this.#lock.lockSlowOrFast();
    this.#i32[which]--;
    this.#lock.unlock();
  }

  put(item: Value<I>, timeoutMs?: number): void {
    this.#check(item);
    const t = checkTimeout(timeoutMs, "BoundedQueue.put");
    if (this.#tryPut(item) === PENDING) block(this.#putLook("BoundedQueue.put", item, t), t, "BoundedQueue.put()", "queue.putAsync(item)");
  }

  async putAsync(item: Value<I>, timeoutMs?: number): Promise<void> {
    this.#check(item);
    const t = checkTimeout(timeoutMs, "BoundedQueue.putAsync");
    if (this.#tryPut(item) === PENDING) await blockAsync(this.#putLook("BoundedQueue.putAsync", item, t), t);
  }

  get(timeoutMs?: number): Value<I> | undefined {
    const t = checkTimeout(timeoutMs, "BoundedQueue.get");
    const r = this.#tryGet();
    return r !== PENDING ? r : block(this.#getLook("BoundedQueue.get", t), t, "BoundedQueue.get()", "queue.getAsync()");
  }

  async getAsync(timeoutMs?: number): Promise<Value<I> | undefined> {
    const t = checkTimeout(timeoutMs, "BoundedQueue.getAsync");
    const r = this.#tryGet();
    return r !== PENDING ? r : blockAsync(this.#getLook("BoundedQueue.getAsync", t), t);
  }

  #putLook(what: string, item: Value<I>, t: number | undefined): Wait<void> {
    return this.#look(
      NOT_FULL,
      PUT_WAITERS,
      () => this.#tryPut(item),
      `${what}: ${this.#name()} stayed full for ${t} ms`,
      () => "woken",
    );
  }

  #getLook(what: string, t: number | undefined): Wait<Value<I> | undefined> {
    const outcome = (v: Value<I> | undefined): WaitOutcome => (v === undefined ? "closed" : "woken");
    return this.#look(NOT_EMPTY, GET_WAITERS, () => this.#tryGet(), `${what}: ${this.#name()} stayed empty for ${t} ms`, outcome);
  }

  /**
   * A blocked put's or get's look, after a try that registered it as a waiter:
   * sleeps on the sequence word `index` from the value that try saw (#seenSeq).
   */
  #look<R>(index: number, waiters: number, attempt: () => R | Pending, timedOut: string, outcome: (r: R) => WaitOutcome): Wait<R> {
    const look = {
      prim: this,
      i32: this.#i32,
      index,
      expected: this.#seenSeq,
      poll: (): R | Pending => {
        const r = attempt();
        look.expected = this.#seenSeq;
        return r;
      },
      unwait: () => this.#unwait(waiters),
      expire: (): never => {
        throw new TimeoutError(timedOut);
      },
      outcome,
    };
    return look;
  }

  /** Closes the queue: puts raise ClosedError from now on; gets drain, then return undefined. Idempotent. */
  close(): void {
    const i32 = this.#i32;
    this.#lock.lockSlowOrFast();
    i32[CLOSED] = 1;
    Atomics.add(i32, NOT_EMPTY, 1);
    Atomics.add(i32, NOT_FULL, 1);
    this.#lock.unlock();
    this.mem.waiter.wake(i32, NOT_EMPTY, WAKE_ALL);
    this.mem.waiter.wake(i32, NOT_FULL, WAKE_ALL);
  }

  #name(): string {
    return this.label ? `queue "${this.label}"` : `queue ${this.id}`;
  }
}

registerReviver(BoundedQueue, (a) => new BoundedQueue(1, { [ATTACH]: a } as QueueOptions));
