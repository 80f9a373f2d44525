// Small helpers the checks share: verdicts, and turning a run's failure into words.
import { DeadlockError } from "../spawn/deadlock";
import { RunTimeoutError, WorkerFailedError } from "../spawn/errors";
import type { Verdict } from "./types";

export const pass = (message: string): Verdict => ({ passed: true, message });
export const fail = (message: string): Verdict => ({ passed: false, message });

/** "t0 held 'red' and waited for 'blue'; t1 …": who held and who waited, from the deadlock's wait-for graph. */
export function whoWaited(e: DeadlockError): string {
  const name = (p: { id: string; label?: string }) => `'${p.label ?? p.id}'`;
  const lines = e.graph.waits.map((w) => {
    const held = e.graph.holds.filter((h) => h.worker === w.worker).map((h) => name(h.prim));
    return `${w.worker} ${held.length ? `held ${held.join(" and ")} and ` : ""}waited for ${name(w.prim)}`;
  });
  return lines.join("; ");
}

/** A run that did not finish, as a verdict: deadlock, endless loop, or the learner's exception. */
export function failedRun(e: unknown, limitMs: number): Verdict {
  if (e instanceof DeadlockError)
    return fail(
      `the workers deadlocked: every one still running was blocked and none could wake the others (${whoWaited(e) || e.message.split("\n")[0]}). Look at the order in which locks are taken, and whether every wait has someone left to wake it.`,
    );
  if (e instanceof RunTimeoutError) return tooLate(limitMs);
  if (e instanceof WorkerFailedError) return fail(`a worker threw: ${e.message.split("\n")[0]}`);
  // The library's own errors say in their next lines what to do (e.g. why a function cannot run in a worker): keep them.
  return fail(`it threw: ${e instanceof Error ? `${e.name}: ${e.message.split("\n").slice(0, 3).join(" ").replace(/\s+/g, " ").trim()}` : String(e)}`);
}

/** A run or call that did not finish within its limit. */
export const tooLate = (limitMs: number): Verdict =>
  fail(`it did not finish within ${limitMs / 1000} s and was stopped: an endless loop, or a wait nobody ends.`);

/** Checks that `value` is a function, else a failing verdict that says what to pass. */
export function needFunction(value: unknown, name: string): Verdict | null {
  if (typeof value === "function") return null;
  return fail(
    `check() needs the function \`${name}\` your cell defines, got ${value === null ? "null" : typeof value}. Run the starter cell, then pass \`${name}\` itself.`,
  );
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Awaits a run: resolves to its value, or to the verdict a run that did not finish
 * deserves (failedRun). Lets a check say `if (isVerdict(r)) return r;` instead of a try.
 */
export async function attempt<T>(work: Promise<T>, limitMs: number): Promise<T | Verdict> {
  try {
    return await work;
  } catch (e) {
    return failedRun(e, limitMs);
  }
}

/** What withLimit resolves to when the work did not settle in time. */
export const LATE: unique symbol = Symbol("late");

/** Resolves to what `work` resolves to, or to LATE if it has not settled within `ms`. */
export async function withLimit<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((done) => {
    timer = setTimeout(() => done(LATE), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function isVerdict(x: unknown): x is Verdict {
  return typeof x === "object" && x !== null && typeof (x as Verdict).passed === "boolean" && typeof (x as Verdict).message === "string";
}

/**
 * How long every live worker of a check must be blocked before the watchdog calls it a
 * deadlock. Generous: on a busy machine a worker may wait that long for the others to start.
 */
export const DEADLOCK_MS = 1_200;
