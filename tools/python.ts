// The Python that runs Jupyter. Debian's scripts use /usr/bin/python3, conda's
// their env's python; a bare `python3` may be another one without Jupyter, so we
// read the interpreter from the jupyter script's own #! line.
import { readFileSync } from "node:fs";
import { requireJupyter } from "./jupyter-env";

export function jupyterPython(): string {
  const script = requireJupyter("jupyter");
  const first = readFileSync(script, "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (!m) return "/usr/bin/python3";
  // "#!/usr/bin/env python3" names the interpreter in the second word.
  return m[1].endsWith("/env") && m[2] ? m[2] : m[1];
}
