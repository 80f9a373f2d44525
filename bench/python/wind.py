"""Chapter 10: the wind distribution at Heathrow from a directory of monthly METAR
files, single process, with the course's counting rule (see src/course/metar.ts).
Prints the same JSON as `npm run course -- wind <dir>`: [N, NE, E, SE, S, SW, W, NW].

usage: python3 bench/python/wind.py <dir>
"""
import json
import os
import re
import sys

WIND_REPORT = re.compile(r"\d* METAR.*EGLL \d*Z [A-Z ]*(\d{5}KT|VRB\d{2}KT).*=")
WIND_TOKEN = re.compile(r"(\d{5}KT|VRB\d{2}KT)")


def split_reports(text):
    reports, current = [], ""
    for line in text.splitlines():
        if "TAF" in line:
            break
        if "#" not in line:
            current += line.strip()
        if "=" in line:
            reports.append(current)
            current = ""
    return reports


def extract_winds(report):
    if not WIND_REPORT.search(report):
        return []
    return [m.group(1) for m in map(WIND_TOKEN.match, report.split()) if m]


def add_to_distribution(dist, winds):
    for w in winds:
        if w.startswith("VRB"):
            for i in range(8):
                dist[i] += 1
        else:
            dist[round(int(w[:3]) / 45) % 8] += 1


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: python3 bench/python/wind.py <dir>  (a directory of monthly METAR .txt files)")
    d = sys.argv[1]
    dist = [0] * 8
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name.lower().endswith(".txt") and os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                for report in split_reports(f.read()):
                    add_to_distribution(dist, extract_winds(report))
    print(json.dumps(dist))


if __name__ == "__main__":
    main()
