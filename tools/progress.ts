// Progress display: one live line on a terminal (notebook, cell k/n, elapsed),
// plain log lines otherwise (CI logs, pipes).

export interface BuildProgress {
  notebookStart(index: number, total: number, name: string, cells: number): void;
  cell(name: string, k: number, n: number): void;
  notebookEnd(name: string, ok: boolean, seconds: number, note?: string): void;
  /** Stops the ticking line (idempotent). */
  close(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, tty = Boolean(stream.isTTY) && !process.env.CI): BuildProgress {
  // Several notebooks may run at once (--jobs): one status entry each.
  const running = new Map<string, { pos: string; k: number; n: number; since: number }>();
  let ticker: NodeJS.Timeout | undefined;
  const draw = () => {
    const parts = [...running].map(([name, s]) => `${s.pos} ${name}  cell ${s.k}/${s.n}  ${((Date.now() - s.since) / 1000).toFixed(0)}s`);
    const cols = stream.columns || 100;
    const line = parts.join("  |  ");
    stream.write(`\r\x1b[K${line.length > cols - 1 ? `${line.slice(0, cols - 2)}…` : line}`);
  };
  const clearLine = () => tty && stream.write("\r\x1b[K");
  return {
    notebookStart(index, total, name, cells) {
      running.set(name, { pos: `[${index}/${total}]`, k: 0, n: cells, since: Date.now() });
      if (tty) {
        ticker ??= setInterval(draw, 500);
        ticker.unref();
        draw();
      } else stream.write(`[${index}/${total}] ${name}: running ${cells} cells\n`);
    },
    cell(name, k, n) {
      const s = running.get(name);
      if (s) Object.assign(s, { k, n });
      if (tty) draw();
    },
    notebookEnd(name, ok, seconds, note) {
      const s = running.get(name);
      running.delete(name);
      clearLine();
      stream.write(`${s?.pos ?? ""} ${name}: ${ok ? "passed" : "FAILED"} in ${seconds.toFixed(1)} s${note ? ` (${note})` : ""}\n`);
      if (tty && running.size) draw();
    },
    close() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      if (running.size) clearLine();
    },
  };
}
