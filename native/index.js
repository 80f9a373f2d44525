// Loads the compiled addon. Throws (with the reason) when it was not built;
// the library catches that and falls back (see src/shm/native.ts).
"use strict";
const path = require("node:path");
module.exports = require(path.join(__dirname, "build", "Release", "interleave_shm.node"));
