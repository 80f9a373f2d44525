// The cell-facing API: `import { … } from "kernel-helpers"` in a notebook.
// Each area lives in its own module; this file only gathers them.
import { isMainThread } from "node:worker_threads";
import { setMainThreadPolicy } from "../../src/sync/policy";
import { inKernel } from "./charts";

export * from "./sync";
export * from "./spawn";
export * from "./charts";
export * from "./course";

// Inside a tslab kernel the main thread is the notebook itself: a lock or wait
// that blocks it forever freezes the notebook, so blocking calls there need a
// timeout or their async form (the error says which).
if (isMainThread && inKernel()) setMainThreadPolicy("refuse");
