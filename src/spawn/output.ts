// Worker output into the cell: line-buffered, each line prefixed with the worker
// label ("[t2] "), order within a worker preserved. Written through whatever
// process.stdout/stderr is at write time, because tslab swaps them per cell.
import type { Readable } from "node:stream";

/** Pipe `stream` line by line to the parent's stdout or stderr; resolves when the stream ends (partial line flushed). */
export function pipeLines(stream: Readable | null | undefined, prefix: string, to: "stdout" | "stderr"): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    let pending = "";
    const write = (text: string): void => {
      process[to].write(text);
    };
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      pending += chunk;
      const cut = pending.lastIndexOf("\n");
      if (cut < 0) return;
      const lines = pending.slice(0, cut).split("\n");
      pending = pending.slice(cut + 1);
      write(lines.map((l) => `${prefix}${l}\n`).join(""));
    });
    const done = (): void => {
      if (pending) write(`${prefix}${pending}\n`);
      pending = "";
      resolve();
    };
    stream.once("end", done);
    stream.once("close", done);
    stream.once("error", done);
  });
}
