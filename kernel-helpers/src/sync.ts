// Filled in by the sync area. Re-exported from index.ts.
export {};
