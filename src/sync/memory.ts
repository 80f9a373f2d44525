// Where a primitive's words live: a slice of a SharedArrayBuffer (threads) or
// of a named shared-memory segment (processes), plus the waiter for that memory.
import { Segment } from "../shm/segment";
import { atomicsWaiter, processWaiter, type Waiter } from "./waiter";

export type Sharing = "thread" | "process";

/** Plain, structured-cloneable description of a memory slice (JSON-safe for "process"). */
export type MemoryDescriptor =
  | { sharing: "thread"; sab: SharedArrayBuffer; byteOffset: number; byteLength: number }
  | { sharing: "process"; segment: string; byteOffset: number; byteLength: number };

export class Memory {
  readonly sharing: Sharing;
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly waiter: Waiter;
  /** Set for process memory; owner segments are unlinked by free(). */
  readonly segment?: Segment;

  private constructor(sharing: Sharing, buffer: ArrayBufferLike, byteOffset: number, byteLength: number, segment?: Segment) {
    this.sharing = sharing;
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.byteLength = byteLength;
    this.segment = segment;
    this.waiter = sharing === "thread" ? atomicsWaiter : processWaiter();
  }

  /** Fresh zeroed memory of `bytes` bytes, for threads (default) or processes. */
  static alloc(bytes: number, sharing: Sharing = "thread"): Memory {
    const size = Math.max(8, Math.ceil(bytes / 8) * 8);
    if (sharing === "thread") return new Memory("thread", new SharedArrayBuffer(size), 0, size);
    if (sharing === "process") {
      const seg = Segment.create(size);
      return new Memory("process", seg.buffer, 0, size, seg);
    }
    throw new TypeError(`shared must be "thread" or "process", got ${JSON.stringify(sharing)}`);
  }

  /** Re-attaches to memory described by `describe()` (in a worker or child). */
  static attach(d: MemoryDescriptor): Memory {
    if (d.sharing === "thread") {
      if (!(d.sab instanceof SharedArrayBuffer)) {
        throw new TypeError("reviveShared: thread memory arrived without its SharedArrayBuffer (was it sent to a process?)");
      }
      return new Memory("thread", d.sab, d.byteOffset, d.byteLength);
    }
    const seg = Segment.open(d.segment);
    if (d.byteOffset + d.byteLength > seg.size) {
      throw new RangeError(`reviveShared: segment ${d.segment} is ${seg.size} bytes, smaller than the slice it should hold`);
    }
    return new Memory("process", seg.buffer, d.byteOffset, d.byteLength, seg);
  }

  /** A sub-slice of this memory (same buffer, same waiter). */
  slice(byteOffset: number, byteLength: number): Memory {
    if (byteOffset % 8 !== 0 || byteOffset + byteLength > this.byteLength) {
      throw new RangeError(`Memory.slice: bad slice ${byteOffset}+${byteLength} of ${this.byteLength} bytes`);
    }
    return new Memory(this.sharing, this.buffer, this.byteOffset + byteOffset, byteLength, this.segment);
  }

  i32(byteOffset = 0, length = (this.byteLength - byteOffset) >> 2): Int32Array {
    return new Int32Array(this.buffer, this.byteOffset + byteOffset, length);
  }

  /**
   * A descriptor for `target`. Thread memory cannot reach another process:
   * that is a TypeError telling how to create it instead.
   */
  describe(target: Sharing, what: string): MemoryDescriptor {
    if (this.sharing === "thread") {
      if (target === "process") {
        throw new TypeError(
          `${what} was created for threads (its memory is a SharedArrayBuffer, which another process cannot see); ` +
            `create it with { shared: "process" } to pass it to a child process.`,
        );
      }
      return { sharing: "thread", sab: this.buffer as SharedArrayBuffer, byteOffset: this.byteOffset, byteLength: this.byteLength };
    }
    return { sharing: "process", segment: this.segment!.name, byteOffset: this.byteOffset, byteLength: this.byteLength };
  }

  /** Owner of process memory: unlink the segment now (other mappings stay valid). */
  free(): void {
    if (this.segment?.owner) this.segment.close();
  }
}
