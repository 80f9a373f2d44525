// The course's chapters in syllabus order (see SYLLABUS.md); the notes index
// lists the notebooks present in this order.
export interface Chapter {
  number: number;
  file: string;
  title: string;
}

const titles = [
  ["01-introduction", "Introduction: speedup, efficiency and Amdahl's law"],
  ["02-threads-and-processes", "Threads and processes"],
  ["03-memory-sharing-threads", "Memory sharing between threads"],
  ["04-mutexes", "Mutexes"],
  ["05-joins", "Joins"],
  ["06-condition-variables", "Condition variables and wait groups"],
  ["07-barriers", "Barriers"],
  ["08-memory-sharing-processes", "Memory sharing between processes"],
  ["09-message-passing", "Message passing: pipes and queues"],
  ["10-pipelining", "Pipelining"],
  ["11-pools", "Process pools"],
  ["12-deadlocks", "Deadlocks"],
] as const;

export const chapters: Chapter[] = titles.map(([stem, title], i) => ({ number: i + 1, file: `${stem}.ipynb`, title }));

/** The chapter a notebook file name belongs to, if any. */
export function chapterOf(fileName: string): Chapter | undefined {
  return chapters.find((c) => c.file === fileName);
}
