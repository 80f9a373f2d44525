// Worker side of bench/crew.ts: runs course workloads on its share of the data.
// Loaded as TypeScript: worker threads inherit tsx's loader from the bench process.
import { parentPort, workerData } from "node:worker_threads";
import { jobs } from "./course-jobs";

const port = parentPort!;
const { id } = workerData as { id: number; n: number };

port.on("message", async (m: { job: string; args: unknown }) => {
  try {
    const handler = jobs[m.job];
    if (!handler) throw new Error(`unknown job "${m.job}" (known: ${Object.keys(jobs).join(", ")})`);
    port.postMessage({ ok: true, value: await handler(m.args as never, id) });
  } catch (err) {
    port.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
port.postMessage({ ok: true, value: "ready" });
