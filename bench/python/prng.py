"""The interleave PRNG (src/course/prng.ts), ported bit for bit: a Weyl sequence
through the 32-bit MurmurHash3 finaliser. Same seed, same numbers as TypeScript."""

MASK = 0xFFFFFFFF
GOLDEN = 0x9E3779B9


class Rng:
    def __init__(self, seed):
        if not isinstance(seed, int) or seed < 0 or seed > MASK:
            raise ValueError(f"seed must be an integer from 0 to 2**32 - 1, got {seed!r}")
        self.state = seed

    def next_u32(self):
        self.state = (self.state + GOLDEN) & MASK
        z = self.state
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK
        return z ^ (z >> 16)

    def int(self, lo, hi):
        """An integer in [lo, hi]: lo + floor(u * range / 2**32), as in TypeScript."""
        return lo + ((self.next_u32() * (hi - lo + 1)) >> 32)
