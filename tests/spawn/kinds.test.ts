// Threads and processes as data (src/spawn/kinds.ts): each kind's record carries its
// names, limits and board, and the public constants are the records' own.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { MAX_PROCESSES, MAX_THREADS, MAX_POOL_PROCESSES, MAX_POOL_THREADS } from "../../src/spawn/index";
import { PROCESSES, THREADS } from "../../src/spawn/kinds";
import { addon } from "../../src/shm";

test("each kind's names and limits", () => {
  assert.equal([THREADS.name, THREADS.sharing, THREADS.letter, THREADS.poolName], ["threads", "thread", "t", "ThreadPool"]);
  assert.equal([PROCESSES.name, PROCESSES.sharing, PROCESSES.letter, PROCESSES.poolName], ["processes", "process", "p", "ProcessPool"]);
  assert.equal([THREADS.maxPerRun, THREADS.maxPerPool], [MAX_THREADS, MAX_POOL_THREADS]);
  assert.equal([PROCESSES.maxPerRun, PROCESSES.maxPerPool], [MAX_PROCESSES, MAX_POOL_PROCESSES]);
  assert.ok(THREADS.heapLimits && !PROCESSES.heapLimits);
  assert.ok(PROCESSES.exitsAfterResult && !THREADS.exitsAfterResult);
});

test("threads share their board as a SharedArrayBuffer; a row written is a row read", () => {
  const board = THREADS.board(3)!;
  assert.instance(board.init.board, SharedArrayBuffer);
  board.row(2).setBlocked(4, 123, [1, 2]);
  assert.equal(board.row(2).read(), { blocked: true, slot: 4, since: 123, holds: [1, 2] });
  assert.is(board.row(1).read().blocked, false);
  board.close();
});

test("processes get their board in a shared-memory segment, unlinked by close()", () => {
  const board = PROCESSES.board(2);
  if (!addon()) {
    assert.is(board, null, "without the native addon, waits travel as messages");
    return;
  }
  const name = board!.init.boardSegment!;
  assert.ok(existsSync(`/dev/shm/${name.replace(/^\//, "")}`), name);
  board!.row(0).setBlocked(1, 5, []);
  assert.is(board!.row(0).read().slot, 1);
  board!.close();
  assert.not.ok(existsSync(`/dev/shm/${name.replace(/^\//, "")}`), `${name} is still there`);
});

test.run();
