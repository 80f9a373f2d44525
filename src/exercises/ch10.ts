// Chapter 10's exercises: a stage that closes its output, a stage that batches, and a
// last stage that waits for every producer.
import { threads } from "../spawn/api";
import { Channel } from "../sync/channel";
import { sharedInts, STRANDED_POLL_MS, withLearner } from "./compose";
import { fail, failedRun, fmt, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { insertAfter } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;

interface LineArgs {
  id: number;
  input: Channel;
  output: Channel;
  items: number;
  size: number;
  /** [0] 1 once the learner's stage has returned. */
  stageDone: Int32Array;
  pollMs: number;
}

/**
 * Worker 0 feeds 1 … items into `input` and closes it; worker 1 is the learner's stage;
 * worker 2 drains `output` and returns [messages, the items in order] — or null when
 * stranded: the stage has returned, `output` is empty, and it was never closed.
 */
function lineHarness(args: LineArgs, stage: (a: { input: Channel; output: Channel; size: number }) => void): unknown {
  const { id, input, output, items, size, stageDone, pollMs } = args;
  if (id === 0) {
    for (let i = 1; i <= items; i++) input.send(i);
    input.close();
    return null;
  }
  if (id === 1) {
    stage({ input, output, size });
    Atomics.store(stageDone, 0, 1);
    return null;
  }
  const seen: number[] = [];
  let messages = 0;
  for (;;) {
    let m: unknown;
    try {
      m = output.recv(pollMs);
    } catch (e) {
      if ((e as Error).name !== "TimeoutError") throw e;
      if (Atomics.load(stageDone, 0) === 1 && output.size === 0 && !output.closed) return null;
      continue;
    }
    if (m === undefined) return [messages, seen];
    messages++;
    if (Array.isArray(m)) seen.push(...(m as number[]));
    else seen.push(m as number);
  }
}

async function runLine(learner: Learner, size: number): Promise<{ verdict?: Verdict; messages?: number; seen?: number[] }> {
  const items = 1_000;
  let sink: unknown;
  try {
    const run = await threads.run(
      3,
      withLearner(lineHarness, learner),
      { input: new Channel(), output: new Channel(), items, size, stageDone: sharedInts(1), pollMs: STRANDED_POLL_MS },
      { timeout: LIMIT_MS },
    );
    sink = run.results[2];
  } catch (e) {
    return { verdict: failedRun(e, LIMIT_MS) };
  }
  if (sink === null)
    return {
      verdict: fail(
        `the last stage was left waiting: the stage had returned and everything it sent was taken, but \`output\` was never closed, and the last stage stops only when its input is closed. Close \`output\` when \`input\` runs dry.`,
      ),
    };
  const [messages, seen] = sink as [number, number[]];
  return { messages, seen };
}

function inOrder(seen: number[], items: number): Verdict | null {
  const bad = seen.findIndex((x, i) => x !== i + 1);
  if (seen.length !== items || bad >= 0)
    return fail(
      `the last stage received ${fmt(seen.length)} items${bad >= 0 ? `, item ${bad + 1} being ${seen[bad]}` : ""}; it should receive all ${fmt(items)}, in order (1, 2, 3, …).`,
    );
  return null;
}

async function checkForward(learner: Learner): Promise<Verdict> {
  const { verdict, seen } = await runLine(learner, 1);
  if (verdict) return verdict;
  return inOrder(seen!, 1_000) ?? pass("all 1,000 items went through in order, and closing the output let the last stage finish.");
}

async function checkBatch(learner: Learner): Promise<Verdict> {
  const size = 50;
  const { verdict, messages, seen } = await runLine(learner, size);
  if (verdict) return verdict;
  const wrong = inOrder(seen!, 1_000);
  if (wrong) return wrong;
  const fewest = Math.ceil(1_000 / size);
  if (messages! > fewest)
    return fail(
      `1,000 items took ${fmt(messages!)} messages; in batches of ${size} they take ${fewest}. Every message costs a copy and a wake-up: collect up to \`size\` items, send them as one array, and send what is left at the end.`,
    );
  return pass(`1,000 items went through in order in ${messages} messages of up to ${size}.`);
}

/** Workers 0 and 1 each send their 200 items, then null; worker 2 is the learner's collector. */
function fanInHarness(args: { id: number; input: Channel; producers: number }, collect: (a: { input: Channel; producers: number }) => unknown): unknown {
  const { id, input, producers } = args;
  if (id < producers) {
    for (let i = 0; i < 200; i++) input.send(id * 1_000 + i);
    input.send(null);
    return null;
  }
  return collect({ input, producers });
}

async function checkCollect(learner: Learner): Promise<Verdict> {
  const producers = 2;
  // Room for every message, so that no producer waits on a collector that has left: the check judges what collect returned.
  const input = new Channel({ capacity: producers * 201, maxMessageBytes: 16 });
  let got: unknown;
  try {
    got = (await threads.run(producers + 1, withLearner(fanInHarness, learner), { input, producers }, { timeout: 5_000 })).results[producers];
  } catch (e) {
    return failedRun(e, 5_000);
  }
  const want = producers * 200;
  if (!Array.isArray(got) || got.length !== want || new Set(got).size !== want)
    return fail(
      `collect returned ${Array.isArray(got) ? `${got.length} items` : JSON.stringify(got)}, not the ${want} the ${producers} producers sent: the first null only means one producer is done. Count the nulls and stop at the last.`,
    );
  return pass(`collect waited for both producers' nulls and returned all ${want} items.`);
}

export const chapter10 = defineExercises([
  {
    id: "10-e1",
    title: "Pass on the end",
    task: "A middle stage `forward({ input, output })` passes every item on until its input is closed and drained (`recv()` returns `undefined`). The last stage stops only when *its* input closes. As written, it never does. Fix `forward`.",
    starter: `function forward({ input, output }) {
  for (let x = input.recv(); x !== undefined; x = input.recv()) output.send(x);
}`,
    solution: [insertAfter("output.send(x);", "output.close(); // tell the next stage there is no more")],
    hints: [
      "How does the last stage learn that nothing more will come?",
      "`output.close()` once the loop ends: the next stage drains what is left, then gets `undefined`.",
    ],
    points: 1,
    check: checkForward,
  },
  {
    id: "10-e2",
    title: "Batch the messages",
    task: "`batch({ input, output, size })` passes items on as arrays of up to `size` items, in order, and closes `output` at the end. As written it sends one item per message. Make it send full batches.",
    starter: `function batch({ input, output, size }) {
  for (let x = input.recv(); x !== undefined; x = input.recv()) output.send([x]);
  output.close();
}`,
    solution: `function batch({ input, output, size }) {
  let pending = [];
  for (let x = input.recv(); x !== undefined; x = input.recv()) {
    pending.push(x);
    if (pending.length === size) {
      output.send(pending);
      pending = [];
    }
  }
  if (pending.length > 0) output.send(pending);
  output.close();
}`,
    hints: [
      "Keep the items in an array until it holds `size` of them.",
      "Send the array when it is full, start a new one, and after the loop send what is left (if anything) before closing.",
    ],
    points: 2,
    check: checkBatch,
  },
  {
    id: "10-e3",
    title: "Wait for every producer",
    task: "Two producers send items into one channel, each ending with `null`. `collect({ input, producers })` should return every item. As written, it misses some. Fix it.",
    starter: `function collect({ input, producers }) {
  const items = [];
  for (let x = input.recv(); x !== null; x = input.recv()) items.push(x);
  return items;
}`,
    solution: `function collect({ input, producers }) {
  const items = [];
  let done = 0;
  while (done < producers) {
    const x = input.recv();
    if (x === null) done++;
    else items.push(x);
  }
  return items;
}`,
    hints: ["Whose null arrives first? Is the other producer done too?", "Count the nulls; stop when you have seen one from each producer."],
    points: 2,
    check: checkCollect,
  },
]);
