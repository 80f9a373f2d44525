// The tracing area's public surface: what a run records (types) and its export to
// Chrome's trace viewer. The recorder (./recorder) is the library's own machinery.
export { Trace, toChromeTrace, saveChromeTrace, type ChromeTrace, type ChromeEvent } from "./chrome";
export type { RunData, WorkerRecord, TraceEvent, TaskRecord, WaitForGraph, PrimitiveRef } from "./types";
