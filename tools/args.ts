// Command-line parsing shared by the runner and the notes builder (node:util parseArgs, via src/command-line.ts).
import { readCommandLine } from "../src/command-line";
import { ToolError } from "./errors";

export interface RunArgs {
  notebooks: string[];
  jobs: number;
  timeout?: number;
  port?: number;
  buildDir?: string;
  siteDir?: string;
  timings?: string;
  pidLog?: string;
  edition?: "student" | "instructor";
}

const OPTIONS = {
  jobs: { type: "string" },
  timeout: { type: "string" },
  port: { type: "string" },
  "build-dir": { type: "string" },
  "site-dir": { type: "string" },
  timings: { type: "string" },
  "pid-log": { type: "string" },
  edition: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const { "site-dir": _siteDir, edition: _edition, ...WITHOUT_SITE } = OPTIONS;

const EXAMPLE: Record<string, string> = { "--jobs": " 2", "--timeout": " 300" };

/** `command` is how the user invokes the tool (for the usage text), e.g. "npm run notes --". */
export function parseArgs(argv: string[], command: string, allowSite: boolean): RunArgs {
  const options: Partial<typeof OPTIONS> = allowSite ? OPTIONS : WITHOUT_SITE;
  const { values: v, positionals } = readCommandLine(argv, options, (problem, option) => {
    if (problem === "needs-value") return new ToolError(`option ${option} needs a value, e.g. ${option}${EXAMPLE[option] ?? " VALUE"}.`);
    const what = problem === "unknown" ? `unknown option ${option}` : `option ${option} takes no value`;
    return new ToolError(`${what}. Run \`${command} --help\` for the options.`);
  });
  if (v.help) {
    throw new ToolError(
      `usage: ${command} [notebook.ipynb …] [--jobs N] [--timeout SECONDS] [--port P] [--build-dir DIR] [--timings FILE]${allowSite ? " [--site-dir DIR] [--edition student|instructor]" : ""}. ` +
        "Without notebooks it runs notebooks/*.ipynb in syllabus order, one at a time.",
      0,
    );
  }
  const out: RunArgs = { notebooks: positionals, jobs: 1 };
  if (v.jobs !== undefined) out.jobs = positive("--jobs", v.jobs, true);
  if (v.timeout !== undefined) out.timeout = positive("--timeout", v.timeout, false);
  if (v.port !== undefined) out.port = positive("--port", v.port, true);
  if (v["build-dir"] !== undefined) out.buildDir = v["build-dir"];
  if (v["site-dir"] !== undefined) out.siteDir = v["site-dir"];
  if (v.timings !== undefined) out.timings = v.timings;
  if (v["pid-log"] !== undefined) out.pidLog = v["pid-log"];
  if (v.edition !== undefined) {
    if (v.edition !== "student" && v.edition !== "instructor")
      throw new ToolError(`--edition must be student or instructor, got ${JSON.stringify(v.edition)}.`);
    out.edition = v.edition;
  }
  return out;
}

function positive(option: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new ToolError(`option ${option} must be a positive ${integer ? "integer" : "number of seconds"}, got ${JSON.stringify(value)}.`);
  }
  return n;
}
