// Filled in by the spawn area. Re-exported from index.ts.
export {};
