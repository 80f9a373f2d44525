// A solution written as the edits that turn the starter into it: the lines both share
// are written once, and what the learner has to change stands out. Each edit finds its
// place exactly once, or throws when the course is loaded, so an edit cannot silently
// stop applying when a starter changes.

/** Turns one source into the next; `where` names the exercise in an error. */
export type Edit = (source: string, where: string) => string;

function once(source: string, find: string, where: string): number {
  const at = source.indexOf(find);
  if (at < 0 || source.indexOf(find, at + 1) >= 0)
    throw new Error(`${where}: an edit looks for ${JSON.stringify(find)}, which occurs ${at < 0 ? "nowhere" : "more than once"} in the source`);
  return at;
}

/** `find` (exact text, once in the source) becomes `put`. */
export const replace =
  (find: string, put: string): Edit =>
  (source, where) => {
    const at = once(source, find, where);
    return source.slice(0, at) + put + source.slice(at + find.length);
  };

/** New lines after the line that holds `anchor` (once in the source), indented as it is. */
export const insertAfter = (anchor: string, ...lines: string[]): Edit => insertBeside(anchor, lines, 1);

/** New lines before the line that holds `anchor` (once in the source), indented as it is. */
export const insertBefore = (anchor: string, ...lines: string[]): Edit => insertBeside(anchor, lines, 0);

function insertBeside(anchor: string, lines: string[], offset: 0 | 1): Edit {
  return (source, where) => {
    const at = once(source, anchor, where);
    const all = source.split("\n");
    const row = source.slice(0, at).split("\n").length - 1;
    const indent = /^\s*/.exec(all[row])![0];
    all.splice(row + offset, 0, ...lines.map((l) => indent + l));
    return all.join("\n");
  };
}

/** The source with the function it begins by defining named `name` instead (for a starter that is another exercise's code). */
export function renamed(source: string, name: string): string {
  const header = /^((?:async\s+)?function\s+)[A-Za-z_$][\w$]*/;
  if (!header.test(source)) throw new Error(`renamed(…, ${JSON.stringify(name)}): the source does not begin by defining a function`);
  return source.replace(header, `$1${name}`);
}

/** Applies the edits in order. */
export function edited(source: string, edits: readonly Edit[], where: string): string {
  return edits.reduce((text, edit) => edit(text, where), source);
}
