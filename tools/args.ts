// Command-line parsing shared by the runner and the notes builder.
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
}

const valueFlags = ["--jobs", "--timeout", "--port", "--build-dir", "--site-dir", "--timings", "--pid-log"] as const;

/** `command` is how the user invokes the tool (for the usage text), e.g. "npm run notes --". */
export function parseArgs(argv: string[], command: string, allowSite: boolean): RunArgs {
  const out: RunArgs = { notebooks: [], jobs: 1 };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === "--help" || arg === "-h") {
      throw new ToolError(
        `usage: ${command} [notebook.ipynb …] [--jobs N] [--timeout SECONDS] [--port P] [--build-dir DIR] [--timings FILE]${allowSite ? " [--site-dir DIR]" : ""}. ` +
          "Without notebooks it runs notebooks/*.ipynb in syllabus order, one at a time.",
        0,
      );
    }
    if (!arg.startsWith("-")) {
      out.notebooks.push(arg);
      continue;
    }
    if (!(valueFlags as readonly string[]).includes(arg) || (arg === "--site-dir" && !allowSite)) {
      throw new ToolError(`unknown option ${arg}. Run \`${command} --help\` for the options.`);
    }
    value ??= argv[++i];
    if (value === undefined) throw new ToolError(`option ${arg} needs a value, e.g. ${arg}${arg === "--jobs" ? " 2" : arg === "--timeout" ? " 300" : " VALUE"}.`);
    const num = () => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0 || ((arg === "--jobs" || arg === "--port") && !Number.isInteger(n))) {
        throw new ToolError(`option ${arg} must be a positive ${arg === "--timeout" ? "number of seconds" : "integer"}, got ${JSON.stringify(value)}.`);
      }
      return n;
    };
    if (arg === "--jobs") out.jobs = num();
    else if (arg === "--timeout") out.timeout = num();
    else if (arg === "--port") out.port = num();
    else if (arg === "--build-dir") out.buildDir = value;
    else if (arg === "--site-dir") out.siteDir = value;
    else if (arg === "--timings") out.timings = value;
    else if (arg === "--pid-log") out.pidLog = value;
  }
  return out;
}
