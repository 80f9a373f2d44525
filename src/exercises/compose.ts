// A check runs the learner's function inside a harness of its own on real workers.
// Workers receive code as source text (src/spawn/ship.ts), so a closure over the
// learner's function would not travel: the harness and the learner's function are
// joined into one function whose own source holds both.

/**
 * Returns a function `(args) => harness(args, learner)` whose source text contains
 * the learner's function, so that it can be shipped to workers as it is.
 * `harness` must use only its arguments (it is shipped as source too).
 */
export function withLearner<A, R>(harness: (args: A, learner: never) => R, learner: unknown): (args: A) => R {
  const learnerSource = Function.prototype.toString.call(learner);
  const harnessSource = Function.prototype.toString.call(harness);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: one function built from two sources
  return new Function(`return function exerciseRun(args) {\n  const learner = (${asExpression(learnerSource)});\n  return (${harnessSource})(args, learner);\n}`)() as (args: A) => R;
}

/** A method's source (`name(a) { … }`) is not an expression; a function's or an arrow's is. */
function asExpression(source: string): string {
  if (/^(async\s+)?(function\b|\(|[A-Za-z_$][\w$]*\s*=>)/.test(source.trimStart())) return source;
  return `Object.values({ ${source} })[0]`;
}
