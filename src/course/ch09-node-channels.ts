// Chapter 9: Node's own channels beside the library's shared-memory Channel.
// Each transport is measured the same way: round trips of one message (a string
// of `payloadBytes` characters; an ArrayBuffer of that size for the transfer list)
// that the other end sends straight back. A small message gives the latency; a
// large one, counted both ways, the throughput.
//
// - postMessage: the notebook's thread and a worker thread; the message is copied
//   by the structured clone algorithm (V8's serializer) and queued on the
//   receiver's event loop.
// - postMessage + transfer list: the same, but the ArrayBuffer is moved, not
//   copied: the sender's buffer is detached (length 0) once sent.
// - MessageChannel: two ports, handed one to each of two worker threads; they
//   talk to each other without the notebook's thread in between.
// - process.send: a parent and its child process over the IPC pipe Node opens
//   between them (a socket pair); messages are JSON text, one per line.
// - the library's Channel (pingPong): a ring buffer of byte records in shared
//   memory; send/recv block with Atomics.wait (threads) or a futex (processes),
//   no event loop involved.
//
// Workers here are plain node:worker_threads / child_process, not the library's
// threads.run: their own parentPort and IPC pipe are the subject. Every worker
// and child is stopped before a measurement returns or throws.
import { spawn, type ChildProcess } from "node:child_process";
import { MessageChannel, Worker } from "node:worker_threads";
import { BASE_CONFIG } from "../charts/palette";
import { table, titled } from "../charts/text";
import type { Chart } from "../charts/types";
import { pingPong } from "./ch09-message-passing";
import { checkInt, CourseInputError } from "./errors";

export const TRANSPORTS = ["postMessage", "postMessage + transfer", "MessageChannel", "process.send", "Channel (threads)", "Channel (processes)"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Between what a transport carries its messages. */
export const TRANSPORT_ENDS: Record<Transport, string> = {
  postMessage: "notebook thread ↔ worker thread",
  "postMessage + transfer": "notebook thread ↔ worker thread",
  MessageChannel: "worker thread ↔ worker thread",
  "process.send": "parent process ↔ child process",
  "Channel (threads)": "worker thread ↔ worker thread",
  "Channel (processes)": "process ↔ process",
};

export interface RoundTrips {
  transport: Transport;
  between: string;
  payloadBytes: number;
  /** Round-trip times in microseconds, after the warm-up. */
  rttUs: number[];
  medianUs: number;
  /** Bytes carried per second, both ways, at the median round trip, in MB/s (10^6 bytes). */
  mbPerS: number;
}

export interface RoundTripOptions {
  /** Characters (bytes) in each message; 0: a message of a few bytes. Default 0. */
  payloadBytes?: number;
  rounds?: number;
  warmup?: number;
  /** Give up (and stop the workers) after this many ms. Default 30 000. */
  timeoutMs?: number;
}

const ECHO_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const port = workerData && workerData.port ? workerData.port : parentPort;
port.on("message", (m) => port.postMessage(m, m instanceof ArrayBuffer ? [m] : []));
`;

// Worker A of the MessageChannel pair: times its round trips to worker B, then reports to the notebook.
const PINGER_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const { port, rounds, warmup, payloadBytes } = workerData;
const payload = "x".repeat(payloadBytes);
const rtt = [];
let i = 0, sent = 0;
port.on("message", () => {
  const us = (performance.now() - sent) * 1000;
  if (i++ >= warmup) rtt.push(us);
  if (i < rounds + warmup) { sent = performance.now(); port.postMessage(payload); }
  else { parentPort.postMessage(rtt); port.close(); }
});
sent = performance.now();
port.postMessage(payload);
`;

const ECHO_CHILD = `process.on("message", (m) => process.send(m)); process.on("disconnect", () => process.exit(0));`;

/** Round trips over one transport. Rejects with a clear message on bad options or a timeout; never leaves a worker running. */
export async function roundTrips(transport: Transport, opts: RoundTripOptions = {}): Promise<RoundTrips> {
  if (!(TRANSPORTS as readonly string[]).includes(transport)) {
    throw new CourseInputError(`roundTrips: transport must be one of ${TRANSPORTS.map((t) => JSON.stringify(t)).join(", ")}, got ${JSON.stringify(transport)}`);
  }
  const payloadBytes = checkInt("payloadBytes", opts.payloadBytes ?? 0, 0, 16 << 20);
  const rounds = checkInt("rounds", opts.rounds ?? 200, 1, 1_000_000);
  const warmup = checkInt("warmup", opts.warmup ?? 20, 0, 1_000_000);
  const timeoutMs = checkInt("timeoutMs", opts.timeoutMs ?? 30_000, 1, 600_000);
  let rttUs: number[];
  if (transport === "Channel (threads)" || transport === "Channel (processes)") {
    const kind = transport === "Channel (threads)" ? "threads" : "processes";
    rttUs = (await pingPong({ kind, rounds, warmup, payloadBytes })).rttUs;
  } else {
    rttUs = await withTimeout(timeoutMs, transport, (stoppers) => {
      if (transport === "MessageChannel") return messageChannelTrips(stoppers, rounds, warmup, payloadBytes);
      if (transport === "process.send") return processSendTrips(stoppers, rounds, warmup, payloadBytes);
      return postMessageTrips(stoppers, rounds, warmup, payloadBytes, transport === "postMessage + transfer");
    });
  }
  const medianUs = median(rttUs);
  // Bytes per µs are MB/s; a message of a few bytes carries next to nothing.
  const mbPerS = payloadBytes === 0 ? 0 : (2 * payloadBytes) / medianUs;
  return { transport, between: TRANSPORT_ENDS[transport], payloadBytes, rttUs, medianUs, mbPerS };
}

type Stoppers = (() => unknown)[];

/** Runs `body`, stopping what it registered in `stoppers` when it ends, fails or runs out of time. */
async function withTimeout<T>(ms: number, what: string, body: (stoppers: Stoppers) => Promise<T>): Promise<T> {
  const stoppers: Stoppers = [];
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CourseInputError(
            `roundTrips(${JSON.stringify(what)}): no answer within ${ms} ms; the workers were stopped. Try fewer rounds or a larger timeoutMs.`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([body(stoppers), late]);
  } finally {
    clearTimeout(timer);
    await Promise.all(stoppers.map((stop) => Promise.resolve(stop()).catch(() => undefined)));
  }
}

function thread(stoppers: Stoppers, code: string, workerData?: unknown, transferList?: readonly unknown[]): Worker {
  const w = new Worker(code, { eval: true, workerData, transferList: transferList as never });
  stoppers.push(() => w.terminate());
  return w;
}

/** Resolves with the next message on `emitter`, rejects on its error or exit. */
function nextMessage(emitter: Worker | ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => done(() => resolve(m));
    const onError = (e: Error) => done(() => reject(e));
    const onExit = (code: number) => done(() => reject(new Error(`the other end exited (code ${code}) before answering`)));
    const done = (then: () => void) => {
      emitter.off("message", onMessage);
      emitter.off("error", onError);
      emitter.off("exit", onExit);
      then();
    };
    emitter.on("message", onMessage);
    emitter.on("error", onError);
    emitter.on("exit", onExit);
  });
}

async function postMessageTrips(stoppers: Stoppers, rounds: number, warmup: number, payloadBytes: number, transfer: boolean): Promise<number[]> {
  const w = thread(stoppers, ECHO_THREAD);
  let buffer = new ArrayBuffer(Math.max(1, payloadBytes));
  const text = "x".repeat(payloadBytes);
  const rtt: number[] = [];
  for (let i = 0; i < rounds + warmup; i++) {
    const t0 = performance.now();
    const back = nextMessage(w);
    if (transfer)
      w.postMessage(buffer, [buffer]); // buffer is detached here: it now belongs to the worker
    else w.postMessage(text);
    const got = await back;
    if (transfer) buffer = got as ArrayBuffer; // … and moved back
    if (i >= warmup) rtt.push((performance.now() - t0) * 1000);
  }
  return rtt;
}

async function messageChannelTrips(stoppers: Stoppers, rounds: number, warmup: number, payloadBytes: number): Promise<number[]> {
  const { port1, port2 } = new MessageChannel();
  thread(stoppers, ECHO_THREAD, { port: port2 }, [port2]);
  const pinger = thread(stoppers, PINGER_THREAD, { port: port1, rounds, warmup, payloadBytes }, [port1]);
  return (await nextMessage(pinger)) as number[];
}

async function processSendTrips(stoppers: Stoppers, rounds: number, warmup: number, payloadBytes: number): Promise<number[]> {
  const child = spawn(process.execPath, ["-e", ECHO_CHILD], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  stoppers.push(() => stopChild(child));
  const text = "x".repeat(payloadBytes);
  const rtt: number[] = [];
  for (let i = 0; i < rounds + warmup; i++) {
    const t0 = performance.now();
    const back = nextMessage(child);
    child.send(text);
    await back;
    if (i >= warmup) rtt.push((performance.now() - t0) * 1000);
  }
  return rtt;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill();
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface ChannelComparison {
  /** One row per transport: the small message's round trip and the large message's throughput. */
  rows: { transport: Transport; between: string; latencyUs: number; mbPerS: number }[];
  bigBytes: number;
}

/**
 * Every transport (or those given), each measured twice: small messages for the
 * latency, messages of `bigBytes` for the throughput.
 */
export async function compareChannels(
  opts: { transports?: readonly Transport[]; rounds?: number; bigRounds?: number; bigBytes?: number } = {},
): Promise<ChannelComparison> {
  const transports = opts.transports ?? TRANSPORTS;
  const bigBytes = checkInt("bigBytes", opts.bigBytes ?? 256 * 1024, 1, 16 << 20);
  const rows: ChannelComparison["rows"] = [];
  for (const transport of transports) {
    const small = await roundTrips(transport, { rounds: opts.rounds ?? 300, warmup: 50 });
    const big = await roundTrips(transport, { rounds: opts.bigRounds ?? 40, warmup: 5, payloadBytes: bigBytes });
    rows.push({ transport, between: TRANSPORT_ENDS[transport], latencyUs: round1(small.medianUs), mbPerS: Math.round(big.mbPerS) });
  }
  return { rows, bigBytes };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * One chart, two panels sharing the transports: the round trip of a small message
 * (µs) and the throughput of large ones (MB/s, log scale: a transfer moves no bytes,
 * so its figure is orders of magnitude above the copies'). Show it with
 * `show(channelsChart(c))`.
 */
export function channelsChart(c: ChannelComparison, title = "Node's channels and the library's Channel"): Chart {
  if (!c || !Array.isArray(c.rows) || c.rows.length === 0)
    throw new CourseInputError("channelsChart: pass what compareChannels() resolved with (it has no rows)");
  const values = c.rows.map((r) => ({ ...r, label: `${r.transport}` }));
  const order = values.map((v) => v.label);
  const y = { field: "label", type: "nominal", sort: order, title: null, axis: { labelLimit: 220 } };
  // Log-scale bars need a baseline of their own (a log scale has no zero).
  const panel = (field: string, xTitle: string, log: boolean, color: string) => ({
    width: 230,
    height: { step: 26 },
    mark: { type: "bar", color },
    encoding: {
      y,
      x: { field, type: "quantitative", title: xTitle, scale: log ? { type: "log", domainMin: 10 } : {} },
      ...(log ? { x2: { datum: 10 } } : {}),
      tooltip: [{ field: "label" }, { field: "between" }, { field, format: ",.1f" }],
    },
  });
  const kib = c.bigBytes >= 1024 ? `${Math.round(c.bigBytes / 1024)} KiB` : `${c.bigBytes} bytes`;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: title,
      subtitle: [`left: round trip of a small message (lower is better); right: ${kib} messages, both ways (higher is better)`],
      anchor: "start",
      fontSize: 15,
    },
    config: BASE_CONFIG,
    data: { values },
    hconcat: [panel("latencyUs", "round trip, µs (median)", false, "#4c78a8"), panel("mbPerS", "throughput, MB/s (median, log scale)", true, "#f58518")],
  };
  const text = titled(
    title,
    table(
      ["transport", "between", "round trip µs", `MB/s (${kib})`],
      c.rows.map((r) => [r.transport, r.between, r.latencyUs, r.mbPerS]),
    ),
  );
  return { title, spec, grammar: "vega-lite", text };
}
