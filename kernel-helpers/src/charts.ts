// Filled in by the charts area. Re-exported from index.ts.
export {};
