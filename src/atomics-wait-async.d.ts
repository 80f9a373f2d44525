// Atomics.waitAsync is in Node 20 but in TypeScript's lib only from ES2024, which
// tslab's TypeScript 5.0 does not know. Declared here so both compilers accept it.
interface Atomics {
  waitAsync(
    typedArray: Int32Array,
    index: number,
    value: number,
    timeout?: number,
  ): { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
}
