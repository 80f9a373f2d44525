"""Runs the three Python originals once each, single-threaded, and prints one JSON
object with their results and wall times, for `npm run bench` to compare with the
TypeScript versions on the same inputs.

usage: python3 bench/python/all.py --metar <dir> --polygons <file> [--n 200] [--rounds 10] [--seed 1]
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(script, args):
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, os.path.join(HERE, script), *args], check=True, capture_output=True, text=True).stdout
    return {"result": json.loads(out), "wallMs": (time.perf_counter() - t0) * 1000}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--metar", required=True, help="directory of monthly METAR .txt files")
    ap.add_argument("--polygons", required=True, help="polygon file, one (x,y),(x,y),... per line")
    ap.add_argument("--n", default="200")
    ap.add_argument("--rounds", default="10")
    ap.add_argument("--seed", default="1")
    o = ap.parse_args()
    print(json.dumps({
        "python": sys.version.split()[0],
        "matmul": run("matmul.py", ["--n", o.n, "--rounds", o.rounds, "--seed", o.seed]),
        "shoelace": run("shoelace.py", [o.polygons]),
        "wind": run("wind.py", [o.metar]),
    }))


if __name__ == "__main__":
    main()
