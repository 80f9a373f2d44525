// Chapter 9's exercises: one end-of-work marker per consumer, a consumer that stops
// early without stranding its producer, and a ping-pong that someone has to start.
import { RunTimeoutError } from "../spawn/errors";
import { threads } from "../spawn/api";
import { Channel } from "../sync/channel";
import { sharedInts, STRANDED_POLL_MS, withLearner } from "./compose";
import { fail, failedRun, fmt, pass } from "./verdict";
import { defineExercises, type Learner } from "./define";
import { insertAfter, replace } from "./edits";
import type { Verdict } from "./types";

const LIMIT_MS = 15_000;

interface StationArgs {
  id: number;
  n: number;
  channel: Channel;
  items: number[];
  consumers: number;
  /** [0] 1 once the learner's producer has returned. */
  producerDone: Int32Array;
  pollMs: number;
}

/**
 * Worker 0 is the learner's producer; the others consume until they receive null,
 * returning [count, sum], or [-1, count] when stranded: the producer has returned and
 * the channel is empty, so nothing more can come.
 */
function consumersHarness(args: StationArgs, produce: (a: { channel: Channel; items: number[]; consumers: number }) => void): number[] {
  const { id, channel, items, consumers, producerDone, pollMs } = args;
  if (id === 0) {
    produce({ channel, items, consumers });
    Atomics.store(producerDone, 0, 1);
    return [0, 0];
  }
  let count = 0,
    sum = 0;
  for (;;) {
    let x: unknown;
    try {
      x = channel.recv(pollMs);
    } catch (e) {
      if ((e as Error).name !== "TimeoutError") throw e;
      if (Atomics.load(producerDone, 0) === 1 && channel.size === 0) return [-1, count];
      continue;
    }
    if (x === null || x === undefined) return [count, sum];
    count++;
    sum += x as number;
  }
}

async function checkProduce(learner: Learner): Promise<Verdict> {
  const consumers = 3;
  const items = Array.from({ length: 300 }, (_, i) => i + 1);
  const channel = new Channel({ capacity: 8 });
  let results: number[][];
  try {
    const run = await threads.run(
      1 + consumers,
      withLearner(consumersHarness, learner),
      { channel, items, consumers, producerDone: sharedInts(1), pollMs: STRANDED_POLL_MS },
      { timeout: LIMIT_MS },
    );
    results = run.results as number[][];
  } catch (e) {
    return failedRun(e, LIMIT_MS);
  }
  const stranded = results.slice(1).filter((r) => r[0] === -1).length;
  if (stranded > 0)
    return fail(
      `${stranded} of the ${consumers} consumers were left waiting for a message after the producer had finished and the channel was empty: each consumer stops at its own null, so send one null per consumer.`,
    );
  const count = results.slice(1).reduce((a, r) => a + r[0], 0);
  const sum = results.slice(1).reduce((a, r) => a + r[1], 0);
  const want = items.reduce((a, b) => a + b, 0);
  if (count !== items.length || sum !== want)
    return fail(
      `the consumers received ${fmt(count)} items summing to ${fmt(sum)}; the producer had ${items.length} summing to ${fmt(want)}: send every item exactly once.`,
    );
  return pass(`all ${consumers} consumers stopped, and between them received all ${items.length} items exactly once.`);
}

/**
 * Worker 0 produces 1, 2, 3, … until the channel is closed, or returns -1 when stranded:
 * the channel is full, and the consumer (worker 1, the learner's) has returned without
 * closing it, so nobody will ever read.
 */
function earlyQuitHarness(
  args: { id: number; channel: Channel; wanted: number; consumerDone: Int32Array; pollMs: number },
  consume: (a: { channel: Channel; wanted: number }) => number[],
): number[] | number {
  const { id, channel, wanted, consumerDone, pollMs } = args;
  if (id === 1) {
    const got = consume({ channel, wanted });
    Atomics.store(consumerDone, 0, 1);
    return got;
  }
  let sent = 0;
  try {
    while (sent < 10_000) {
      try {
        channel.send(sent + 1, pollMs);
        sent++;
      } catch (e) {
        if ((e as Error).name !== "TimeoutError") throw e;
        if (Atomics.load(consumerDone, 0) === 1 && !channel.closed) return -1;
      }
    }
  } catch (e) {
    if ((e as Error).name !== "ClosedError") throw e;
  }
  return sent;
}

async function checkConsume(learner: Learner): Promise<Verdict> {
  const wanted = 5;
  let got: unknown;
  let sent: number;
  try {
    const run = await threads.run(
      2,
      withLearner(earlyQuitHarness, learner),
      { channel: new Channel({ capacity: 4 }), wanted, consumerDone: sharedInts(1), pollMs: STRANDED_POLL_MS },
      { timeout: LIMIT_MS },
    );
    [sent, got] = run.results as [number, unknown];
  } catch (e) {
    return failedRun(e, LIMIT_MS);
  }
  if (sent === -1)
    return fail(
      `the producer was left waiting to send into a full channel that nobody reads: the consumer had returned without closing it. Close the channel when you stop reading, so that the producer's send() fails and it stops.`,
    );
  const want = Array.from({ length: wanted }, (_, i) => i + 1);
  if (!Array.isArray(got) || got.length !== wanted || got.some((x, i) => x !== want[i]))
    return fail(`consume returned ${JSON.stringify(got)}; it should return the first ${wanted} items, in order: ${JSON.stringify(want)}.`);
  return pass(`the consumer took ${wanted} items and closed the channel; the producer stopped after ${fmt(sent)} sends instead of waiting forever.`);
}

interface GameArgs {
  id: number;
  ping: Channel;
  pong: Channel;
  rounds: number;
  /** [0] sends begun, [1] players inside recv(), [2] 1 once the game is known never to start. */
  plays: Int32Array;
  pollMs: number;
}

/**
 * Runs the learner's player on watched channels: recv() waits in slices, and the player
 * returns "never served" once both players are inside recv() and nobody has ever sent,
 * since then nobody can and the game can never start.
 */
function gameHarness(args: GameArgs, player: (a: { id: number; ping: Channel; pong: Channel; rounds: number }) => unknown): unknown {
  const { id, rounds, plays, pollMs } = args;
  const watch: ProxyHandler<Channel> = {
    get(channel, key) {
      const value = Reflect.get(channel, key);
      if (key === "send") Atomics.add(plays, 0, 1);
      if (key !== "recv") return typeof value === "function" ? value.bind(channel) : value;
      return (ms?: number) => {
        if (ms !== undefined) return channel.recv(ms);
        Atomics.add(plays, 1, 1);
        try {
          for (;;) {
            try {
              return channel.recv(pollMs);
            } catch (e) {
              if ((e as Error).name !== "TimeoutError") throw e;
              // Both receiving (read first), and still nobody has begun a send: nobody can.
              if (Atomics.load(plays, 1) === 2 && Atomics.load(plays, 0) === 0) Atomics.store(plays, 2, 1);
              if (Atomics.load(plays, 2) === 1) throw new Error("never served");
            }
          }
        } finally {
          Atomics.sub(plays, 1, 1);
        }
      };
    },
  };
  try {
    return player({ id, ping: new Proxy(args.ping, watch), pong: new Proxy(args.pong, watch), rounds });
  } catch (e) {
    if ((e as Error).message === "never served") return "never served";
    throw e;
  }
}

/** A game that is not over by then has stalled somewhere past its start (50 rounds take milliseconds). */
const GAME_MS = 5_000;

async function checkPlayer(learner: Learner): Promise<Verdict> {
  const rounds = 50;
  let results: unknown[];
  try {
    const data = { ping: new Channel({ label: "ping" }), pong: new Channel({ label: "pong" }), rounds, plays: sharedInts(3), pollMs: STRANDED_POLL_MS };
    results = (await threads.run(2, withLearner(gameHarness, learner), data, { timeout: GAME_MS })).results;
  } catch (e) {
    if (e instanceof RunTimeoutError)
      return fail(
        `the game did not finish in ${GAME_MS / 1000} s (${rounds} rounds take milliseconds): at some point both players were waiting for the other's message. Player 0 serves once; then each receives, adds 1 and sends it back.`,
      );
    return failedRun(e, GAME_MS);
  }
  if (results.includes("never served"))
    return fail(`both players were waiting for the other's message and nobody had sent one, so the game could never start. Let player 0 serve (send first).`);
  const last = results[0];
  if (last !== 2 * rounds)
    return fail(
      `player 0 ended with the ball at ${String(last)}; after ${rounds} rounds of both players adding 1 it should be ${2 * rounds}: each player adds 1 to what it receives and sends that back.`,
    );
  return pass(`the ball crossed ${2 * rounds} times and came back to player 0 at ${2 * rounds}.`);
}

export const chapter09 = defineExercises([
  {
    id: "09-e1",
    title: "One null per consumer",
    task: "A producer sends `items` over `channel` to `consumers` consumers; each consumer stops when it receives `null`. As written, the dinner never ends for some of them. Fix `produce`.",
    starter: `function produce({ channel, items, consumers }) {
  for (const item of items) channel.send(item);
  channel.send(null); // no more work
}`,
    solution: [replace("channel.send(null); // no more work", 'for (let c = 0; c < consumers; c++) channel.send(null); // one "no more work" each')],
    hints: ["How many consumers read the one null?", "Each consumer stops at the first null it receives: send as many nulls as there are consumers."],
    points: 1,
    check: checkProduce,
  },
  {
    id: "09-e2",
    title: "Leave without stranding the producer",
    task: "The consumer only wants the first `wanted` items from `channel`, then returns them. The producer keeps sending until a send fails. As written, the producer waits forever. Fix `consume`.",
    starter: `function consume({ channel, wanted }) {
  const got = [];
  while (got.length < wanted) got.push(channel.recv());
  return got;
}`,
    solution: [insertAfter("while (got.length < wanted)", "channel.close(); // nobody reads any more: let the producer know")],
    hints: [
      "The channel holds 4 messages. What does the producer's next send do once it is full and nobody reads?",
      "`channel.close()` makes every later send throw ClosedError, which the producer takes as its signal to stop.",
    ],
    points: 2,
    check: checkConsume,
  },
  {
    id: "09-e3",
    title: "Somebody has to serve",
    task: "Two players pass a ball (a number) over two channels: player 0 sends on `ping` and receives on `pong`, player 1 the other way round. Each adds 1 to the ball and sends it back, `rounds` times. Player 0 returns the ball at the end. Make the game start.",
    starter: `function player({ id, ping, pong, rounds }) {
  const [send, recv] = id === 0 ? [ping, pong] : [pong, ping];
  let ball = 0;
  for (let r = 0; r < rounds; r++) {
    ball = recv.recv();
    send.send(ball + 1);
  }
  return ball;
}`,
    solution: [
      insertAfter("let ball = 0;", "if (id === 0) send.send(ball + 1); // serve"),
      replace("    send.send(ball + 1);", "    if (id === 1 || r < rounds - 1) send.send(ball + 1);"),
    ],
    hints: ["At the start, both players are in recv(). Who sends first?", "Let player 0 serve before its loop, and not return the ball after the last round."],
    points: 2,
    check: checkPlayer,
  },
]);
