// The course's workloads for notebooks and for worker functions: a worker can
// `const { multiplyRows } = require("kernel-helpers")` and run its share on shared memory.
// Everything here is plain data and functions (no threads): see src/course/.
export * from "../../src/course/index";
