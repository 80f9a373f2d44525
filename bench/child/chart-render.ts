// Run in a fresh process by the charts group: times the first chart render
// (loading the chart module and vega included) and then `later` more renders.
// Prints one JSON line: { firstMs, laterMs: number[] }.
import { join } from "node:path";

async function main(): Promise<void> {
  const later = Number(process.argv[2] ?? "5");
  const t0 = performance.now();
  const charts: any = await import(join(__dirname, "..", "..", "src", "charts", "index.ts")).catch(() =>
    import(join(__dirname, "..", "..", "src", "charts", "render.ts")),
  );
  const make = (i: number): any => {
    const points = [1, 2, 4].map((n) => ({ workers: n, seconds: 1 / Math.min(n, 2) + i * 1e-3 }));
    if (typeof charts.speedupChart === "function") {
      try {
        return charts.speedupChart(points);
      } catch {
        /* builder with another input shape: fall back to a plain spec */
      }
    }
    return {
      title: "render probe",
      grammar: "vega-lite",
      text: "",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        data: { values: points },
        mark: "line",
        encoding: { x: { field: "workers", type: "quantitative" }, y: { field: "seconds", type: "quantitative" } },
      },
    };
  };
  const first = await charts.renderSvg(make(0));
  const firstMs = performance.now() - t0;
  if (typeof first !== "string" || !first.includes("<svg")) throw new Error("renderSvg did not return an SVG string");
  const laterMs: number[] = [];
  for (let i = 1; i <= later; i++) {
    const t = performance.now();
    await charts.renderSvg(make(i));
    laterMs.push(performance.now() - t);
  }
  process.stdout.write(JSON.stringify({ firstMs, laterMs }) + "\n");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
