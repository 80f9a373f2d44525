// Chapters 5–6: recursive file search. listDir is the unit of work of one
// per-directory worker (list one directory: its subdirectories to hand to new
// workers, its matches to append under a mutex); searchSequential is the reference.
import { type Dirent, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CourseInputError } from "./errors";

export interface DirListing {
  /** Real subdirectories (symbolic links are never followed). */
  dirs: string[];
  /** Entries of any type whose name is exactly `name`, as full paths. */
  matches: string[];
}

/**
 * Lists one directory. An unreadable directory (permission denied, removed meanwhile)
 * gives an empty listing instead of an error, as `find` carries on past it.
 */
export function listDir(dir: string, name: string): DirListing {
  const out: DirListing = { dirs: [], matches: [] };
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.name === name) out.matches.push(full);
    if (e.isDirectory()) out.dirs.push(full); // a Dirent of a symlink is not a directory
  }
  return out;
}

function checkSearchArgs(root: string, name: string): void {
  if (typeof name !== "string" || name === "" || name.includes("/")) {
    throw new CourseInputError(`name must be a file name without "/", got ${JSON.stringify(name)}; e.g. "package.json"`);
  }
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new CourseInputError(`root ${JSON.stringify(root)} does not exist or is not a directory; pass a folder to search`);
}

/**
 * Every path under `root` whose last component is exactly `name` (like
 * `find root -name name`, without the root itself), sorted. Depth-first, one
 * directory at a time; symbolic links are matched by name but not followed.
 */
export function searchSequential(root: string, name: string): string[] {
  checkSearchArgs(root, name);
  const matches: string[] = [];
  const stack = [root];
  while (stack.length) {
    const { dirs, matches: m } = listDir(stack.pop()!, name);
    matches.push(...m);
    stack.push(...dirs);
  }
  return matches.sort();
}

/** Same as searchSequential, and the number of directories it listed (the thread count of the one-thread-per-directory version). */
export function searchStats(root: string, name: string): { matches: string[]; dirs: number } {
  checkSearchArgs(root, name);
  const matches: string[] = [];
  const stack = [root];
  let dirs = 0;
  while (stack.length) {
    const l = listDir(stack.pop()!, name);
    dirs++;
    matches.push(...l.matches);
    stack.push(...l.dirs);
  }
  return { matches: matches.sort(), dirs };
}
