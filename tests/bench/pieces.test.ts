// The shoelace bench's workers read their own byte ranges of the polygon file
// (bench/child/course-jobs readPiece): every line must land in exactly one piece,
// whole, however the file is cut.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPiece } from "../../bench/child/course-jobs";

const dir = mkdtempSync(join(tmpdir(), "bench-pieces-"));

function piecesOf(text: string, pieces: number): string[] {
  const file = join(dir, "f.txt");
  writeFileSync(file, text);
  const size = Buffer.byteLength(text);
  const fd = openSync(file, "r");
  try {
    return Array.from({ length: pieces }, (_, k) => readPiece(fd, size, Math.floor((size * k) / pieces), Math.floor((size * (k + 1)) / pieces)));
  } finally {
    closeSync(fd);
  }
}

test("the pieces are the file's lines, each whole and in exactly one piece", () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const lines = Array.from({ length: 300 }, (_, i) => (i === 150 ? "x".repeat(200_000) : "(1,2),(3,4)".repeat(rnd(20)) + (i % 7 === 0 ? "é" : "")));
  for (const text of [`${lines.join("\n")}\n`, lines.join("\n"), `${lines.join("\r\n")}\r\n`, "\n\n\n", "one line, no newline", ""]) {
    for (const n of [1, 2, 3, 7, 16, 100, 1000]) {
      const parts = piecesOf(text, n);
      assert.is(parts.join(""), text, `${n} pieces of a ${text.length}-character text`);
      for (const p of parts) if (p) assert.ok(text.startsWith(p) || text.includes(`\n${p}`), "a piece starts at a line start");
      const filled = parts.filter((p) => p);
      for (const p of filled.slice(0, -1)) assert.ok(p.endsWith("\n"), "a piece ends with its last line's newline");
    }
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
