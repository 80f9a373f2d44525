// Bad input raises a ChartInputError that names the function, the argument,
// what was wrong and what to do: chart calls sit at the end of long cells and
// a vague "cannot read property of undefined" costs the reader the whole run.

export class ChartInputError extends TypeError {
  constructor(fn: string, arg: string, problem: string, fix: string) {
    super(`${fn}: argument \`${arg}\` ${problem}. ${fix}`);
    this.name = "ChartInputError";
  }
}

export function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}
