// The owner token of the current (process, thread): a nonzero int32 a Mutex
// stores while held, so unlock by anyone else raises and tools can tell who
// holds what. Layout: (pid mod 16384) << 16 | (threadId mod 65536): 30 bits, so
// that a Mutex can keep it in its state word beside one flag bit.
import { threadId } from "node:worker_threads";

const TOKEN = ((process.pid & 0x3fff) << 16) | (threadId & 0xffff) || 1;

export function ownerToken(): number {
  return TOKEN;
}

/** Splits a token back into (pid mod 16384, threadId mod 65536). */
export function decodeOwnerToken(token: number): { pid: number; threadId: number } {
  return { pid: (token >>> 16) & 0x3fff, threadId: token & 0xffff };
}
