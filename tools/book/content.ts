// The book's own words: each chapter's one-line summary, its Python → Node table
// (names checked against kernel-helpers' exports) and its pitfalls, and the
// glossary. Data only; tools/book/*.ts turn it into HTML.

export interface Mapping {
  /** What the Python course writes. */
  python: string;
  /** What this course writes (a kernel-helpers export, or Node's own API where said). */
  node: string;
  note?: string;
}

export interface ChapterExtras {
  summary: string;
  pythonToNode: Mapping[];
  pitfalls: string[];
}

const spawnRows: Mapping[] = [
  { python: "threading.Thread(target=f).start()", node: "threads.spawn(fn, data)", note: "returns a handle; the worker starts at once" },
  { python: "t.join()", node: "await handle.join()", note: "resolves with the worker's return value" },
];

/** Keyed by notebook stem (tools/syllabus.ts). */
export const chapterExtras: Record<string, ChapterExtras> = {
  "01-introduction": {
    summary: "What speedup and efficiency mean, and how Amdahl's law bounds them, measured on this machine.",
    pythonToNode: [
      { python: "os.cpu_count()", node: "os.availableParallelism()", note: "node:os" },
      { python: "time.perf_counter()", node: "performance.now()", note: "milliseconds, not seconds" },
      { python: "Pool(n).map(f, parts)", node: "threads.run(n, fn, data)", note: "n workers on one function, each told its id" },
    ],
    pitfalls: [
      "Speedup is measured against the best serial program, not against one worker of the parallel one.",
      "A core that another program is using is not yours: read the machine note before trusting a timing.",
      "The serial part of a program caps the speedup however many workers you add.",
    ],
  },
  "02-threads-and-processes": {
    summary: "The event loop, worker threads and child processes: which of them overlap waiting and which run work side by side.",
    pythonToNode: [
      ...spawnRows,
      { python: "multiprocessing.Process(target=f)", node: "processes.spawn(fn, data)" },
      { python: "several threads at once", node: "threads.run(n, fn, data)" },
      { python: "several processes at once", node: "processes.run(n, fn, data)" },
      { python: "time.sleep(1) (blocks the thread)", node: "await new Promise(r => setTimeout(r, 1000))", note: "waits without blocking the event loop" },
    ],
    pitfalls: [
      "Node has no GIL, but one JavaScript thread: CPU work in async code blocks every other callback.",
      "A worker function travels as source text: it cannot use variables of the cell; pass them in data.",
      "Starting a process costs far more than starting a thread; keep many short tasks off processes.",
    ],
  },
  "03-memory-sharing-threads": {
    summary: "Threads that write into one shared table: what sharing memory gives, and what it costs to start a worker.",
    pythonToNode: [
      { python: "a list shared by threads", node: 'SharedArray("int32", n)', note: "lives in a SharedArrayBuffer every worker sees" },
      { python: "a shared counter", node: 'SharedValue("int32")' },
      ...spawnRows,
    ],
    pitfalls: [
      "Only SharedArrayBuffer memory is shared; ordinary objects passed in data are copied into each worker.",
      "A read followed by a write is two steps: another thread can slip in between them.",
      "Without synchronization nothing promises when (or whether) another thread sees your write.",
    ],
  },
  "04-mutexes": {
    summary: "Race conditions on a shared balance, and the mutex that makes each update whole again.",
    pythonToNode: [
      { python: "threading.Lock()", node: "new Mutex()" },
      { python: "lock.acquire() / lock.release()", node: "m.lock() / m.unlock()" },
      { python: "with lock: …", node: "m.lock(); try { … } finally { m.unlock(); }" },
      { python: "lock.acquire(blocking=False)", node: "m.tryLock()" },
    ],
    pitfalls: [
      "Every access to the shared data must take the same lock, reads included.",
      "Unlock in finally: an exception inside the critical section otherwise leaves the lock held for ever.",
      "A lock held around slow work turns the threads back into a queue; keep the critical section short.",
    ],
  },
  "05-joins": {
    summary: "Waiting for workers with join, and a file search that starts one thread per directory.",
    pythonToNode: [
      ...spawnRows,
      { python: "results.append(x) under a lock", node: "m.lock(); … m.unlock()", note: "or return the value and collect it from join()" },
    ],
    pitfalls: [
      "A worker that is never joined may still be running when you read its results.",
      "join() rejects with the worker's error: await it inside try when a failure is possible.",
      "One thread per item is easy to write but costs a start-up each; count them before you spawn.",
    ],
  },
  "06-condition-variables": {
    summary: "Condition variables: sleep until the state you need holds, and a wait group built from one.",
    pythonToNode: [
      { python: "threading.Condition(lock)", node: "new Condition(mutex)" },
      { python: "cv.wait()", node: "cv.wait()", note: "or await cv.waitAsync() on the notebook's main thread" },
      { python: "cv.notify() / cv.notify_all()", node: "cv.notify() / cv.notifyAll()" },
      { python: "a wait group (Go's sync.WaitGroup)", node: "new WaitGroup()", note: "add, done, wait" },
    ],
    pitfalls: [
      "Wait in a loop that re-checks the condition: a wake-up is a hint, not a promise.",
      "Change the state and notify while holding the lock, or a waiter can miss the wake-up.",
      "notify() wakes one waiter; when several may be able to go on, use notifyAll().",
    ],
  },
  "07-barriers": {
    summary: "Barriers that make workers meet each round, applied to a matrix multiplication split by rows.",
    pythonToNode: [
      { python: "threading.Barrier(n)", node: "new Barrier(n)" },
      { python: "barrier.wait()", node: "barrier.wait()", note: "returns the arrival index" },
      { python: "barrier.abort() / barrier.reset()", node: "barrier.abort() / barrier.reset()" },
      { python: "BrokenBarrierError", node: "BrokenBarrierError" },
    ],
    pitfalls: [
      "Every party must reach the barrier each round, or all the others wait for ever.",
      "A round is as slow as its slowest worker: uneven pieces waste the fast ones' time.",
      "After abort() every waiter raises BrokenBarrierError until reset().",
    ],
  },
  "08-memory-sharing-processes": {
    summary: "Processes sharing memory through shared segments, and the matrix multiplication on processes.",
    pythonToNode: [
      { python: "multiprocessing.Array('i', n)", node: 'new SharedArray("int32", n)', note: "passed to processes in data" },
      { python: "multiprocessing.Value('i')", node: 'new SharedValue("int32")' },
      { python: "multiprocessing.Process(target=f)", node: "processes.spawn(fn, data)" },
    ],
    pitfalls: [
      "Only shared objects are shared between processes; everything else in data is a copy.",
      "Shared memory between processes still needs locks or barriers to order the writes.",
      "A segment is memory the system keeps until it is closed: let the library close it.",
    ],
  },
  "09-message-passing": {
    summary: "Pipes and bounded queues: workers that hand each other messages instead of sharing memory.",
    pythonToNode: [
      { python: "multiprocessing.Pipe()", node: "pipe()", note: "a connected pair of ends" },
      { python: "conn.send(x) / conn.recv()", node: "end.send(x) / end.recv()" },
      { python: "queue.Queue(maxsize=10)", node: "new BoundedQueue(10)" },
      { python: "q.put(x) / q.get()", node: "q.put(x) / q.get()" },
      { python: "multiprocessing.Queue()", node: "new BoundedQueue(n) or new Channel()" },
    ],
    pitfalls: [
      "A full bounded queue blocks the producer: that is the back-pressure, not a bug.",
      "A message is copied on the way: sending big data costs time in both workers.",
      "Tell the consumer when the stream ends (close the queue or send a last marker), or it waits for ever.",
    ],
  },
  "10-pipelining": {
    summary: "A three-stage pipeline over weather reports: split, extract the wind, count the directions.",
    pythonToNode: [
      { python: "multiprocessing.Pipe() between stages", node: "pipe()" },
      { python: "one process per stage", node: "processes.run(3, fn, data)" },
      { python: "a wind rose plot", node: "windRose(counts)" },
    ],
    pitfalls: [
      "A pipeline runs at the pace of its slowest stage: measure the stages before adding workers.",
      "Messages that are too small spend their time in hand-over; send batches.",
      "Every stage must pass the end-of-stream on, or the stages after it never finish.",
    ],
  },
  "11-pools": {
    summary: "Pools of workers fed with tasks: the area of many polygons by the shoelace formula.",
    pythonToNode: [
      { python: "multiprocessing.Pool(8)", node: "new ProcessPool({ size: 8 })" },
      { python: "a pool of threads", node: "new ThreadPool({ size: n })" },
      { python: "pool.map(f, items)", node: "await pool.map(items, fn)", note: "items first, then the function" },
      { python: "pool.close(); pool.join()", node: "await pool.close()" },
    ],
    pitfalls: [
      "A task whose input is copied to a process can cost more than its work: send names or ranges, not data.",
      "Tasks too small are eaten by the hand-over; tasks too big leave workers idle at the end.",
      "Close the pool when done: its workers live until then.",
    ],
  },
  "12-deadlocks": {
    summary: "Deadlocks among robots, trains and philosophers, and two ways out: a lock order and an arbitrator.",
    pythonToNode: [
      { python: "threading.Lock() per resource", node: "new Mutex()" },
      { python: "a hung program", node: "DeadlockError", note: "the run's watchdog raises it when every worker is blocked" },
      { python: "an arbitrator with threading.Condition", node: "new Condition(mutex)" },
    ],
    pitfalls: [
      "Two locks taken in opposite orders by two workers can deadlock: take locks in one global order.",
      "A deadlock may not show on every run; the orders that cause it are still there.",
      "Holding one lock while waiting for another is the pattern to look for.",
    ],
  },
};

export interface GlossaryTerm {
  /** The term as the glossary shows it. */
  term: string;
  definition: string;
  /** Words that count as a use of the term in a chapter (case-insensitive, whole words); the term itself first. */
  forms: string[];
}

export const glossary: GlossaryTerm[] = [
  {
    term: "Process",
    forms: ["process", "processes"],
    definition:
      "A running program with its own memory, which no other process can read unless it is shared on purpose. Processes run side by side on different cores.",
  },
  {
    term: "Thread",
    forms: ["thread", "threads"],
    definition:
      "A line of execution inside a process. In Node each worker thread has its own JavaScript engine state; only SharedArrayBuffer memory is shared between them.",
  },
  { term: "Worker", forms: ["worker", "workers"], definition: "In this course, a thread or process started by threads or processes to run one function." },
  {
    term: "Event loop",
    forms: ["event loop"],
    definition: "Node's single JavaScript thread that runs one callback at a time: it overlaps waiting (timers, I/O) but not computing.",
  },
  {
    term: "Concurrency",
    forms: ["concurrency", "concurrent", "concurrently"],
    definition: "Several tasks in progress during the same period, whether or not they run at the same instant.",
  },
  { term: "Parallelism", forms: ["parallelism", "in parallel"], definition: "Several tasks running at the same instant on different cores." },
  {
    term: "Race condition",
    forms: ["race condition", "race conditions", "data race", "race"],
    definition:
      "A result that depends on how the steps of threads happen to interleave, such as two threads reading the same balance before either writes it back.",
  },
  {
    term: "Critical section",
    forms: ["critical section", "critical sections"],
    definition: "A piece of code that touches shared data and must not run in two threads at once.",
  },
  {
    term: "Mutex",
    forms: ["mutex", "mutexes", "lock", "locks"],
    definition:
      "A lock that one thread holds at a time: lock() waits until it is free and takes it, unlock() lets the next one in. Only the holder may unlock it.",
  },
  {
    term: "Condition variable",
    forms: ["condition variable", "condition variables"],
    definition:
      "A place to sleep until another thread says the shared state has changed. Used with a mutex: wait() releases the lock while asleep and takes it again before returning.",
  },
  {
    term: "Barrier",
    forms: ["barrier", "barriers"],
    definition: "A meeting point for a fixed number of threads: each one waits there until all have arrived, then all go on together.",
  },
  {
    term: "Semaphore",
    forms: ["semaphore", "semaphores"],
    definition:
      "A counter of permits: acquire() takes one, waiting while there are none; release() gives one back. A semaphore of one permit behaves like a lock that anyone may release.",
  },
  {
    term: "Wait group",
    forms: ["wait group", "wait groups", "waitgroup"],
    definition: "A counter of unfinished tasks: add() raises it, done() lowers it, and wait() returns when it reaches zero.",
  },
  { term: "Join", forms: ["join", "joins", "joined"], definition: "Waiting for a worker to finish, and taking its result or its error." },
  {
    term: "Deadlock",
    forms: ["deadlock", "deadlocks", "deadlocked"],
    definition: "Workers each waiting for something another of them holds, so that none can ever go on.",
  },
  {
    term: "Resource hierarchy",
    forms: ["resource hierarchy"],
    definition: "A fix for deadlock: number the resources and have every worker take them in increasing order, so no cycle of waiting can form.",
  },
  { term: "Arbitrator", forms: ["arbitrator"], definition: "A fix for deadlock: one party hands out all the resources a worker needs at once, or none." },
  {
    term: "Speedup",
    forms: ["speedup", "speed-up"],
    definition: "How many times faster a parallel program is than the serial one: serial time divided by parallel time.",
  },
  {
    term: "Efficiency",
    forms: ["efficiency"],
    definition: "Speedup divided by the number of workers: the share of the cores' time that does useful work (1 is perfect).",
  },
  {
    term: "Amdahl's law",
    forms: ["amdahl's law", "amdahl"],
    definition:
      "If a share s of a program must run serially, no number of workers makes it more than 1/s times faster; with n workers the bound is 1 / (s + (1 − s)/n).",
  },
  {
    term: "Atomic operation",
    forms: ["atomic operation", "atomic operations", "atomics", "atomic"],
    definition: "An operation that other threads see either not at all or complete, never half done, such as Atomics.add on shared memory.",
  },
  {
    term: "Memory model",
    forms: ["memory model"],
    definition:
      "The rules that say when a write by one thread becomes visible to another, and in which order; synchronization (locks, atomics) is what gives those guarantees.",
  },
  {
    term: "Shared memory",
    forms: ["shared memory", "sharedarraybuffer"],
    definition: "Memory that several threads or processes read and write directly; in Node, a SharedArrayBuffer or a shared segment between processes.",
  },
  { term: "Message passing", forms: ["message passing"], definition: "Workers cooperating by sending each other copies of data instead of sharing memory." },
  { term: "Pipe", forms: ["pipe", "pipes"], definition: "A two-way connection between two ends: what one end sends, the other receives, in order." },
  {
    term: "Bounded queue",
    forms: ["bounded queue", "queue", "queues"],
    definition: "A first-in, first-out buffer with a capacity: put() waits while it is full, get() waits while it is empty.",
  },
  {
    term: "Producer–consumer",
    forms: ["producer", "consumer", "producers", "consumers"],
    definition: "One side makes items and the other uses them, joined by a queue that lets each go at its own pace.",
  },
  { term: "Back-pressure", forms: ["back-pressure", "backpressure"], definition: "A full queue slowing the producer down to the pace of the consumer." },
  {
    term: "Pipeline",
    forms: ["pipeline", "pipelines", "pipelining"],
    definition: "Work split into stages, each run by its own worker, items flowing from one stage to the next so that all stages run at once.",
  },
  {
    term: "Pool",
    forms: ["pool", "pools", "process pool", "thread pool"],
    definition: "A fixed set of workers that take tasks from a queue, so a worker is started once and used for many tasks.",
  },
  { term: "CPU-bound", forms: ["cpu-bound", "cpu bound"], definition: "Work whose time goes to computing, which only more cores can speed up." },
  {
    term: "I/O-bound",
    forms: ["i/o-bound", "io-bound", "i/o bound"],
    definition: "Work whose time goes to waiting for disks, networks or timers, which overlapping can hide even on one core.",
  },
  {
    term: "GIL",
    forms: ["gil", "global interpreter lock"],
    definition: "CPython's global interpreter lock: only one thread runs Python code at a time, so threads there do not speed up computing.",
  },
  {
    term: "Serial fraction",
    forms: ["serial fraction", "serial part", "serial share"],
    definition: "The share of a program's time that cannot be split among workers; it is the s of Amdahl's law.",
  },
];

/** The fragment id of a glossary term on glossary.html. */
export function termId(t: GlossaryTerm): string {
  return (
    "term-" +
    t.term
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
  );
}
