// One error type for bad input to the course examples, so the CLI can tell a
// usage mistake (exit 2, message only) from a crash (stack trace).

/** Thrown for input the caller can fix: names the argument, what was wrong, and what to do. */
export class CourseInputError extends Error {
  override name = "CourseInputError";
}

/** Throws a CourseInputError unless `n` is an integer within [min, max]. */
export function checkInt(arg: string, n: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new CourseInputError(`${arg} must be an integer ${range}, got ${JSON.stringify(n)}; pass a whole number in that range`);
  }
  return n;
}
