// A small seeded pseudo-random generator, so every data set and notebook run is
// reproducible and the Python originals (bench/python/prng.py) draw the very same
// numbers. Algorithm: a Weyl sequence (add the golden-ratio constant) passed through
// the 32-bit MurmurHash3 finaliser. All arithmetic is on unsigned 32-bit integers;
// the Python port masks with 0xFFFFFFFF at the same points.
import { checkInt } from "./errors";

const GOLDEN = 0x9e3779b9;
const TWO_32 = 4294967296;

export class Rng {
  private state: number;

  /** `seed`: any integer from 0 to 2^32 − 1. Same seed, same sequence, in TS and in Python. */
  constructor(seed: number) {
    this.state = checkInt("seed", seed, 0, 0xffffffff) >>> 0;
  }

  /** The next unsigned 32-bit integer. */
  nextU32(): number {
    this.state = (this.state + GOLDEN) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / TWO_32;
  }

  /**
   * An integer in [lo, hi] (both included). Computed as lo + floor(u·range / 2^32),
   * exact in doubles for ranges below 2^21, and the same formula as the Python port.
   */
  int(lo: number, hi: number): number {
    const range = hi - lo + 1;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || range < 1 || range > 1 << 21) {
      throw new RangeError(`Rng.int(lo, hi): need integers with lo <= hi and hi - lo < 2^21, got ${lo}, ${hi}`);
    }
    return lo + Math.floor((this.nextU32() * range) / TWO_32);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
}

/** Accepts a seed or an existing generator (to continue its sequence). */
export function toRng(seedOrRng: number | Rng): Rng {
  return seedOrRng instanceof Rng ? seedOrRng : new Rng(seedOrRng);
}
