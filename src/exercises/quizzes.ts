// The chapters' quizzes: mostly "predict the outcome" of the chapter's own runs. Each
// question has lettered options, the right letter, and why — which the notebook shows
// in a block that opens on request, and quiz() says after an answer.
import { ExerciseInputError } from "./types";

export interface Quiz {
  /** "04-q2": the chapter's two digits, "q", a number. */
  id: string;
  chapter: number;
  question: string;
  options: Record<string, string>;
  answer: string;
  why: string;
}

const q = (id: string, question: string, options: Record<string, string>, answer: string, why: string): Quiz => ({
  id,
  chapter: Number(id.slice(0, 2)),
  question,
  options,
  answer,
  why,
});

export const quizzes: readonly Quiz[] = [
  q(
    "01-q1",
    "A program takes 10 s alone and 6 s on 2 workers. What are its speedup and efficiency?",
    { a: "1.67× and 0.83", b: "0.6× and 0.3", c: "2× and 1.0" },
    "a",
    "Speedup is time alone ÷ time with n workers (10 ÷ 6 ≈ 1.67); efficiency divides that by the workers (≈ 0.83).",
  ),
  q(
    "01-q2",
    "A quarter of a program cannot be split. What is the most any number of workers can give?",
    { a: "4×", b: "No limit with enough cores", c: "1.33×" },
    "a",
    "Amdahl: with infinitely many workers only the serial quarter is left, so the speedup tends to 1 ÷ 0.25 = 4.",
  ),
  q(
    "01-q3",
    "Worker i of 2 counts primes among i + 2, i + 4, i + 6, …. What will the timeline show?",
    { a: "Both lanes busy for the same time", b: "One lane finishes almost at once", c: "The program gives a wrong count" },
    "b",
    "One worker gets only even numbers, each rejected at the first division: the work is split evenly by count but not by cost. Dealing blocks from a shared counter fixes it.",
  ),
  q(
    "02-q1",
    "Five async tasks each await a 1-second timer on the event loop. About how long do all five take?",
    { a: "5 s", b: "1 s", c: "It depends on the cores" },
    "b",
    "Waiting needs no thread: the timers run out together, one event loop serves them all.",
  ),
  q(
    "02-q2",
    "Five async tasks each count to 20 million on the event loop. Compared with running them one after another, they take…",
    { a: "about the same", b: "about a fifth", c: "about half on 2 cores" },
    "a",
    "Async code runs on one thread; a loop never yields, so the tasks still run one after another.",
  ),
  q(
    "02-q3",
    "The same five counts on 5 worker threads on a 2-core machine. The speedup over one thread is closest to…",
    { a: "5×", b: "2×", c: "1×" },
    "b",
    "Threads run in parallel only up to the number of cores; the other three wait their turn.",
  ),
  q(
    "03-q1",
    "Two threads each add 1 a million times to the same SharedArrayBuffer slot with `a[0]++`. The end value is…",
    { a: "exactly 2,000,000", b: "at most 2,000,000, often less", c: "more than 2,000,000" },
    "b",
    "`a[0]++` is a read, an add and a write: when both read the same value, one increment is lost. It never gains.",
  ),
  q(
    "03-q2",
    "Twenty threads each count one short document into one shared table with Atomics.add, on 2 cores. Versus one thread doing all 20…",
    { a: "about 10× faster", b: "about 2× faster", c: "possibly slower" },
    "c",
    "Starting a worker costs milliseconds, and 20 threads hammering the same 26 counters fight over one cache line; with short documents that can cost more than the counting.",
  ),
  q(
    "03-q3",
    "A worker spins on `while (flag[0] === 0) {}` with a plain read of shared memory, and another thread sets the flag. Is it guaranteed to stop?",
    { a: "Yes, memory is shared", b: "No: the JIT may read the flag once and keep the value", c: "Only on x86" },
    "b",
    "Plain reads may be hoisted out of the loop. Atomics.load is the read the other thread's write is guaranteed to reach.",
  ),
  q(
    "04-q1",
    "Stingy adds 10 and spendy takes 10, a million times each, from 100, with no lock. The end balance is…",
    { a: "always 100", b: "anything, often far from 100", c: "always below 100" },
    "b",
    "Lost updates go both ways: a lost deposit lowers the balance, a lost withdrawal raises it.",
  ),
  q(
    "04-q2",
    "The same with a Mutex around each update. The end balance is…",
    { a: "always 100", b: "100 most of the time", c: "never 100" },
    "a",
    "The lock makes each read-add-write one step for the other thread: no update is lost, on any machine.",
  ),
  q(
    "04-q3",
    "With the lock, the two threads on 2 cores take, compared with one thread doing both loops…",
    { a: "half the time", b: "about the same", c: "longer" },
    "c",
    "Every update needs the lock: the threads take turns, and each hand-over of the lock between cores costs more than the addition.",
  ),
  q(
    "05-q1",
    "A worker throws. What does `await handle.join()` do?",
    { a: "Resolves with undefined", b: "Rejects with the worker's error", c: "Hangs" },
    "b",
    "A join hands back what the worker ended with: its return value, or its error.",
  ),
  q(
    "05-q2",
    "The search starts one thread per directory of a tree with 300 directories, on 2 cores. Versus searching with one thread…",
    { a: "about 2× faster", b: "about 300× faster", c: "likely slower" },
    "c",
    "Each directory is a few file-name reads; a thread costs milliseconds to start. Fewer workers with bigger shares pay.",
  ),
  q(
    "05-q3",
    "A cell starts a worker and never joins it. When the cell ends, the worker…",
    { a: "is stopped at once", b: "runs on until it returns", c: "pauses" },
    "b",
    "Nothing stops a worker because a cell ended: join it, or stop it, so that nothing outlives what started it.",
  ),
  q(
    "06-q1",
    "Spendy waits with `if (balance < 20) cond.wait()` instead of `while`. Stingy wakes two waiting spenders with notifyAll when the balance reaches 20. What can happen?",
    { a: "Nothing bad", b: "The balance goes negative", c: "A deadlock" },
    "b",
    "Both wake; the first takes the 20; the second does not look again and takes 20 that are not there.",
  ),
  q(
    "06-q2",
    "Stingy calls notify() while spendy is not waiting yet. Later spendy calls wait() and nobody notifies again. Spendy…",
    { a: "wakes at once: the notify was remembered", b: "sleeps forever", c: "gets an error" },
    "b",
    "A notify with no waiter is not remembered. That is why waiters check a condition on shared state, under the lock, before they wait.",
  ),
  q(
    "06-q3",
    "A wait group's counter is 3 and one worker calls done(). The waiting thread…",
    { a: "wakes up", b: "keeps sleeping", c: "gets an error" },
    "b",
    "It waits for the counter to reach 0: two more done() calls.",
  ),
  q(
    "07-q1",
    "Three workers meet at a barrier; one of them takes 1 s longer each round. Over 10 rounds the others…",
    { a: "run ahead", b: "wait about 10 s in all", c: "deadlock" },
    "b",
    "A barrier lets nobody through until the last arrives: the fast ones wait for the slow one every round.",
  ),
  q(
    "07-q2",
    "In the barrier matrix multiply, the main thread draws the next matrices between rounds while the workers wait. Adding workers…",
    { a: "shrinks that part too", b: "leaves that part as it is: the speedup flattens", c: "makes it slower" },
    "b",
    "That drawing is serial: Amdahl's law in action. Drawing the next round while the workers compute removes it.",
  ),
  q(
    "07-q3",
    "A worker throws while the others wait at the barrier. Python's Barrier (and ours) then…",
    { a: "leaves them waiting", b: "is broken: the waiters get BrokenBarrierError", c: "lets them through" },
    "b",
    "abort() breaks the barrier so nobody waits for a party that will never come.",
  ),
  q(
    "08-q1",
    "A child process receives a plain JavaScript array in its data and changes it. The parent sees…",
    { a: "the change", b: "nothing: the child had a copy", c: "an error" },
    "b",
    'Plain data is copied into a process. Only memory created with { shared: "process" } is the same in both.',
  ),
  q(
    "08-q2",
    "Two processes add to one int32 in process-shared memory with `values[0]++`. Compared with two threads…",
    { a: "no updates are lost: processes are isolated", b: "updates are lost the same way", c: "the second process cannot write" },
    "b",
    "Shared memory is shared memory: the same read-add-write race, and the same cure, Atomics.",
  ),
  q(
    "08-q3",
    "Can Atomics.wait in one process be woken by Atomics.notify in another, on the same memory?",
    { a: "Yes", b: "No: V8 keeps its wait lists per process", c: "Only on Linux" },
    "b",
    "That is why the library blocks processes on a futex of its own (the native addon).",
  ),
  q(
    "09-q1",
    "A producer puts 100 items into a bounded queue of size 10 as fast as it can; the consumer is slow. The producer…",
    { a: "finishes at once", b: "blocks whenever the queue is full", c: "drops items" },
    "b",
    "A bounded queue pushes back: put() waits for room, so a fast producer runs at the consumer's pace.",
  ),
  q(
    "09-q2",
    "Two consumers stop at the first null they get. The producer sends one null at the end. What happens?",
    { a: "Both stop", b: "One consumer waits forever", c: "Items are lost" },
    "b",
    "The null is one message: one consumer takes it. Send one per consumer.",
  ),
  q(
    "09-q3",
    "Which is cheaper per message between two threads: postMessage (structured clone) or the library's shared-memory Channel?",
    { a: "postMessage always", b: "the shared-memory channel for small messages", c: "they cost the same" },
    "b",
    "A shared-memory ring buffer skips the clone and the event loop; postMessage pays both (the chapter measures it).",
  ),
  q(
    "10-q1",
    "A 3-stage pipeline on 2 cores, each stage one process. At best it runs…",
    { a: "3× faster", b: "no faster than its slowest stage allows", c: "always slower" },
    "b",
    "Items flow at the pace of the slowest stage, and 3 busy stages share 2 cores.",
  ),
  q(
    "10-q2",
    "Stages send one message per report instead of a batch of a few hundred. The pipeline…",
    { a: "gets faster", b: "gets slower: each message costs copying and a wake-up", c: "does not change" },
    "b",
    "Per-message costs dominate when the work per item is tiny; batching spreads them.",
  ),
  q(
    "10-q3",
    "The middle stage forgets to close its output. The last stage…",
    { a: "ends normally", b: "waits forever for more", c: "crashes" },
    "b",
    "It stops only when its input is closed and drained.",
  ),
  q(
    "11-q1",
    "A pool of 2 on 2 cores maps 10,000 tiny tasks, one polygon each. Versus one thread…",
    { a: "about 2× faster", b: "possibly slower", c: "about 10,000× faster" },
    "b",
    "Each task is a message each way; with tiny tasks the messages cost more than the areas. Batch them.",
  ),
  q(
    "11-q2",
    "A pool is created in a cell and never closed. Its threads…",
    { a: "end with the cell", b: "stay alive, waiting for work", c: "are reused by the next pool" },
    "b",
    "A pool keeps its workers until close() or terminate().",
  ),
  q(
    "11-q3",
    "One task of a map throws. The map…",
    { a: "skips it and returns the rest", b: "rejects with the worker's error once the running tasks end", c: "retries it" },
    "b",
    "The first task error rejects the map; no new tasks start.",
  ),
  q(
    "12-q1",
    "Two robots: one takes red then blue, the other blue then red. Run long enough, they…",
    { a: "always finish", b: "can deadlock", c: "always deadlock at once" },
    "b",
    "If each gets its first lock before the other's second, each waits for the other forever. It depends on timing: it may take many rounds.",
  ),
  q(
    "12-q2",
    "Five philosophers take the lower-numbered fork first. Can they deadlock?",
    { a: "Yes", b: "No", c: "Only with 5" },
    "b",
    "A global order on locks leaves no cycle in the wait-for graph: someone can always finish.",
  ),
  q(
    "12-q3",
    "A waiter seats at most 4 of the 5 philosophers at once. Can they deadlock?",
    { a: "Yes", b: "No", c: "Only if one is slow" },
    "b",
    "With at most 4 reaching for 5 forks, one of them always gets both.",
  ),
];

export function quizById(id: unknown): Quiz {
  const found = quizzes.find((x) => x.id === id);
  if (found) return found;
  const near = typeof id === "string" ? quizzes.filter((x) => x.id.slice(0, 2) === id.slice(0, 2)).map((x) => x.id) : [];
  throw new ExerciseInputError(
    `there is no quiz ${JSON.stringify(id)}. ${near.length ? `Chapter ${String(id).slice(0, 2)} has ${near.join(", ")}.` : `Quizzes are named like "04-q2".`}`,
  );
}

export interface QuizAnswer {
  right: boolean;
  message: string;
}

/** Judges an answer: a letter of the options (any case). A missing or unknown letter is not wrong: it says what to answer. */
export function answerQuiz(id: string, answer: unknown): QuizAnswer | null {
  const quiz = quizById(id);
  const letter = typeof answer === "string" ? answer.trim().toLowerCase() : "";
  if (!(letter in quiz.options)) return null;
  const right = letter === quiz.answer;
  return { right, message: right ? `Right: ${quiz.why}` : `Not quite: you said ${letter} (${quiz.options[letter]}). ${quiz.why}` };
}
