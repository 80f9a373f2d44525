"""Chapter 7: 200x200 integer matrix multiply, 10 rounds of fresh random matrices
(values -5..5), single-threaded. Prints the same JSON figures as
`npm run course -- matmul` for the same options (checksum and sum; ms differs).

usage: python3 bench/python/matmul.py [--n 200] [--rounds 10] [--seed 1]
"""
import argparse
import json
import time

from prng import Rng


def random_matrix(n, rng):
    return [[rng.int(-5, 5) for _ in range(n)] for _ in range(n)]


def matmul(a, b, n):
    bt = [list(col) for col in zip(*b)]  # columns of b as rows: faster inner loop
    return [[sum(x * y for x, y in zip(row, col)) for col in bt] for row in a]


def checksum(c, h):
    for row in c:
        for x in row:
            h = (h * 31 + x) & 0xFFFFFFFF
    return h


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    o = ap.parse_args()
    if o.n < 1 or o.rounds < 1:
        ap.error("--n and --rounds must be >= 1")
    rng = Rng(o.seed)
    h, total = 0, 0
    t0 = time.perf_counter()
    for _ in range(o.rounds):
        a = random_matrix(o.n, rng)
        b = random_matrix(o.n, rng)
        c = matmul(a, b, o.n)
        h = checksum(c, h)
        total += sum(map(sum, c))
    ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({"n": o.n, "rounds": o.rounds, "seed": o.seed, "checksum": h, "sum": total, "ms": ms}))


if __name__ == "__main__":
    main()
