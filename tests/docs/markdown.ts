// Reading the links out of a Markdown file, for the docs tests: inline links and
// images `[text](target)`, reference definitions `[name]: target`, and the href/src
// of raw HTML. Code (fenced blocks and `spans`) is not prose: its brackets are skipped.

export interface Link {
  /** 1-based line of the link in the file. */
  line: number;
  /** The target as written, without its title. */
  target: string;
}

/** Every link of `markdown`, outside code. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  let fence: string | null = null;
  markdown.split("\n").forEach((raw, i) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length) fence = null;
      return;
    }
    if (opening) {
      fence = opening[1];
      return;
    }
    const line = raw.replace(/(`+)[^`]*?\1/g, (m) => " ".repeat(m.length));
    const add = (target: string) => links.push({ line: i + 1, target: cleanTarget(target) });
    for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) add(m[1]);
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(line);
    if (definition) add(definition[1]);
    for (const m of line.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/g)) add(m[1]);
  });
  return links;
}

function cleanTarget(target: string): string {
  return target.startsWith("<") && target.endsWith(">") ? target.slice(1, -1) : target;
}

/** A link that leaves the repository (a URL scheme such as https: or mailto:). */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** The file part and the fragment of a relative target: "../a.md#b" → ["../a.md", "b"]. */
export function splitTarget(target: string): { path: string; fragment: string | null } {
  const hash = target.indexOf("#");
  const beforeHash = hash < 0 ? target : target.slice(0, hash);
  const path = decodeURIComponent(beforeHash.replace(/\?.*$/, ""));
  return { path, fragment: hash < 0 ? null : decodeURIComponent(target.slice(hash + 1)) };
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const raw of markdown.split("\n")) {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (opening && opening[1][0] === fence[0]) fence = null;
      continue;
    }
    if (opening) {
      fence = opening[1];
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (!heading) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/`/g, "");
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}
