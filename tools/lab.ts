// `npm run lab`: the course in a browser. JupyterLab when installed, else
// nbclassic, else the classic Notebook; on notebooks/, 127.0.0.1 only, a random
// token, the project's tslab/jslab kernels registered. Ctrl-C stops the server
// and every kernel it started.
//
//   npm run lab [-- --port P] [-- --no-browser]
import { ToolError, runCli } from "./errors";
import { INSTALL_HINT, which } from "./jupyter-env";
import { startServer } from "./jupyter-server";
import { notebooksDir } from "./paths";

interface Ui {
  command: string;
  name: string;
  appClass: "ServerApp" | "NotebookApp";
  path: string;
}

const uis: Ui[] = [
  { command: "jupyter-lab", name: "JupyterLab", appClass: "ServerApp", path: "lab" },
  { command: "jupyter-nbclassic", name: "nbclassic", appClass: "ServerApp", path: "tree" },
  { command: "jupyter-notebook", name: "Jupyter Notebook", appClass: "NotebookApp", path: "tree" },
];

/** The first Jupyter UI installed, in order of preference. Raises a ToolError with install hints when none is. */
export function pickUi(): Ui {
  const ui = uis.find((u) => which(u.command));
  if (!ui) throw new ToolError(`no Jupyter user interface is installed (looked for jupyter-lab, jupyter-nbclassic, jupyter-notebook). ${INSTALL_HINT}`, 3);
  return ui;
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
  const server = await startServer({ command: ui.command, appClass: ui.appClass, rootDir: notebooksDir, port, openBrowser: browser, startTimeout: 90 });
  const url = `${server.baseUrl}${ui.path}?token=${server.token}`;
  console.log(`${ui.name} is running on notebooks/ (kernels: tslab, jslab).\n\n    ${url}\n\nOpen that URL in a browser. Press Ctrl-C to stop the server and its kernels.`);
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
