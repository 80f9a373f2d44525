// Chapter 3's document server: starts on 127.0.0.1 at a free port, serves each
// document after its latency (and 404 with the valid range otherwise), stops with
// close() (port closed, nothing open), and the two letter counts over it agree with
// the count of the texts. Latency is checked as a lower bound only (no speed).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { connect } from "node:net";
import { docUrl, fetchAndCountSequential, fetchAndCountWorker, openDocServers, startDocServer, withDocServer } from "../../src/course/docserver";
import { countLetters } from "../../src/course/letters";
import { threads } from "../../src/spawn/api";
import { CourseInputError } from "../../src/course/errors";

const docs = ["Hello, World!", "The quick brown fox", "ZZZ zzz", "αβγ abc"];

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

test("starts, serves each document after the latency, 404s the rest, stops and leaves nothing", async () => {
  const server = await startDocServer({ documents: docs, latencyMs: 30 });
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.is(server.count, 4);
  assert.is(openDocServers(), 1);
  const t0 = performance.now();
  const res = await fetch(docUrl(server, 1));
  assert.ok(performance.now() - t0 >= 25, "answered after its latency");
  assert.is(res.status, 200);
  assert.is(await res.text(), "The quick brown fox");
  const missing = await fetch(`${server.url}/doc/4`);
  assert.is(missing.status, 404);
  assert.match(await missing.text(), "documents are /doc/0 … /doc/3");
  assert.is(server.served, 1);
  assert.ok(await portOpen(server.port));
  await server.close();
  await server.close(); // a second close is a no-op
  assert.is(openDocServers(), 0);
  assert.not.ok(await portOpen(server.port), "the port is closed");
});

test("withDocServer closes the server when its function throws", async () => {
  let port = 0;
  await withDocServer({ documents: docs, latencyMs: 0 }, (s) => {
    port = s.port;
    throw new Error("boom");
  }).then(
    () => assert.unreachable(),
    (e: Error) => assert.is(e.message, "boom"),
  );
  assert.is(openDocServers(), 0);
  assert.not.ok(await portOpen(port));
});

test("both letter counts over the server equal the count of the texts", async () => {
  const expected = new Int32Array(26);
  for (const d of docs) countLetters(d, expected);
  await withDocServer({ documents: docs, latencyMs: 5 }, async (server) => {
    assert.equal([...(await fetchAndCountSequential(server))], [...expected]);
    const freq = new Int32Array(new SharedArrayBuffer(26 * 4));
    const run = await threads.run(docs.length, fetchAndCountWorker, { url: server.url, freq });
    assert.equal(
      run.results,
      docs.map((d) => d.length),
    );
    assert.equal([...freq], [...expected]);
  });
});

test("bad options are refused with what to pass", async () => {
  for (const bad of [null, {}, { documents: [] }, { documents: [3] }, { documents: ["a"], latencyMs: -1 }]) {
    try {
      await startDocServer(bad as never);
      assert.unreachable(`accepted ${JSON.stringify(bad)}`);
    } catch (e) {
      assert.ok(e instanceof CourseInputError, String(e));
    }
  }
  assert.is(openDocServers(), 0);
});

test.run();
