// Chapter 3's documents over HTTP: a local server (node:http on 127.0.0.1, a port the
// system picks) that answers GET /doc/<i> with document i after a stated latency, as a
// distant web server would. The course's letter count downloads its documents; this
// makes the waiting real, and the same on every machine.
//
// Contract: startDocServer resolves once the server listens; close() stops accepting,
// ends open connections and resolves when the port is free (calling it again is a
// no-op). withDocServer closes the server however its function ends. A server still
// open when the process exits is closed with it (nothing else keeps it alive: unref'd).
import { createServer, get as httpGet, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CourseInputError, checkInt } from "./errors";
import { countLetters } from "./letters";

export interface DocServerOptions {
  /** The documents' texts; document i is served at /doc/i. */
  documents: readonly string[];
  /** How long the server waits before answering each request, ms (default 100). */
  latencyMs?: number;
}

export interface DocServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  latencyMs: number;
  /** Number of documents (served at `${url}/doc/0` … `/doc/${count - 1}`). */
  count: number;
  /** Requests answered so far. */
  readonly served: number;
  /** Stops the server and ends open connections; resolves when the port is closed. */
  close(): Promise<void>;
}

/** The URL of document `i` on `server`. */
export function docUrl(server: { url: string }, i: number): string {
  return `${server.url}/doc/${i}`;
}

const open = new Set<Server>();

/** Starts a document server on 127.0.0.1 at a free port. Rejects with CourseInputError on bad options. */
export async function startDocServer(opts: DocServerOptions): Promise<DocServer> {
  if (opts === null || typeof opts !== "object") throw new CourseInputError("startDocServer needs { documents: [text, …], latencyMs? }");
  const { documents } = opts;
  if (!Array.isArray(documents) || documents.length === 0 || !documents.every((d) => typeof d === "string"))
    throw new CourseInputError('documents must be a non-empty array of strings (the texts to serve); e.g. corpusFiles().map((f) => readFileSync(f, "utf8"))');
  const latencyMs = checkInt("latencyMs", opts.latencyMs ?? 100, 0, 60_000);
  const texts = [...documents];
  let served = 0;
  const server = createServer((req, res) => {
    const m = /^\/doc\/(\d+)$/.exec(req.url ?? "");
    const i = m ? Number(m[1]) : -1;
    const answer = () => {
      if (req.method !== "GET" || i < 0 || i >= texts.length) {
        res
          .writeHead(404, { "content-type": "text/plain" })
          .end(`no such document: ${req.method} ${req.url} (documents are /doc/0 … /doc/${texts.length - 1})\n`);
        return;
      }
      served++;
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(texts[i]);
    };
    const timer = setTimeout(answer, latencyMs);
    res.on("close", () => clearTimeout(timer)); // a client that gave up gets no answer
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.unref();
  open.add(server);
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    latencyMs,
    count: texts.length,
    get served() {
      return served;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        open.delete(server);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Runs `fn` with a started document server and closes the server however `fn` ends. */
export async function withDocServer<T>(opts: DocServerOptions, fn: (server: DocServer) => Promise<T> | T): Promise<T> {
  const server = await startDocServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Document servers of this process not closed yet (for tests and leak checks). */
export function openDocServers(): number {
  return open.size;
}

/**
 * Runs inside a worker (shipped as source: no helpers, only `require`). Downloads
 * document `id` from `url` with node:http (lighter to start in a fresh worker than the
 * global fetch) and adds its ASCII letters to the shared table `freq` (26 counters)
 * with Atomics.add, so that no count is lost. Resolves with the document's length;
 * rejects on a network error or a status other than 200.
 */
export function fetchAndCountWorker({ id, url, freq }: { id: number; url: string; freq: Int32Array }): Promise<number> {
  return new Promise((resolve, reject) => {
    require("node:http")
      .get(`${url}/doc/${id}`, (res: import("node:http").IncomingMessage) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET ${url}/doc/${id} answered ${res.statusCode}`));
          return;
        }
        res.setEncoding("utf8");
        let text = "";
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          for (let i = 0; i < text.length; i++) {
            const c = (text.charCodeAt(i) | 0x20) - 97;
            if (c >= 0 && c <= 25) Atomics.add(freq, c, 1);
          }
          resolve(text.length);
        });
      })
      .on("error", reject);
  });
}

/** GET `url` with node:http; resolves with the body, rejects on an error or a status other than 200. */
export function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} answered ${res.statusCode}`));
        return;
      }
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve(text));
    }).on("error", reject);
  });
}

/** The one-after-another version, on the calling thread: each download waits for the one before. Resolves with the table. */
export async function fetchAndCountSequential(server: { url: string; count: number }): Promise<Int32Array> {
  const freq = new Int32Array(26);
  for (let i = 0; i < server.count; i++) countLetters(await getText(docUrl(server, i)), freq);
  return freq;
}
