// Turns an exercise's starter or solution (TypeScript source, as a notebook cell holds
// it) into the value it defines, the way a cell would: for the exercises command and
// the instructor edition, which check both without a kernel.
import { transformSync } from "esbuild";
import { ExerciseInputError } from "./types";

/** Compiles `source` and returns what it defines under `name`. */
export function compiledValue(source: string, name: string, where: string): unknown {
  let js: string;
  try {
    js = transformSync(`${source}\n;module.exports = ${name};`, { loader: "ts", format: "cjs", target: "node20" }).code;
  } catch (e) {
    throw new ExerciseInputError(`${where} does not compile: ${(e as Error).message.split("\n")[0]}`);
  }
  const module = { exports: undefined as unknown };
  // new Function on purpose: this runs a cell's source
  new Function("module", "exports", "require", js)(module, module.exports, require);
  return module.exports;
}
