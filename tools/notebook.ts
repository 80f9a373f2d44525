// Reading and writing .ipynb files (nbformat 4). Reading checks the structure the
// runner relies on and names what is wrong; writing emits nbformat 4.5 (cell ids),
// which nbformat's validator and nbconvert accept.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { ToolError } from "./errors";

export type MultilineString = string | string[];

export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  [key: string]: unknown;
}

export interface Cell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: MultilineString;
  metadata: Record<string, unknown> & { tags?: string[] };
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown> & { interleave?: { cell_timeout?: number } };
  cells: Cell[];
}

/** A cell's source as one string. */
export function sourceText(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** The cell's first non-empty line, shortened, for reports. */
export function firstLine(cell: Cell): string {
  const line =
    sourceText(cell)
      .split("\n")
      .find((l) => l.trim()) ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its "\n"). */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const malformed = (path: string, what: string) =>
  new ToolError(`${path} is not a valid notebook: ${what}. Open it in Jupyter and save it again, or restore it from git (git checkout -- ${path}).`);

/**
 * Reads and checks a notebook. Raises a ToolError when the file is missing, is a
 * folder, is not JSON, or is not an nbformat 4 notebook (saying which part is wrong).
 */
export function readNotebook(path: string): Notebook {
  if (!existsSync(path))
    throw new ToolError(`notebook ${path} does not exist. Check the path (notebooks live in notebooks/, e.g. notebooks/01-introduction.ipynb).`);
  if (statSync(path).isDirectory()) throw new ToolError(`${path} is a folder, not a notebook. Name .ipynb files, e.g. notebooks/01-introduction.ipynb.`);
  let nb: unknown;
  try {
    nb = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw malformed(path, `it is not JSON (${(e as Error).message})`);
  }
  if (typeof nb !== "object" || nb === null || Array.isArray(nb)) throw malformed(path, "the top level is not a JSON object");
  const o = nb as Record<string, unknown>;
  if (o.nbformat !== 4) throw malformed(path, `"nbformat" is ${JSON.stringify(o.nbformat)}, expected 4`);
  if (!Array.isArray(o.cells)) throw malformed(path, `"cells" is missing or not a list`);
  o.cells.forEach((c: unknown, i: number) => {
    if (typeof c !== "object" || c === null) throw malformed(path, `cell ${i + 1} is not an object`);
    const cell = c as Record<string, unknown>;
    if (!["code", "markdown", "raw"].includes(cell.cell_type as string)) throw malformed(path, `cell ${i + 1} has cell_type ${JSON.stringify(cell.cell_type)}`);
    const src = cell.source;
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((s) => typeof s === "string")))
      throw malformed(path, `cell ${i + 1} has no text "source"`);
    if (cell.metadata === undefined) cell.metadata = {};
  });
  if (typeof o.metadata !== "object" || o.metadata === null) o.metadata = {};
  if (typeof o.nbformat_minor !== "number") o.nbformat_minor = 0;
  return nb as Notebook;
}

/**
 * A copy upgraded to nbformat 4.5: every cell gets a unique id, code cells get
 * `outputs` and `execution_count`, sources become lists of lines.
 */
export function toV45(nb: Notebook): Notebook {
  const seen = new Set<string>();
  const cells = nb.cells.map((c) => {
    let id = typeof c.id === "string" && /^[a-zA-Z0-9-_]{1,64}$/.test(c.id) && !seen.has(c.id) ? c.id : "";
    while (!id || seen.has(id)) id = randomBytes(4).toString("hex");
    seen.add(id);
    const cell: Cell = { ...c, id, source: toLines(sourceText(c)) };
    if (cell.cell_type === "code") {
      cell.outputs ??= [];
      cell.execution_count ??= null;
    } else {
      delete cell.outputs;
      delete cell.execution_count;
    }
    return cell;
  });
  return { ...nb, nbformat: 4, nbformat_minor: Math.max(5, nb.nbformat_minor), cells };
}

/** Writes a notebook as Jupyter does (one-space indent, trailing newline). */
export function writeNotebook(path: string, nb: Notebook): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(nb, null, 1)}\n`);
}

/** Checks that `path` lies inside `root`; raises a ToolError otherwise. Returns the POSIX path relative to root. */
export function insideRoot(path: string, root: string): string {
  const rel = relative(root, resolve(path));
  if (rel.startsWith("..") || resolve(root, rel) !== resolve(path) || rel === "") {
    throw new ToolError(
      `notebook ${path} lies outside the repository (${root}); the Jupyter server serves only the repository. Copy it into notebooks/ and run it from there.`,
    );
  }
  return rel.split("\\").join("/");
}

/** Per-cell timeout in seconds for a notebook: metadata `interleave.cell_timeout`, else `fallback`. */
export function cellTimeout(nb: Notebook, path: string, fallback: number): number {
  const t = nb.metadata.interleave?.cell_timeout;
  if (t === undefined) return fallback;
  if (typeof t !== "number" || !(t > 0)) {
    throw new ToolError(
      `${path}: metadata interleave.cell_timeout must be a positive number of seconds, got ${JSON.stringify(t)}. Fix it in the notebook's metadata (Edit → Notebook Metadata).`,
    );
  }
  return t;
}
