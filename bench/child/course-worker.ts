// Worker side of bench/crew.ts: runs course workloads on its share of the data.
// Loaded as TypeScript: worker threads inherit tsx's loader from the bench process.
import { parentPort, workerData } from "node:worker_threads";
import { jobs } from "./course-jobs";
import { pinThisThread, threadCpus } from "../pin";

const port = parentPort!;
const { id, cpu } = workerData as { id: number; n: number; cpu?: number };

port.on("message", async (m: { job: string; args: unknown }) => {
  try {
    const handler = jobs[m.job];
    if (!handler) throw new Error(`unknown job "${m.job}" (known: ${Object.keys(jobs).join(", ")})`);
    port.postMessage({ ok: true, value: await handler(m.args as never, id) });
  } catch (err) {
    port.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
try {
  if (cpu !== undefined) {
    // Checked, not assumed: the report says where the singles ran.
    const tid = pinThisThread(cpu);
    const now = threadCpus(tid);
    if (now.length !== 1 || now[0] !== cpu) throw new Error(`thread ${tid} was pinned to CPU ${cpu} but may run on [${now.join(", ")}]`);
  }
  port.postMessage({ ok: true, value: "ready" });
} catch (err) {
  port.postMessage({ ok: false, error: (err as Error).message });
}
