// A crew: n worker threads started once and kept, so that a benchmark times the
// work and not the start-up (spawn cost has its own group). Jobs are named
// handlers in child/course-worker.ts; every worker runs the same job with its
// own arguments and the call resolves when all have answered.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { ROOT } from "./lib";

type Reply = { ok: true; value: unknown } | { ok: false; error: string };

export class Crew {
  private constructor(private readonly workers: Worker[]) {}

  get size(): number {
    return this.workers.length;
  }

  /**
   * Starts `n` workers on bench/child/course-worker.ts and waits until each has
   * loaded its modules. With `cpus`, worker id pins itself to cpus[id % cpus.length]
   * first (bench/pin.ts). If one fails to start, all are terminated and this throws.
   */
  static async start(n: number, cpus?: readonly number[]): Promise<Crew> {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Crew.start: n must be an integer ≥ 1, got ${n}`);
    if (cpus && (cpus.length === 0 || !cpus.every((c) => Number.isInteger(c) && c >= 0))) {
      throw new Error(`Crew.start: cpus must be CPU numbers (integers ≥ 0), got [${cpus.join(", ")}]`);
    }
    const file = join(ROOT, "bench", "child", "course-worker.ts");
    const workers: Worker[] = [];
    try {
      await Promise.all(
        Array.from({ length: n }, (_, id) => {
          // tsx's loader does not reach worker threads: register its require hook first.
          const boot = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(file)});`;
          const w = new Worker(boot, { eval: true, workerData: { id, n, cpu: cpus?.[id % cpus.length] } });
          workers.push(w);
          return once(w, id);
        }),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new Crew(workers);
  }

  /** Runs `job` on every worker with `args(id)`; resolves with their answers in id order. */
  async all<T>(job: string, args: (id: number) => unknown): Promise<T[]> {
    return Promise.all(
      this.workers.map((w, id) => {
        const answer = once(w, id) as Promise<T>;
        w.postMessage({ job, args: args(id) });
        return answer;
      }),
    );
  }

  /** Terminates every worker; safe to call twice. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The next reply of worker `id`, or its death. */
function once(w: Worker, id: number): Promise<unknown> {
  return new Promise((ok, fail) => {
    const onMessage = (m: Reply) => {
      cleanup();
      if (m.ok) ok(m.value);
      else fail(new Error(`bench worker ${id}: ${m.error}`));
    };
    const onError = (e: Error) => {
      cleanup();
      fail(e);
    };
    const onExit = (code: number) => {
      cleanup();
      fail(new Error(`bench worker ${id} exited (code ${code}) before answering`));
    };
    const cleanup = () => {
      w.off("message", onMessage);
      w.off("error", onError);
      w.off("exit", onExit);
    };
    w.on("message", onMessage);
    w.on("error", onError);
    w.on("exit", onExit);
  });
}

/** Runs `fn` with a crew of `n` workers (pinned round-robin to `cpus`, if given) and always closes it. */
export async function withCrew<T>(n: number, fn: (crew: Crew) => Promise<T>, cpus?: readonly number[]): Promise<T> {
  const crew = await Crew.start(n, cpus);
  try {
    return await fn(crew);
  } finally {
    await crew.close();
  }
}
