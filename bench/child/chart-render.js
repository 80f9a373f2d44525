// Run in a fresh plain Node process by the charts group, as a notebook kernel
// would: times require("kernel-helpers") + the first speedup chart rendered to
// SVG (vega loading included), then `later` more renders.
// Prints one JSON line: { firstMs, laterMs: number[] }.
"use strict";
const { join } = require("node:path");

async function main() {
  const later = Number(process.argv[2] || "5");
  const t0 = performance.now();
  const lib = require(join(__dirname, "..", "..", "kernel-helpers", "dist", "index.js"));
  if (typeof lib.renderSvg !== "function" || typeof lib.speedupChart !== "function") {
    throw new Error("kernel-helpers exports no renderSvg / speedupChart");
  }
  const chart = (i) =>
    lib.speedupChart([1, 2, 4].map((n) => ({ workers: n, ms: 100 / Math.min(n, 2) + i * 1e-3 })), { title: "render probe" });
  const first = await lib.renderSvg(chart(0));
  const firstMs = performance.now() - t0;
  if (typeof first !== "string" || !first.includes("<svg")) throw new Error("renderSvg did not return an SVG string");
  const laterMs = [];
  for (let i = 1; i <= later; i++) {
    const t = performance.now();
    await lib.renderSvg(chart(i));
    laterMs.push(performance.now() - t);
  }
  process.stdout.write(JSON.stringify({ firstMs, laterMs }) + "\n");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
