// A check runs the learner's function inside a harness of its own on real workers.
// Workers receive code as source text (src/spawn/ship.ts), so a closure over the
// learner's function would not travel: the harness and the learner's function are
// joined into one function whose own source holds both.

/**
 * Meets the other workers before the harness runs: threads start ~20 ms apart
 * (processes more), long enough for a short loop to finish before the next one
 * starts, and then a race cannot show. Needs `gate` (one shared int32, 0) and `n`.
 */
const GATE = `{
    const gate = args.gate;
    if (Atomics.add(gate, 0, 1) + 1 === args.n) Atomics.notify(gate, 0);
    else while (Atomics.load(gate, 0) < args.n) Atomics.wait(gate, 0, Atomics.load(gate, 0), 50);
  }`;

export interface Joining {
  /** Meet at a start gate first (see GATE): the run's data must hold `gate: sharedInts(1)`. */
  gated?: boolean;
}

/**
 * Returns a function `(args) => harness(args, learner)` whose source text contains
 * the learner's function, so that it can be shipped to workers as it is.
 * `harness` must use only its arguments (it is shipped as source too), and no inner
 * named functions: under tsx those call a helper that a worker does not have.
 */
export function withLearner<A, R>(harness: (args: A, learner: never) => R, learner: unknown, joining: Joining = {}): (args: A) => R {
  const learnerSource = Function.prototype.toString.call(learner);
  const harnessSource = Function.prototype.toString.call(harness);
  // new Function on purpose: one function built from two sources
  return new Function(
    `return function exerciseRun(args) {\n  ${joining.gated ? GATE : ""}\n  const learner = (${asExpression(learnerSource)});\n  return (${harnessSource})(args, learner);\n}`,
  )() as (args: A) => R;
}

/** Runs the learner's function as it is (for a check that needs only the gate). */
export function asItIs(args: unknown, learner: (args: unknown) => unknown): unknown {
  return learner(args);
}

/** A method's source (`name(a) { … }`) is not an expression; a function's or an arrow's is. */
function asExpression(source: string): string {
  if (/^(async\s+)?(function\b|\(|[A-Za-z_$][\w$]*\s*=>)/.test(source.trimStart())) return source;
  return `Object.values({ ${source} })[0]`;
}

/** `count` int32 words in fresh shared memory, all 0. */
export const sharedInts = (count: number) => new Int32Array(new SharedArrayBuffer(4 * count));

/**
 * How often a harness's worker that waits (on a channel, or on a condition for a wake-up
 * the learner's code owes it) looks whether it is stranded: whoever could end the wait
 * has returned, so nothing more can come. The watchdog cannot judge such a wait
 * (someone outside might still send or notify), but a harness knows who can. The
 * verdict does not depend on it; it only sets how soon a stranded wait is seen.
 */
export const STRANDED_POLL_MS = 25;
