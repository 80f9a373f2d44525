// Where workers start: this package's dist/ is the worker bundle (src/spawn/entry.ts
// says what a bundle holds). index.ts imports this module for that alone; the spawning
// API itself comes from src/spawn's public index.
import { setWorkerBundle } from "../../src/spawn/entry";

// This file runs bundled in dist/index.js, beside the worker entry: this directory is the worker bundle.
setWorkerBundle(__dirname);
