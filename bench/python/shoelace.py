"""Chapter 11: the total area of the polygons of a file, one "(x,y),(x,y),..." per
line, by the shoelace formula, single-threaded. Prints the same JSON as
`npm run course -- shoelace <file>`: {"count": ..., "totalArea": ...}.

usage: python3 bench/python/shoelace.py <file>
"""
import json
import re
import sys

POINT = re.compile(r"\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\s*")


def parse_polygon(line, line_number):
    s = line.strip()
    points, pos = [], 0
    while pos < len(s):
        m = POINT.match(s, pos)
        if not m:
            raise ValueError(f"polygon line {line_number}, column {pos + 1}: expected a point \"(x,y)\"")
        points.append((int(m.group(1)), int(m.group(2))))
        pos = m.end()
        if pos < len(s):
            if s[pos] != ",":
                raise ValueError(f"polygon line {line_number}, column {pos + 1}: expected \",\" between points")
            pos += 1
    if len(points) < 3:
        raise ValueError(f"polygon line {line_number}: a polygon needs at least 3 points, found {len(points)}")
    return points


def twice_area(points):
    s = 0
    for i in range(len(points)):
        (x1, y1), (x2, y2) = points[i], points[(i + 1) % len(points)]
        s += x1 * y2 - x2 * y1
    return abs(s)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/python/shoelace.py <file>")
    twice, count = 0, 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                twice += twice_area(parse_polygon(line, number))
                count += 1
    # Integer halves print as integers, like JSON.stringify in TypeScript.
    area = twice // 2 if twice % 2 == 0 else twice / 2
    print(json.dumps({"count": count, "totalArea": area}))


if __name__ == "__main__":
    main()
