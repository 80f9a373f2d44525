// Entry point of every worker thread and child process that interleave starts.
// It loads the very same bundle the notebook imports (./index.js, kept a real
// require by build.mjs), so primitives revived here are instances of the same
// classes that `require("kernel-helpers")` gives the worker's code.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const api = require("./index.js") as { __interleaveWorkerMain(api: unknown): void };
api.__interleaveWorkerMain(api);
export {};
