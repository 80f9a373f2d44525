// Entry point of every worker thread and child process that interleave starts.
// The spawning area fills this in; it must load the same bundle as index.ts so
// that revived primitives are instances of the same classes.
export {};
