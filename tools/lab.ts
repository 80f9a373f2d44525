// `npm run lab`: the course in a browser. The user's own JupyterLab when one is
// installed (the conda route), else the course's JupyterLab 4 (lab/, built by
// scripts/setup.sh, served by Debian's jupyterlab-server), else nbclassic or the
// classic Notebook, saying why. On notebooks/, 127.0.0.1 only, a random token, the
// project's tslab kernel the default. Ctrl-C stops the server and every kernel it
// started (and with them their workers and processes).
//
//   npm run lab [-- --port P] [-- --no-browser]
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ToolError, runCli } from "./errors";
import { INSTALL_HINT, which } from "./jupyter-env";
import { startServer, type ServerOptions } from "./jupyter-server";
import { labAppDir, labDir, readLabBuild } from "./lab-build";
import { notebooksDir } from "./paths";
import { jupyterPython } from "./python";

export interface Ui {
  name: string;
  /** Path of the UI under the server's base URL. */
  path: string;
  server: Pick<ServerOptions, "command" | "appClass" | "program" | "env">;
  /** Why a preferred UI was passed over, for the user to read. */
  note?: string;
}

/** Whether the Python that runs Jupyter can import jupyterlab_server (Debian: python3-jupyterlab-server). */
function hasLabServer(python: string): boolean {
  return spawnSync(python, ["-c", "import jupyterlab_server"], { stdio: "ignore" }).status === 0;
}

/** The course's own JupyterLab, or the reason it cannot run here. */
export function courseLab(): Ui | string {
  if (!which("jupyter")) return "Jupyter is not installed";
  const python = jupyterPython();
  if (!hasLabServer(python)) return `${python} has no jupyterlab_server (on Debian: sudo apt-get install python3-jupyterlab-server)`;
  const build = readLabBuild();
  if (!build) return `the JupyterLab application is not built for this checkout (run bash scripts/setup.sh, or npx tsx tools/lab-build.ts: a few minutes)`;
  return {
    name: `JupyterLab ${build.jupyterlab}`,
    path: "lab",
    server: { program: [python, join(labDir, "server.py")], env: { INTERLEAVE_LAB_APP: labAppDir() }, appClass: "ServerApp" },
  };
}

/** The UI to open, in order of preference. Raises a ToolError with install hints when none is installed. */
export function pickUi(): Ui {
  if (which("jupyter-lab")) return { name: "JupyterLab", path: "lab", server: { command: "jupyter-lab", appClass: "ServerApp" } };
  const lab = courseLab();
  if (typeof lab !== "string") return lab;
  const note = `JupyterLab is not available: ${lab}.`;
  if (which("jupyter-nbclassic")) return { name: "nbclassic", path: "tree", server: { command: "jupyter-nbclassic", appClass: "ServerApp" }, note };
  if (which("jupyter-notebook")) return { name: "Jupyter Notebook", path: "tree", server: { command: "jupyter-notebook", appClass: "NotebookApp" }, note };
  throw new ToolError(`no Jupyter user interface is installed (JupyterLab: ${lab}; no jupyter-nbclassic or jupyter-notebook either). ${INSTALL_HINT}`, 3);
}

async function main(argv: string[]): Promise<number> {
  let port: number | undefined;
  let browser = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform === "darwin");
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--no-browser") browser = false;
    else if (a === "--port" || a.startsWith("--port=")) {
      const v = a.includes("=") ? a.slice(7) : argv[++i];
      port = Number(v);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ToolError(`--port must be an integer from 1 to 65535, got ${JSON.stringify(v)}.`);
    } else throw new ToolError(`unknown argument ${JSON.stringify(a)}; npm run lab accepts --port P and --no-browser.`);
  }
  const ui = pickUi();
  if (ui.note) console.log(`${ui.note} Opening ${ui.name} instead.`);
  const server = await startServer({ ...ui.server, rootDir: notebooksDir, port, openBrowser: browser, startTimeout: 90 });
  const url = `${server.baseUrl}${ui.path}?token=${server.token}`;
  console.log(
    `${ui.name} is running on notebooks/ (kernels: tslab, jslab).\n\n    ${url}\n\nOpen that URL in a browser. Press Ctrl-C to stop the server and its kernels.`,
  );
  // Stay until a signal (cleanup.ts stops the server) or until the server dies.
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    try {
      process.kill(server.pid, 0);
    } catch {
      console.error(`the ${ui.name} server exited. Its last log lines:\n${server.log().trim().split("\n").slice(-10).join("\n")}`);
      await server.stop();
      return 1;
    }
  }
}

if (require.main === module) runCli("lab", () => main(process.argv.slice(2)));
