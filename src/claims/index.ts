// Claims: every sentence a lesson says about its own run, checked against that run.
//
// A claim is a statement plus whether the run bore it out:
// - kind "always": true on every machine (no update was lost, the checksums agree,
//   the deadlock was caught). One that fails is a bug: `claim()` throws ClaimError,
//   which fails the cell and so the notebook in the notes build.
// - kind "machine": depends on the machine and how busy it was (a speedup, an
//   ordering). One that fails is shown as not seen on this run, with the load, and
//   counted apart by the build; it never fails the notebook.
// Plain Node: kernel-helpers/src/claims.ts displays a record in a cell; the notes
// build (tools/claims.ts) collects the records from the executed notebooks.
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";

/** The mime type a claim's record travels under in a notebook's outputs. */
export const CLAIM_MIME = "application/vnd.interleave.claim+json";

export type ClaimKind = "always" | "machine";

export interface ClaimOptions {
  /** "machine" (default): depends on the machine; "always": must hold everywhere. */
  kind?: ClaimKind;
  /** The measured figure the claim is about (a speedup, a count, a fitted fraction). */
  value?: number | string;
  /** What the claim expects of `value`, in words or as a bound (e.g. "≥ 1.8"). */
  expected?: number | string;
  /** What to say instead when a machine claim does not hold: the honest alternative. */
  otherwise?: string;
}

/** The machine as a run saw it: logical cores, the 1-minute load average, and what other programs use. */
export interface MachineState {
  cores: number;
  load: number;
  /**
   * Share of all the cores' time that other programs used over the last interval
   * measured (see othersShare), 0–1; null where it could not be measured. Unlike the
   * load average it does not lag: work that ended a minute ago does not count.
   */
  others?: number | null;
  /** True when other programs used at least a quarter of the cores (or, unmeasured, when the load is at least half the cores): timings may be disturbed. */
  busy: boolean;
}

export interface ClaimRecord {
  id: string;
  text: string;
  kind: ClaimKind;
  held: boolean;
  value: number | string | null;
  expected: number | string | null;
  /** The 1-minute load average when the claim was made, and the machine's cores. */
  load: number;
  cores: number;
  /** What was said in its place, when a machine claim did not hold. */
  otherwise: string | null;
  /** Share of the cores' time other programs used since the previous claim or machine() (the measurement), or null. */
  others?: number | null;
}

/** A failed "always" claim: the lesson's run contradicts something that must hold everywhere. */
export class ClaimError extends Error {
  constructor(readonly record: ClaimRecord) {
    super(
      `claim ${record.id} failed: ${record.text}${record.value === null ? "" : ` (measured ${formatValue(record.value)}${record.expected === null ? "" : `, expected ${formatValue(record.expected)}`})`}. This must hold on every machine: it is a bug in the lesson or the library.`,
    );
    this.name = "ClaimError";
  }
}

/** Thrown for a call that cannot make a claim at all (bad id, text, kind…). */
export class ClaimInputError extends TypeError {
  constructor(what: string, fix: string) {
    super(`claim: ${what}. ${fix}`);
    this.name = "ClaimInputError";
  }
}

const ID = /^[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Other programs' share of the cores at which timings count as disturbed. */
export const BUSY_SHARE = 0.25;

/** A reading of the CPU clocks: the whole machine's, and this process's with its ended children. */
export interface CpuReading {
  at: number;
  machineBusyMs: number;
  machineTotalMs: number;
  ownMs: number;
}

/** This process's CPU time (every thread) plus that of its children that have ended (Linux), ms. */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  let children = 0;
  try {
    // /proc/self/stat: after the ")" closing the command name, fields 16 and 17 (cutime, cstime) in clock ticks.
    const stat = readFileSync("/proc/self/stat", "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    children = ((Number(rest[13]) || 0) + (Number(rest[14]) || 0)) * 10; // 100 ticks a second on Linux
  } catch {
    // not Linux: children's time is counted as other programs'
  }
  return (u.user + u.system) / 1000 + children;
}

export function cpuReading(): CpuReading {
  let busy = 0,
    total = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { at: Date.now(), machineBusyMs: busy, machineTotalMs: total, ownMs: ownCpuMs() };
}

/**
 * Other programs' share of all the cores' time between two readings (0–1): the
 * machine's busy time less this process's (its threads and ended child processes).
 * Null when the interval is too short to tell (under 100 ms: the clocks tick in 10 ms).
 */
export function othersShare(from: CpuReading, to: CpuReading): number | null {
  const total = to.machineTotalMs - from.machineTotalMs;
  if (to.at - from.at < 100 || total <= 0) return null;
  const others = to.machineBusyMs - from.machineBusyMs - (to.ownMs - from.ownMs);
  return Math.round(Math.min(1, Math.max(0, others / total)) * 100) / 100;
}

let lastReading: CpuReading | null = null;
let lastShare: number | null = null;

/**
 * Other programs' share of the cores since the previous call (the previous claim, or
 * machine()); calls closer than 100 ms apart (claims of one cell) share one figure.
 */
export function othersSinceLastCheck(): number | null {
  const now = cpuReading();
  if (!lastReading) {
    lastReading = now;
    return null;
  }
  const share = othersShare(lastReading, now);
  if (share === null) return lastShare;
  lastReading = now;
  lastShare = share;
  return share;
}

/** The machine now: cores, load average, and `others` when given (else the share since the last check). */
export function machineState(others: number | null = othersSinceLastCheck()): MachineState {
  const cores = availableParallelism();
  const load = Math.round(loadavg()[0] * 100) / 100;
  return { cores, load, others, busy: others === null ? load >= cores / 2 : others >= BUSY_SHARE };
}

/**
 * Samples what other programs use right now: sleeps `ms` on this thread (nothing of
 * this process runs meanwhile, unless it left workers running) and measures the
 * cores' use in between. Blocks the calling thread for `ms`.
 */
export function sampleMachine(ms = 250): MachineState {
  const from = cpuReading();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const to = cpuReading();
  lastReading = to;
  lastShare = othersShare(from, to);
  return machineState(lastShare);
}

/** Checks the arguments and builds the record; throws ClaimInputError on bad input. */
export function makeClaim(id: string, text: string, holds: boolean, opts: ClaimOptions = {}, machine: MachineState = machineState()): ClaimRecord {
  if (typeof id !== "string" || !ID.test(id))
    throw new ClaimInputError(
      `the id ${JSON.stringify(id)} is not of the form "NN-words"`,
      'Start it with the chapter\'s two digits, then lower-case words joined by "-", e.g. "04-no-lost-update".',
    );
  if (typeof text !== "string" || text.trim() === "")
    throw new ClaimInputError(`claim ${id} has no text`, 'Say in words what the run shows, e.g. "2 workers were faster than 1".');
  if (typeof holds !== "boolean")
    throw new ClaimInputError(`claim ${id}'s third argument is ${typeof holds}, not a boolean`, "Pass the comparison itself, e.g. `speedup >= 1.5`.");
  if (opts === null || typeof opts !== "object")
    throw new ClaimInputError(`claim ${id}'s options are not an object`, "Pass { kind, value, expected, otherwise } or nothing.");
  const kind = opts.kind ?? "machine";
  if (kind !== "always" && kind !== "machine")
    throw new ClaimInputError(`claim ${id} has kind ${JSON.stringify(kind)}`, 'Use "always" (must hold everywhere) or "machine" (depends on the machine).');
  for (const key of ["value", "expected"] as const) {
    const v = opts[key];
    if (v !== undefined && typeof v !== "string" && !(typeof v === "number" && !Number.isNaN(v)))
      throw new ClaimInputError(`claim ${id}'s ${key} is ${String(v)}`, "Pass a number or a short string (or leave it out).");
  }
  if (opts.otherwise !== undefined && typeof opts.otherwise !== "string")
    throw new ClaimInputError(`claim ${id}'s otherwise is not a string`, "Pass the sentence to show when the run disagrees.");
  return {
    id,
    text: text.trim(),
    kind,
    held: holds,
    value: opts.value ?? null,
    expected: opts.expected ?? null,
    load: machine.load,
    cores: machine.cores,
    otherwise: opts.otherwise?.trim() || null,
    others: machine.others ?? null,
  };
}

export function formatValue(v: number | string): string {
  if (typeof v === "string") return v;
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

function measured(r: ClaimRecord): string {
  if (r.value === null) return "";
  return ` (measured ${formatValue(r.value)}${r.expected === null ? "" : `; expected ${formatValue(r.expected)}`})`;
}

/** One line of plain text for a record: what a terminal, and the text/plain of a display, shows. */
export function claimText(r: ClaimRecord): string {
  if (r.held) return `✔ ${r.text}${measured(r)}`;
  if (r.kind === "always") return `✘ FAILED: ${r.text}${measured(r)}`;
  const instead = r.otherwise ? `${r.otherwise} ` : "";
  return `✘ ${instead}Not seen on this run: ${r.text}${measured(r)}. ${loadNote(r)}`;
}

const pct = (share: number) => `${Math.round(share * 100)} %`;

function loadNote(r: ClaimRecord): string {
  const cores = `${r.cores} core${r.cores === 1 ? "" : "s"}`;
  if (r.others !== undefined && r.others !== null)
    return r.others >= BUSY_SHARE
      ? `The machine was busy: other programs used ${pct(r.others)} of the ${cores} during the measurement (load ${r.load}). Run the cell again on an idle machine.`
      : `The machine was not busy: other programs used ${pct(r.others)} of the ${cores} during the measurement (load ${r.load}).`;
  return r.load >= r.cores / 2
    ? `The machine was busy (load ${r.load} on ${cores}): run the cell again on an idle machine.`
    : `The machine was not busy (load ${r.load} on ${cores}).`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The record as a small HTML block (the notes and every front end show it). */
export function claimHtml(r: ClaimRecord): string {
  const state = r.held ? "held" : r.kind === "always" ? "failed" : "not-seen";
  const mark = r.held ? "✔" : "✘";
  const body = r.held
    ? `${esc(r.text)}${esc(measured(r))}`
    : r.kind === "always"
      ? `<strong>Failed:</strong> ${esc(r.text)}${esc(measured(r))}`
      : `${r.otherwise ? `${esc(r.otherwise)} ` : ""}<em>Not seen on this run:</em> ${esc(r.text)}${esc(measured(r))}. ${esc(loadNote(r))}`;
  return `<div class="interleave-claim interleave-claim-${state}" data-claim="${esc(r.id)}">${mark} ${body}</div>`;
}

/** The machine note each notebook opens with. */
export function machineText(m: MachineState = machineState()): string {
  const use =
    m.others === undefined || m.others === null
      ? ""
      : ` Right now other programs use ${pct(m.others)} of the cores (the load average also counts work that ended up to minutes ago).`;
  const base = `This run: ${m.cores} core${m.cores === 1 ? "" : "s"}, load ${m.load} (1-minute average).${use}`;
  return m.busy
    ? `${base} The machine is busy: other programs are using the cores, so timings below may be slower than this machine can do and some comparisons may not show. Close other work and re-run for clean figures.`
    : `${base} The machine is idle enough for the timings below to mean something.`;
}
