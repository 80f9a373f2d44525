// The course's chapters as the tests expect them: file, lecture titles exactly as in
// SYLLABUS.md (one `##` section each, in order), and how many charts a run must show.
export interface ChapterSpec {
  file: string;
  number: number;
  lectures: string[];
  minCharts: number;
}

export const CHAPTERS: ChapterSpec[] = [
  {
    file: "01-introduction.ipynb",
    number: 1,
    minCharts: 2,
    lectures: ["Understanding Parallel Computing", "More on Parallel Computing", "Links and Resources for this course"],
  },
  {
    file: "02-threads-and-processes.ipynb",
    number: 2,
    minCharts: 1,
    lectures: ["Processes and Threads", "Threads in Python and the GIL", "Creating our first Thread", "Processes in Python", "Creating our first Processes"],
  },
  {
    file: "03-memory-sharing-threads.ipynb",
    number: 3,
    minCharts: 1,
    lectures: ["Memory Sharing", "Letter count Implementation", "Letter count using Memory Sharing"],
  },
  {
    file: "04-mutexes.ipynb",
    number: 4,
    minCharts: 1,
    lectures: ["Why do we need Synchronization?", "Adding Mutexes to Letter Count", "Adding Mutexes to Letter Count Implementation"],
  },
  { file: "05-joins.ipynb", number: 5, minCharts: 1, lectures: ["Understanding Joins", "File Search Example", "Concurrent File Search"] },
  {
    file: "06-condition-variables.ipynb",
    number: 6,
    minCharts: 1,
    lectures: [
      "Introduction to Condition Variables",
      "Condition Variables for Wait Groups",
      "Implementing Wait Groups with Condition Variables",
      "Using Wait Groups",
    ],
  },
  {
    file: "07-barriers.ipynb",
    number: 7,
    minCharts: 4,
    lectures: [
      "What's a Barrier?",
      "Example Barrier Application: Matrix Multiplication",
      "Matrix Multiplication Implementation",
      "Multi Threaded Matrix Multiplication with Barriers",
      "Multi Threaded implementation with Barriers",
    ],
  },
  {
    file: "08-memory-sharing-processes.ipynb",
    number: 8,
    minCharts: 3,
    lectures: ["How can Processes share Memory?", "Using Process Memory Sharing", "Process Memory Sharing in Practice"],
  },
  { file: "09-message-passing.ipynb", number: 9, minCharts: 4, lectures: ["Communication with Pipes and Queues", "Examples of using Pipes and Queues"] },
  { file: "10-pipelining.ipynb", number: 10, minCharts: 3, lectures: ["Single Process implementation", "Multi Process implementation"] },
  {
    file: "11-pools.ipynb",
    number: 11,
    minCharts: 5,
    lectures: ["Process Pool Example Part 1", "Process Pool Example Part 2", "Shoelace algorithm explained (optional)"],
  },
  {
    file: "12-deadlocks.ipynb",
    number: 12,
    minCharts: 7,
    lectures: [
      "Deadlocking Robots, Philosophers and Trains",
      "Simple Deadlock Example",
      "Train Deadlock Example Part 1",
      "Train Deadlock Example Part 2",
      "Solving Deadlocks using Resource Hierarchy",
      "Implementing Resource Hierarchy Solution",
      "Solving Deadlocks using an Arbitrator",
      "Implementing Arbitrator Solution",
    ],
  },
];

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
export interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  metadata?: { tags?: string[] };
}
export interface Notebook {
  nbformat: number;
  metadata: { kernelspec?: { name?: string } };
  cells: Cell[];
}

export const joined = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join("") : (s ?? ""));
