// The cell-facing API: `import { … } from "kernel-helpers"` in a notebook.
//
// One list of the public API: each area of src/ has a public index, re-exported here
// as is, so a name added to an area's index (a chart, a primitive, a course model)
// reaches notebooks with no edit here. This package adds only what needs a notebook:
// displays (./charts), claims (./claims), drawing methods on Run and DeadlockError
// (./drawing), exercises (./exercises), and the tslab adapter (./tslab), which is not API.
import "./spawn"; // first: where the worker bundle is
import { installTslabAdapter } from "./tslab";
import "./drawing";

export * from "../../src/sync";
export { openSegments, closeAllSegments } from "../../src/shm";
export * from "../../src/spawn";
export * from "../../src/trace";
export * from "../../src/charts";
export * from "../../src/course";
export * from "./charts";
export * from "./claims";
export * from "./exercises";
export * from "./explore";

installTslabAdapter();
