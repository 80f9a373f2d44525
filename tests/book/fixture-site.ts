// A small site shaped like the notes build's output (nbconvert's lab template: the
// index's nav, markdown and code cells, an SVG chart in an output), for the book
// tests: no kernel, no nbconvert. Each chapter page has a word of its own
// ("<stem>word", e.g. "mutexesword") in its first section, for the search tests,
// and three quiz questions with their answers in <details> blocks.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderIndex } from "../../tools/index-page";
import type { TimingsFile } from "../../tools/runner";
import { chapters } from "../../tools/syllabus";

export const stemOf = (file: string) => file.replace(/\.ipynb$/, "");
/** The search word planted in each fixture chapter. */
export const plantedWord = (stem: string) => `${stem.replace(/^\d+-/, "").replace(/-/g, "")}word`;

const md = (html: string) => `<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell">
<div class="jp-Cell-inputWrapper"><div class="jp-InputArea jp-Cell-inputArea"><div class="jp-InputPrompt jp-InputArea-prompt"></div>
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">
${html}
</div></div></div></div>`;

const code = (source: string, output: string) => `<div class="jp-Cell jp-CodeCell jp-Notebook-cell">
<div class="jp-Cell-inputWrapper"><div class="jp-InputArea jp-Cell-inputArea"><div class="jp-InputPrompt jp-InputArea-prompt">In&nbsp;[1]:</div>
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline"><div class="highlight hl-typescript"><pre><span></span>${source}</pre></div></div></div></div>
<div class="jp-Cell-outputWrapper"><div class="jp-OutputArea jp-Cell-outputArea"><div class="jp-OutputArea-child">
<div class="jp-RenderedSVG jp-OutputArea-output" data-mime-type="image/svg+xml">
${output}
</div></div></div></div></div>`;

const chart = (label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="200" height="100" viewBox="0 0 200 100"><rect width="200" height="100" fill="white"/><rect x="10" y="20" width="60" height="70" fill="#4c78a8"/><text x="100" y="50">${label}</text></svg>`;

/** The answer a fixture quiz gives (its letter, then why). */
export const quizAnswer = (stem: string, q: number) => `**${"abc"[q % 3]}**: the answer to question ${q} of ${stem}.`;

/**
 * A quiz question cell (tools/exercise-cells.ts quizCells) as nbconvert writes it: the options as a
 * list, then the answer block, whose markdown nbconvert leaves as it is (inside an HTML block).
 */
const quiz = (stem: string, q: number) =>
  md(`<p><strong>${stem}-q${q}.</strong> What does the run print, question ${q}?</p>
<ul>
<li><strong>a</strong>) always 100</li>
<li><strong>b</strong>) anything, often far from 100</li>
<li><strong>c</strong>) always below 100</li>
</ul>
<details><summary>Answer</summary>

${quizAnswer(stem, q)}

</details>`);

/** A chapter page as nbconvert writes it. */
export function chapterHtml(number: number, stem: string, title: string): string {
  const h = (level: number, text: string, id = text.replace(/ /g, "-")) =>
    `<h${level} id="${id}">${text}<a class="anchor-link" href="#${id}">&#182;</a></h${level}>`;
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${stem}</title><style>body { margin: 0; }</style></head>
<body class="jp-Notebook" data-jp-theme-light="true">
<nav class="interleave-nav"><a href="index.html">&larr; interleave: course index</a></nav>
${md(`${h(1, `Chapter ${number} · ${title}`)}<p>A thread and a process share work; the ${plantedWord(stem)} marks this chapter. A mutex guards it.</p>`)}
${md(`${h(2, "What happens")}<p>Two threads race on a shared balance: a race condition. Another thread, another mutex, and <code>mutex</code> in code.</p><h3 id="A-closer-look">A closer look</h3><p>See <a href="https://example.org/mutex">a mutex elsewhere</a>.</p>`)}
${code(`const m = new Mutex(); // ${stem}`, chart(`chart of ${stem}`))}
${md(`<h2>Deadlock without an id</h2><p>A deadlock, then a barrier and a semaphore.</p>`)}
${md(`${h(2, "Summary")}<ul><li>Speedup and efficiency, and Amdahl's law.</li></ul>`)}
${md(`${h(2, "Exercises")}<ol><li>Fix the race.</li></ol>`)}
${[1, 2, 3].map((q) => quiz(stem, q)).join("\n")}
</body>
</html>
`;
}

/** A latest build of two notebooks, as the runner records it. */
export function fixtureTimings(): TimingsFile {
  const nb = (seconds: number) => ({
    status: "passed" as const,
    seconds,
    kernelWaitSeconds: 1.5,
    timingWaitSeconds: 0,
    closeSeconds: 0.2,
    cells: [],
    finishedAt: "2026-12-04T10:00:00.000Z",
    executed: "x",
  });
  return {
    updated: "2026-12-04T10:00:00.000Z",
    notebooks: { "notebooks/01-introduction.ipynb": nb(12.25), "notebooks/04-mutexes.ipynb": nb(7.5) },
    builds: [
      {
        id: "b1",
        startedAt: "2026-12-04T09:00:00.000Z",
        finishedAt: "2026-12-04T09:01:00.000Z",
        seconds: 55,
        cpuSeconds: 40,
        jobs: 1,
        notebooks: ["notebooks/01-introduction.ipynb"],
        passed: 1,
        failed: 0,
        complete: true,
        totalSeconds: 111.5,
        machine: { cores: 2, loadAtStart: 1, loadAtEnd: 1, otherCpuShare: 0.1 },
      },
      {
        id: "b2",
        startedAt: "2026-12-04T10:00:00.000Z",
        finishedAt: "2026-12-04T10:00:21.000Z",
        seconds: 19.75,
        cpuSeconds: 30.5,
        jobs: 1,
        notebooks: ["notebooks/01-introduction.ipynb", "notebooks/04-mutexes.ipynb"],
        passed: 2,
        failed: 0,
        complete: false,
        machine: { cores: 2, loadAtStart: 3.25, loadAtEnd: 4.5, otherCpuShare: 0.42 },
        exportSeconds: 2.5,
        totalSeconds: 23.5,
      },
    ],
  };
}

export const fixtureReadme = "# x\n\n## Two commands\n\nText.\n\n```sh\nbash scripts/setup.sh && npm run notes\nnpm test\n```\n";

/**
 * Writes chapter pages for `stems` (default: every chapter), the index, a timings
 * file and a README into `dir`; returns the paths the book step takes.
 */
export function makeSite(dir: string, stems?: string[]): { site: string; timings: string; readme: string } {
  const site = join(dir, "site");
  mkdirSync(site, { recursive: true });
  const chosen = chapters.filter((c) => !stems || stems.includes(stemOf(c.file)));
  for (const c of chosen) writeFileSync(join(site, `${stemOf(c.file)}.html`), chapterHtml(c.number, stemOf(c.file), c.title));
  const entries = chosen.map((c) => ({
    notebook: `notebooks/${c.file}`,
    number: c.number,
    title: c.title,
    href: `${stemOf(c.file)}.html`,
    seconds: 1,
    status: "passed",
    ok: true,
  }));
  writeFileSync(join(site, "index.html"), renderIndex(entries, new Date("2026-12-04T10:00:00Z")));
  const timings = join(dir, "timings.json");
  writeFileSync(timings, JSON.stringify(fixtureTimings()));
  const readme = join(dir, "README.md");
  writeFileSync(readme, fixtureReadme);
  return { site, timings, readme };
}
