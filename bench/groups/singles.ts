// The single side of the course figures: where the course's single-threaded
// versions are timed, and against what a split is compared.
//
// Not on the bench's main thread. It runs under tsx, whose module loader parses
// sources with a WebAssembly lexer; when that lexer's memory grows, V8 detaches
// the old ArrayBuffer, and the first detach in an isolate clears its "no
// ArrayBuffer was ever detached" protector. From then on every typed-array loop V8
// optimizes in that isolate checks for a detached buffer at each access: matmul's
// kernel ran ~20% slower on the main thread than in a fresh worker
// (`node --trace-protector-invalidation` shows the moment; the loop's machine code
// gains a load and a test per element). The crew's workers keep their protector,
// so a single timed on the main thread made every "vs single" speedup ~20% too
// good. The singles run on worker threads started as the crew's are, with the same
// history. (A notebook kernel's thread, tslab on plain node, keeps its protector:
// the course's own single runs in the notebooks are fair.)
//
// On one worker per core, each pinned (bench/pin.ts), where pinning is possible.
// The vCPUs of the shared VMs this was built on at times run the same code at
// speeds 1.5× apart, for minutes; one unpinned single landed on either. Each
// measurement times the single on every core of the pair in turn and takes their
// harmonic mean: the time of a core of their average speed, against which a
// perfect split over the two reaches exactly 2×. On an even machine it is simply
// the single's time.
import { Crew } from "../crew";
import { harmonicMean } from "../pin";
import { timeMsCpu } from "../stats";

export class Singles {
  private constructor(
    readonly crews: Crew[],
    /** The CPU of each crew, or null when unpinned (one crew). */
    readonly cpus: number[] | null,
  ) {}

  /** One worker pinned to each of the first two of `cpus`; one unpinned worker when `cpus` is null. */
  static async start(cpus: readonly number[] | null): Promise<Singles> {
    if (!cpus) return new Singles([await Crew.start(1)], null);
    if (cpus.length < 2) throw new Error(`Singles.start: needs two CPUs to pin to, got [${cpus.join(", ")}]`);
    const pair = cpus.slice(0, 2);
    const crews: Crew[] = [];
    try {
      for (const cpu of pair) crews.push(await Crew.start(1, [cpu]));
    } catch (err) {
      await Promise.all(crews.map((c) => c.close()));
      throw err;
    }
    return new Singles(crews, pair);
  }

  /**
   * Runs `run` once on each core's worker, one after the other; resolves with the
   * harmonic mean of their wall times (ms). The mean process CPU ms of a run is
   * pushed to `cpu`, each core's wall ms to `perCore[i]`.
   */
  async time(run: (solo: Crew) => unknown, cpu?: number[], perCore?: number[][]): Promise<number> {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (const [i, c] of this.crews.entries()) {
      const wall = await timeMsCpu(() => run(c), cpus);
      walls.push(wall);
      perCore?.[i]?.push(wall);
    }
    cpu?.push(cpus.reduce((a, b) => a + b, 0) / cpus.length);
    return harmonicMean(walls);
  }

  /** What the report says of where the singles ran. */
  describe(): string {
    return this.cpus ? `pinned, one worker on each of CPUs ${this.cpus.join(" and ")}` : "one unpinned worker";
  }

  async close(): Promise<void> {
    await Promise.all(this.crews.map((c) => c.close()));
  }
}

/** Runs `fn` with the singles' workers (pinned to the first two of `cpus`, or one unpinned) and always closes them. */
export async function withSingles<T>(cpus: readonly number[] | null, fn: (s: Singles) => Promise<T>): Promise<T> {
  const s = await Singles.start(cpus);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
