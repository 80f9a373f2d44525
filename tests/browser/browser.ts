// Headless Debian chromium through playwright-core, with the network closed: every
// request is checked against an allow rule, recorded, and aborted when not allowed.
import { mkdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const artifacts = resolve(__dirname, "../artifacts/browser");

export function launch(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface Watch {
  /** URLs the page asked for that the rule refused (they were aborted). */
  refused: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
}

/** Routes every request of `page` through `allow`, and records refusals and console errors. */
export async function watch(page: Page, allow: (url: string) => boolean): Promise<Watch> {
  const w: Watch = { refused: [], errors: [] };
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (allow(url)) return route.continue();
    w.refused.push(url);
    return route.abort("blockedbyclient");
  });
  page.on("console", (m) => {
    if (m.type() === "error") w.errors.push(m.text());
  });
  page.on("pageerror", (e) => w.errors.push(String(e)));
  return w;
}

/** Allows data: URLs and file:// URLs inside `dir` only. */
export function insideFolder(dir: string): (url: string) => boolean {
  const root = resolve(dir) + sep;
  return (url) => {
    if (url.startsWith("data:")) return true;
    if (!url.startsWith("file://")) return false;
    try {
      return resolve(fileURLToPath(url)).startsWith(root);
    } catch {
      return false;
    }
  };
}

export const shot = (name: string) => join(artifacts, name);
