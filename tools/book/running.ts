// "Running the course" (running.html): set-up (the README's two commands),
// JupyterLab, and the timings of the latest build on this machine (.build/timings.json).
import { existsSync, readFileSync } from "node:fs";
import type { BuildRecord, TimingsFile } from "../runner";
import { el, type BookElement, type Doc } from "./dom";
import { bookPage } from "./layout";
import type { ChapterPage } from "./nav";
import { RUNNING_PAGE } from "./nav";
import type { SearchDoc } from "./search";

const FALLBACK_SETUP = "bash scripts/setup.sh && npm run notes\nnpm test";

/** The first shell block under the README's "Two commands" heading (the set-up), or the commands as known. */
export function setupCommands(readme: string): string {
  if (!existsSync(readme)) return FALLBACK_SETUP;
  const lines = readFileSync(readme, "utf8").split("\n");
  const from = lines.findIndex((l) => /^##\s+two commands/i.test(l));
  if (from < 0) return FALLBACK_SETUP;
  const open = lines.findIndex((l, i) => i > from && /^```/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^```/.test(l));
  return open > 0 && close > open ? lines.slice(open + 1, close).join("\n") : FALLBACK_SETUP;
}

const s = (x: number) => `${x.toFixed(1)} s`;

function timingsSection(doc: Doc, t: TimingsFile, pages: ChapterPage[]): BookElement[] {
  const build: BuildRecord | undefined = t.builds.at(-1);
  if (!build) return [el(doc, "p", {}, "No build has been timed on this machine yet: run ", el(doc, "code", {}, "npm run notes"), ".")];
  const m = build.machine;
  const facts: [string, string][] = [
    ["Finished", `${build.finishedAt.replace("T", " ").slice(0, 19)} UTC`],
    ["Notebooks run", `${build.notebooks.length} (${build.passed} passed, ${build.failed} failed)${build.complete ? ", the whole course" : ""}`],
    ["Running the notebooks (wall time)", s(build.seconds)],
    ...(build.exportSeconds !== undefined ? [["Exporting the pages", s(build.exportSeconds)] as [string, string]] : []),
    ...(build.totalSeconds !== undefined ? [["Whole build", s(build.totalSeconds)] as [string, string]] : []),
    ...(build.cpuSeconds !== null ? [["CPU time (runner, server, kernels, workers)", s(build.cpuSeconds)] as [string, string]] : []),
    ["Cores", String(m.cores)],
    ["Load average (1 min) at start / end", `${m.loadAtStart.toFixed(2)} / ${m.loadAtEnd.toFixed(2)}`],
    ...(m.otherCpuShare !== null ? [["Share of the cores used by other programs", `${Math.round(m.otherCpuShare * 100)} %`] as [string, string]] : []),
  ];
  const factTable = el(doc, "table", {}, el(doc, "tbody", {}, ...facts.map(([k, v]) => el(doc, "tr", {}, el(doc, "th", {}, k), el(doc, "td", {}, v)))));
  const title = (nb: string) => pages.find((p) => nb.endsWith(`/${p.stem}.ipynb`));
  const rows = build.notebooks.map((nb) => {
    const r = t.notebooks[nb];
    const page = title(nb);
    const name = page ? el(doc, "a", { href: page.href }, `${page.number}. ${page.title}`) : nb;
    return el(
      doc,
      "tr",
      {},
      el(doc, "td", {}, name),
      el(doc, "td", { class: "n" }, r ? s(r.seconds) : ""),
      el(doc, "td", { class: "n" }, r ? s(r.kernelWaitSeconds) : ""),
      el(doc, "td", {}, r?.status ?? ""),
    );
  });
  const nbTable = el(
    doc,
    "table",
    {},
    el(
      doc,
      "thead",
      {},
      el(doc, "tr", {}, el(doc, "th", {}, "Notebook"), el(doc, "th", {}, "Seconds"), el(doc, "th", {}, "of which kernel start"), el(doc, "th", {}, "Status")),
    ),
    el(doc, "tbody", {}, ...rows),
  );
  const whole = [...t.builds].reverse().find((b) => b.complete);
  const wholeNote =
    whole && whole !== build
      ? el(
          doc,
          "p",
          {},
          `The latest build of the whole course (${whole.finishedAt.slice(0, 10)}) took ${s(whole.totalSeconds ?? whole.seconds)} on ${whole.machine.cores} cores, load ${whole.machine.loadAtStart.toFixed(2)} at its start.`,
        )
      : null;
  return [
    el(
      doc,
      "p",
      {},
      "The latest build on this machine (from ",
      el(doc, "code", {}, ".build/timings.json"),
      "). Timings depend on what else the machine was doing: the load and the share used by other programs say how busy it was.",
    ),
    ...(wholeNote ? [wholeNote] : []),
    factTable,
    el(doc, "h3", {}, "Per notebook"),
    nbTable,
  ];
}

/** The page, and its text for the search index. */
export function runningPage(timings: TimingsFile, readme: string, pages: ChapterPage[]): { doc: Doc; search: SearchDoc[] } {
  const doc = bookPage("Running the course");
  const main = doc.querySelector("main")!;
  const setup = setupCommands(readme);
  main.append(
    el(doc, "h2", { id: "set-up" }, "Set-up"),
    el(doc, "p", {}, "On a Debian or Ubuntu machine with Node 20 or newer, from the project's folder:"),
    el(doc, "pre", {}, el(doc, "code", {}, setup)),
    el(doc, "p", {}, "The first command installs what is missing, runs every notebook and writes these notes; the second runs the tests."),
    el(doc, "h2", { id: "jupyterlab" }, "JupyterLab"),
    el(doc, "p", {}, "To work through the notebooks yourself, start JupyterLab with the course's kernel:"),
    el(doc, "pre", {}, el(doc, "code", {}, "npm run lab")),
    el(
      doc,
      "p",
      {},
      "Open a chapter in notebooks/, run its cells from the top, and edit the exercises' starter cells. One notebook can be rebuilt into these notes with ",
      el(doc, "code", {}, "npm run notes -- notebooks/04-mutexes.ipynb"),
      ".",
    ),
    el(doc, "h2", { id: "timings" }, "Timings on this machine"),
    ...timingsSection(doc, timings, pages),
  );
  const search: SearchDoc[] = [
    {
      id: `${RUNNING_PAGE}#set-up`,
      page: "Running the course",
      href: `${RUNNING_PAGE}#set-up`,
      title: "Set-up",
      text: `${setup} install setup npm test notes`,
    },
    {
      id: `${RUNNING_PAGE}#jupyterlab`,
      page: "Running the course",
      href: `${RUNNING_PAGE}#jupyterlab`,
      title: "JupyterLab",
      text: "npm run lab JupyterLab kernel notebooks",
    },
    {
      id: `${RUNNING_PAGE}#timings`,
      page: "Running the course",
      href: `${RUNNING_PAGE}#timings`,
      title: "Timings on this machine",
      text: "timings build seconds load cores wall time",
    },
  ];
  return { doc, search };
}
