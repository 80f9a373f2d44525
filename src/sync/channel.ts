// Channels and pipes for messages: JSON-encoded messages carried as byte records
// of a BoundedQueue, so they work between threads and between processes alike.
// A string message skips JSON: it travels as its own UTF-8 behind a tag byte that no
// JSON text begins with, because quoting and unquoting a long text costs more than
// copying it (a pipeline stage that hands over text pays that on every batch).
import {
  ATTACH,
  SharedObject,
  attachOf,
  checkSharedOptions,
  isDescriptor,
  newId,
  registerReviver,
  reviveDescriptor,
  type Attach,
  type Descriptor,
  type SharedOptions,
} from "./base";
import type { Sharing } from "./memory";
import { BoundedQueue } from "./queue";

export interface ChannelOptions extends SharedOptions {
  /** Messages buffered before send() blocks (default 16). */
  capacity?: number;
  /** Largest encoded message in bytes (default 64 KiB). */
  maxMessageBytes?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Marks a string sent as is; JSON text never begins with a control character. */
const TEXT = "\u0001";

function channelQueue(opts: ChannelOptions | undefined): BoundedQueue<"bytes"> {
  const o = checkSharedOptions(opts, "new Channel") as ChannelOptions;
  const max = o.maxMessageBytes ?? 65536;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`new Channel: maxMessageBytes must be an integer >= 1, got ${String(max)}`);
  return new BoundedQueue(o.capacity ?? 16, { item: "bytes", recordBytes: max, shared: o.shared, label: o.label });
}

/**
 * A one-way, many-to-many message channel of JSON values.
 *
 * A string message is carried as is (no JSON quoting), so text is the cheapest thing
 * to send: join many short strings into one rather than sending an array of them.
 *
 * - `send(msg, timeoutMs?)` blocks while `capacity` messages are waiting. Raises
 *   TimeoutError on timeout, ClosedError after close(), RangeError when the encoded
 *   message exceeds maxMessageBytes, TypeError for what JSON cannot carry.
 * - `recv(timeoutMs?)` blocks until a message arrives; returns it, or `undefined` once
 *   the channel is closed and drained. TimeoutError on timeout.
 * - `close()`: no more sends; receivers drain then get undefined.
 * - `sendAsync` / `recvAsync`: main-thread forms. Messages from one sender arrive in order.
 */
export class Channel extends SharedObject {
  static readonly tag = "Channel";
  readonly #q: BoundedQueue<"bytes">;

  constructor(opts?: ChannelOptions) {
    const a = attachOf(opts);
    const q = a ? (reviveDescriptor((a.extra as { q: Descriptor }).q) as BoundedQueue<"bytes">) : channelQueue(opts);
    super("pipe", q.mem, a ? a.id : newId("channel"), a ? a.label : opts?.label);
    this.#q = q;
  }

  protected override extra(target: Sharing): unknown {
    return { q: this.#q.toDescriptor(target) };
  }

  get maxMessageBytes(): number {
    return this.#q.recordBytes;
  }
  get closed(): boolean {
    return this.#q.closed;
  }
  get size(): number {
    return this.#q.size;
  }

  #encode(msg: unknown): Uint8Array {
    const text = typeof msg === "string" ? TEXT + msg : JSON.stringify(msg);
    if (text === undefined)
      throw new TypeError(`Channel.send: cannot send ${typeof msg}; send JSON values (objects, arrays, strings, numbers, booleans, null)`);
    const bytes = encoder.encode(text);
    if (bytes.byteLength > this.maxMessageBytes) {
      throw new RangeError(
        `Channel.send: message is ${bytes.byteLength} bytes, over maxMessageBytes ${this.maxMessageBytes}; create the channel with a larger maxMessageBytes`,
      );
    }
    return bytes;
  }

  send(msg: unknown, timeoutMs?: number): void {
    this.#q.put(this.#encode(msg), timeoutMs);
  }
  async sendAsync(msg: unknown, timeoutMs?: number): Promise<void> {
    await this.#q.putAsync(this.#encode(msg), timeoutMs);
  }
  recv(timeoutMs?: number): unknown {
    const b = this.#q.get(timeoutMs);
    return b === undefined ? undefined : decode(b);
  }
  async recvAsync(timeoutMs?: number): Promise<unknown> {
    const b = await this.#q.getAsync(timeoutMs);
    return b === undefined ? undefined : decode(b);
  }
  close(): void {
    this.#q.close();
  }
  override dispose(): void {
    this.#q.dispose();
  }
}

function decode(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  return text.startsWith(TEXT) ? text.slice(1) : JSON.parse(text);
}

/**
 * One end of a two-way pipe (see `pipe()`): `send` goes to the other end's `recv`.
 * Same contracts as Channel; `close()` closes this end's sending direction.
 */
export class Pipe extends SharedObject {
  static readonly tag = "Pipe";
  readonly #out: Channel;
  readonly #in: Channel;

  /** Use pipe() to make a connected pair. */
  constructor(out: Channel, inbound: Channel, opts?: { [ATTACH]?: Attach }) {
    const a = opts?.[ATTACH];
    const x = a?.extra as { out: Descriptor; in: Descriptor } | undefined;
    if (a && (!isDescriptor(x?.out) || !isDescriptor(x?.in))) throw new TypeError("reviveShared: malformed Pipe descriptor");
    if (!a && (!(out instanceof Channel) || !(inbound instanceof Channel))) throw new TypeError("new Pipe: use pipe() to create a connected pair");
    const o = a ? (reviveDescriptor(x!.out) as Channel) : out;
    const i = a ? (reviveDescriptor(x!.in) as Channel) : inbound;
    super("pipe", o.mem, a ? a.id : newId("pipe"), a ? a.label : o.label);
    this.#out = o;
    this.#in = i;
  }

  protected override extra(target: Sharing): unknown {
    return { out: this.#out.toDescriptor(target), in: this.#in.toDescriptor(target) };
  }

  send(msg: unknown, timeoutMs?: number): void {
    this.#out.send(msg, timeoutMs);
  }
  sendAsync(msg: unknown, timeoutMs?: number): Promise<void> {
    return this.#out.sendAsync(msg, timeoutMs);
  }
  recv(timeoutMs?: number): unknown {
    return this.#in.recv(timeoutMs);
  }
  recvAsync(timeoutMs?: number): Promise<unknown> {
    return this.#in.recvAsync(timeoutMs);
  }
  close(): void {
    this.#out.close();
  }
  override dispose(): void {
    this.#out.dispose();
    this.#in.dispose();
  }
}

/** A connected pair of pipe ends: what a sends, b receives, and the other way round. */
export function pipe(opts?: ChannelOptions): [Pipe, Pipe] {
  const o = checkSharedOptions(opts, "pipe") as ChannelOptions;
  const label = o.label ?? "pipe";
  const ab = new Channel({ ...o, label: `${label} a→b` });
  const ba = new Channel({ ...o, label: `${label} b→a` });
  return [new Pipe(ab, ba), new Pipe(ba, ab)];
}

registerReviver(Channel, (a) => new Channel({ [ATTACH]: a } as ChannelOptions));
registerReviver(Pipe, (a) => new Pipe(undefined as never, undefined as never, { [ATTACH]: a }));
