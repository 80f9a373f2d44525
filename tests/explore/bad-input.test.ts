// Bad input gets a clear error and nothing hangs: a thread that never yields or
// never ends, a step outside the model API, state that cannot be hashed, a model
// that is not deterministic, bad options, unknown models.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ExploreInputError, Stepper, courseModel, exploreModel, model, sim, replaySchedule, type ModelSpec } from "../../src/explore";
import { CourseInputError } from "../../src/course/errors";
import { throwsError } from "../throws";

const throws = (fn: () => unknown, re: RegExp, cls: new (...args: never[]) => unknown = ExploreInputError) => throwsError(fn, cls, re);

type G = Generator<any, any, any>;

/** A model whose threads share one number, x = 0. */
const overX = (name: string, threads: ModelSpec["threads"], n?: number) => model({ name, shared: { x: 0 }, threads, n });

test("a thread that never yields is stopped with a clear error, and the explorer still works", () => {
  const stuck = overX("stuck", [
    function* ({ x }): G {
      yield x.write(1);
    },
    function* ({ x }): G {
      const v = yield x.read();
      if (v === 1)
        for (;;) {
          /* spins without a step */
        }
    },
  ]);
  const t0 = Date.now();
  throws(() => exploreModel(stuck, { maxMs: 200 }), /explore "stuck": thread t1 ran for more than \d+ ms without reaching a step and was stopped/);
  assert.ok(Date.now() - t0 < 6_000, `stopped in ${Date.now() - t0} ms`);
  throws(() => new Stepper(stuck).step(0, 1), /stepper "stuck": thread t1 ran for more than/);
  // The process is fine afterwards.
  const ok = exploreModel(
    overX("fine", function* ({ x }): G {
      yield x.add(1);
    }),
  );
  assert.equal(
    ok.outcomes.map((o) => o.outcome),
    ["2"],
  );
});

test("a thread that never ends hits the step bound: partial, and it says so", () => {
  const forever = overX("forever", [
    function* ({ x }): G {
      for (;;) yield x.add(1);
    },
  ]);
  const r = exploreModel(forever, { maxSteps: 500 });
  assert.not.ok(r.complete);
  assert.is(r.bound!.kind, "steps");
  assert.match(r.bound!.message, /step bound hit: some schedules were longer than maxSteps = 500 .*a thread that never ends\?.*the result is partial/);
  assert.is(r.cut, 1);
  const two = overX("two forever", function* ({ x }): G {
    for (;;) yield x.write(1);
  });
  const t0 = Date.now();
  const r2 = exploreModel(two, { maxSteps: 60, maxMs: 300, reduction: "none" });
  assert.ok(Date.now() - t0 < 3_000);
  assert.not.ok(r2.complete);
  assert.ok(r2.bound!.kind === "time" || r2.bound!.kind === "steps");
  const r3 = exploreModel(two, { maxSteps: 40, maxSchedules: 10, reduction: "none" });
  assert.is(r3.bound!.kind, "schedules");
  const many = (adds: number) =>
    overX(
      "many",
      function* ({ x }): G {
        for (let i = 0; i < adds; i++) yield x.add(1);
      },
      3,
    );
  const r4 = exploreModel(many(20), { reduction: "none", maxSchedules: 1000 });
  assert.is(r4.bound!.kind, "schedules");
  assert.match(r4.bound!.message, /schedule bound hit: stopped after maxSchedules = 1,000 runs; the result is partial/);
  const r5 = exploreModel(many(30), { reduction: "none", maxMs: 100 });
  assert.match(r5.bound!.message, /time bound hit: stopped after maxMs = 100 ms/);
});

test("steps outside the model API are refused with the fix in the message", () => {
  const bad = (body: (a: any) => G) => model({ name: "bad", shared: { x: 0, m: sim.mutex() }, threads: [body] });
  const other = model({
    name: "other",
    shared: { y: 0 },
    threads: function* ({ y }): G {
      yield y.read();
    },
  });
  const leak = (other.args[0] as { y: unknown }).y as { read(): unknown };
  // One mistake per thread body, and what the refusal must say about it.
  const mistakes: [(a: any) => G, RegExp][] = [
    [
      function* (): G {
        yield 5;
      },
      /thread t0 yielded 5, which is not a step of the model; yield only steps/,
    ],
    [
      function* ({ x }): G {
        yield { op: "read", x };
      },
      /yielded an object, which is not a step/,
    ],
    [
      function* (): G {
        yield Promise.resolve(1);
      },
      /yielded a promise; model threads are plain generator functions/,
    ],
    [
      function* ({ m, x }): G {
        m.lock();
        yield x.write(1);
      },
      /made a step without yielding it .*yield lock.lock\(\)/,
    ],
    [
      // biome-ignore lint/correctness/useYield: the mistake under test, a step made without yield
      function* ({ x }): G {
        x.read();
      },
      /made a step without yielding it \(last made: x.read\(\)\)/,
    ],
    [
      function* ({ x }): G {
        const s = x.read();
        yield s;
        yield s;
      },
      /yielded a step it had made earlier/,
    ],
    [(() => 5) as never, /body returned 5, not a generator; write it as a generator function/],
    [
      function* (): G {
        yield leak.read();
      },
      /yielded a step of another model/,
    ],
  ];
  for (const [body, re] of mistakes) throws(() => exploreModel(bad(body)), re);
});

test("state that cannot be compared or hashed is refused", () => {
  throws(
    () => model({ name: "obj", shared: { x: { a: 1 } as never }, threads: function* (): G {} }),
    /shared.x is an object; a shared entry is a plain value .*compare and hash/,
  );
  throws(() => model({ name: "fn", shared: { f: (() => 1) as never }, threads: function* (): G {} }), /shared.f is a function/);
  throws(() => model({ name: "mix", shared: { a: [1, sim.mutex()] as never }, threads: function* (): G {} }), /shared.a mixes kinds/);
  const writes = (v: unknown) =>
    overX("w", [
      function* ({ x }): G {
        yield x.write(v);
      },
    ]);
  throws(
    () => exploreModel(writes({ a: 1 })),
    /x.write\(value\): an object cannot be shared in a model; shared values are numbers, strings, booleans, null or undefined/,
  );
  throws(() => exploreModel(writes([1, 2])), /an array of 2 cannot be shared/);
  throws(() => exploreModel(writes(Symbol("s"))), /a symbol \(s\) cannot be shared/);
  const puts = model({
    name: "q",
    shared: { q: sim.queue(2) },
    threads: [
      function* ({ q }): G {
        yield q.put(new Map() as never);
      },
    ],
  });
  throws(() => exploreModel(puts), /q.put\(item\): a Map cannot be shared/);
  // Plain values of every kind are fine, and strings are compared by value.
  const plain = model({
    name: "plain",
    shared: { s: "a", b: false, z: null },
    threads: [
      function* ({ s, b, z }): G {
        yield s.write("bb");
        yield b.write(true);
        yield z.write(7n as never);
      },
    ],
  });
  assert.equal(
    exploreModel(plain, { reduction: "states" }).outcomes.map((o) => o.outcome),
    ['s="bb", b=true, z=7n'],
  );
});

test("a model that is not deterministic is caught", () => {
  let runs = 0;
  const flaky = model({
    name: "flaky",
    shared: { x: 0, y: 0 },
    threads: function* ({ x, y }): G {
      runs++;
      yield x.write(1);
      yield (runs % 3 === 0 ? y : x).write(2);
      yield x.write(3);
    },
  });
  throws(
    () => exploreModel(flaky, { reduction: "none" }),
    /model "flaky" is not deterministic: running the same schedule again, thread t\d did something else at step \d+/,
  );
  throws(() => exploreModel(flaky, { reduction: "states" }), /model "flaky" is not deterministic/);
});

test("bad models and options name what is wrong", () => {
  throws(() => model(null as never), /spec must be an object/);
  throws(() => model({ name: "", threads: function* (): G {} }), /name must be a non-empty string/);
  throws(() => model({ name: "x", threads: [] }), /threads must be a generator function .* or an array of 1 to 16/);
  throws(() => model({ name: "x", threads: function* (): G {}, n: 0 }), /n must be a whole number from 1 to 16/);
  throws(() => model({ name: "x", threads: function* (): G {}, thread: 1 } as never), /unknown key "thread"/);
  throws(() => model({ name: "x", shared: { k: 1 }, threads: function* (): G {}, params: { k: 2 } }), /params.k clashes with shared.k/);
  throws(
    () => model({ name: "x", shared: { c: sim.condition("m") }, threads: function* (): G {} }),
    /shared.c is sim.condition\("m"\), but shared.m is missing/,
  );
  throws(() => sim.barrier(0), /parties must be a whole number from 1/);
  const m = model({
    name: "ok",
    shared: { x: 0 },
    threads: function* ({ x }): G {
      yield x.read();
    },
  });
  throws(() => exploreModel(m, { reduction: "fast" as never }), /reduction must be "none", "por" or "states"/);
  throws(() => exploreModel(m, { maxSteps: 0 }), /maxSteps must be a whole number from 1/);
  throws(() => exploreModel(m, { sampel: 3 } as never), /unknown option "sampel"/);
  throws(() => exploreModel(m, { prefix: [3] }), /prefix must be an array of thread ids 0..1/);
  throws(
    () => exploreModel(m, { grade: () => "great" as never }),
    /grade returned "great" for outcome "0"; grades are "expected", "acceptable" or "forbidden"/,
  );
  throws(() => exploreModel(model({ name: "o", threads: function* (): G {}, outcome: () => ({}) as never })), /outcome returned an object; return a string/);
  throws(() => courseModel("dining"), /unknown model "dining"; the models are lost-update, /, CourseInputError);
  throws(() => courseModel("lost-update", { n: 3 }), /model lost-update takes --k, not --n/, CourseInputError);
  throws(() => courseModel("condition-bank", { variant: "until" }), /variant must be one of while, if, no-predicate/, CourseInputError);
  throws(() => replaySchedule(m, [0, 0]), /schedule\[1\] = 0 does not fit/);
});

test("a thread's misuse of a primitive raises inside it, as the library would", () => {
  const misuse = model({
    name: "misuse",
    shared: { m: sim.mutex(), c: sim.condition(), wg: sim.waitGroup(0), q: sim.queue(1) },
    params: {},
    threads: [
      function* ({ m }): G {
        yield m.unlock();
      },
      function* ({ m }): G {
        try {
          yield m.unlock();
        } catch (e) {
          return (e as Error).name;
        }
      },
    ],
  });
  const r = exploreModel(misuse, { reduction: "none" });
  assert.ok(
    r.outcomes.every((o) => /^error: t0 NotOwnerError: Mutex.unlock: t0 does not hold m \(it is not locked\)$/.test(o.outcome)),
    JSON.stringify(r.outcomes.map((o) => o.outcome)),
  );
  assert.ok(r.outcomes.every((o) => o.grade === "forbidden"));
  const each = (body: (a: any) => G) =>
    exploreModel(model({ name: "one", shared: { m: sim.mutex(), c: sim.condition(), wg: sim.waitGroup(0), q: sim.queue(1) }, threads: [body] })).outcomes[0]
      .outcome;
  assert.match(
    each(function* ({ c }): G {
      yield c.wait();
    }),
    /NotOwnerError: Condition.wait: acquire c's lock \(c.lock\) first/,
  );
  assert.match(
    each(function* ({ c }): G {
      yield c.notify();
    }),
    /NotOwnerError: Condition.notify/,
  );
  assert.match(
    each(function* ({ m }): G {
      yield m.lock();
      yield m.lock();
    }),
    /Error: Mutex.lock: t0 already holds m; a Mutex is not reentrant/,
  );
  assert.match(
    each(function* ({ wg }): G {
      yield wg.done();
    }),
    /RangeError: WaitGroup.done: counter of wg would go below zero/,
  );
  assert.match(
    each(function* ({ q }): G {
      yield q.close();
      yield q.put(1);
    }),
    /ClosedError: BoundedQueue.put: q is closed/,
  );
  assert.is(
    each(function* ({ q }): G {
      yield q.close();
      return yield q.get();
    }),
    "finished",
  );
});

test.run();
