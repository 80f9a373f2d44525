// The course index (site/index.html): one line per notebook present, syllabus
// order first, with link, run time and status. Self-contained: inline CSS, no scripts.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { htmlName } from "./export-html";
import { repoRoot } from "./paths";
import type { TimingsFile } from "./runner";
import { chapterOf } from "./syllabus";

export interface IndexEntry {
  /** Notebook path relative to the repository. */
  notebook: string;
  number?: number;
  title: string;
  /** Page file name inside the site folder, when it exists. */
  href?: string;
  seconds?: number;
  status: string;
  ok: boolean;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A notebook's title: its first markdown heading, else its file name. Never throws. */
function titleOf(path: string): string {
  try {
    const nb = JSON.parse(readFileSync(path, "utf8")) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    for (const c of nb.cells ?? []) {
      if (c.cell_type !== "markdown") continue;
      const text = Array.isArray(c.source) ? c.source.join("") : (c.source ?? "");
      const m = /^#+\s+(.+)$/m.exec(text);
      if (m) return m[1].trim();
    }
  } catch {
    /* malformed: fall back to the name */
  }
  return basename(path, ".ipynb");
}

/** Entries for every .ipynb in `folders`, ordered by syllabus, then by name. */
export function indexEntries(folders: string[], timings: TimingsFile, siteDir: string): IndexEntry[] {
  const files = [
    ...new Set(
      folders.flatMap((d) =>
        existsSync(d)
          ? readdirSync(d)
              .filter((n) => n.endsWith(".ipynb"))
              .map((n) => join(d, n))
          : [],
      ),
    ),
  ];
  const entries = files.map((abs): IndexEntry => {
    const rel = relative(repoRoot, abs).split("\\").join("/");
    const chapter = chapterOf(basename(abs));
    const t = timings.notebooks[rel];
    const page = htmlName(abs);
    let status = "not run yet";
    if (t?.status === "passed") status = "passed";
    else if (t?.failure)
      status = t.failure.cell ? `${t.failure.kind === "timeout" ? "timed out" : "failed"}: cell ${t.failure.cell}` : "failed: kernel did not start";
    return {
      notebook: rel,
      number: chapter?.number,
      title: chapter ? chapter.title : titleOf(abs),
      href: existsSync(join(siteDir, page)) ? page : undefined,
      seconds: t?.seconds,
      status,
      ok: t?.status === "passed",
    };
  });
  return entries.sort((a, b) => (a.number ?? 99) - (b.number ?? 99) || a.notebook.localeCompare(b.notebook));
}

export function renderIndex(entries: IndexEntry[], generated = new Date()): string {
  const rows = entries
    .map((e) => {
      const num = e.number ? String(e.number).padStart(2, "0") : "&middot;";
      const name = e.href ? `<a href="${escapeHtml(e.href)}">${escapeHtml(e.title)}</a>` : escapeHtml(e.title);
      const time = e.seconds === undefined ? "" : `${e.seconds.toFixed(1)} s`;
      const cls = e.ok ? "ok" : e.status.startsWith("not run") ? "none" : "bad";
      return `  <li><span class="num">${num}</span><span class="title">${name}<small>${escapeHtml(basename(e.notebook))}</small></span><span class="time">${time}</span><span class="status ${cls}">${escapeHtml(e.status)}</span></li>`;
    })
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>interleave: course notes</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fafafa; margin: 0; }
  main { max-width: 820px; margin: 3em auto; padding: 0 1.2em; }
  h1 { font-weight: 600; margin-bottom: 0.1em; }
  p.lead { color: #555; margin-top: 0; }
  ol { list-style: none; padding: 0; margin: 2em 0; border-top: 1px solid #ddd; }
  li { display: grid; grid-template-columns: 2.5em 1fr 6em 11em; gap: 0.6em; align-items: baseline; padding: 0.6em 0.2em; border-bottom: 1px solid #ddd; }
  .num { color: #888; font-variant-numeric: tabular-nums; }
  .title small { display: block; color: #888; font-size: 0.8em; }
  a { color: #1a5fb4; text-decoration: none; } a:hover { text-decoration: underline; }
  .time { text-align: right; color: #555; font-variant-numeric: tabular-nums; }
  .status { font-size: 0.9em; } .ok { color: #26734d; } .bad { color: #b3261e; font-weight: 600; } .none { color: #888; }
  footer { color: #888; font-size: 0.85em; }
</style>
</head>
<body>
<main>
<h1>interleave</h1>
<p class="lead">Parallel computing you can see: the course notes, executed on this machine.</p>
<ol>
${rows || "  <li><span></span><span>No notebooks yet.</span></li>"}
</ol>
<footer>Built ${escapeHtml(generated.toISOString().replace("T", " ").slice(0, 16))} UTC with <code>npm run notes</code>. Run times are from this machine.</footer>
</main>
</body>
</html>
`;
}

/** Writes `<siteDir>/index.html`; returns its path. */
export function writeIndex(siteDir: string, entries: IndexEntry[]): string {
  mkdirSync(siteDir, { recursive: true });
  const path = join(siteDir, "index.html");
  writeFileSync(path, renderIndex(entries));
  return path;
}
