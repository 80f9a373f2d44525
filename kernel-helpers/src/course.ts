// Filled in by the course area. Re-exported from index.ts.
export {};
