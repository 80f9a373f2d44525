// The cell-facing API: `import { … } from "kernel-helpers"` in a notebook.
// Each area lives in its own module; this file only gathers them.
export * from "./sync";
export * from "./spawn";
export * from "./charts";
export * from "./course";
