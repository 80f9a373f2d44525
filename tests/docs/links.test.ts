// Every relative link in README.md and docs/*.md points at a file of the repository
// (and a link to a heading of a Markdown file, at a heading that exists). No network:
// links with a scheme (https:, mailto:) are left alone.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { headingAnchors, isExternal, linksOf, splitTarget } from "./markdown";

const root = resolve(__dirname, "..", "..");
const docsDir = join(root, "docs");
const files = [
  join(root, "README.md"),
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(docsDir, f)),
];

test("the extractor finds inline links, images, definitions and HTML, and skips code", () => {
  const md = [
    'See [the guide](docs/a.md#one) and ![a chart](docs/images/b.png "title").',
    "Inline code is not a link: `[x](nowhere.md)`.",
    "```ts",
    "const a = [1](2);",
    "```",
    "[ref]: ../c.ts",
    '<img src="d.svg"> and <https://example.org> and [web](https://example.org/x).',
  ].join("\n");
  assert.equal(
    linksOf(md).map((l) => `${l.line}:${l.target}`),
    ["1:docs/a.md#one", "1:docs/images/b.png", "6:../c.ts", "7:https://example.org/x", "7:d.svg"],
  );
  assert.ok(isExternal("https://example.org/x"));
  assert.ok(isExternal("mailto:someone@example.org"));
  assert.not.ok(isExternal("docs/a.md"));
  assert.equal(splitTarget("../a%20b.md#the-part"), { path: "../a b.md", fragment: "the-part" });
  assert.equal(splitTarget("#local"), { path: "", fragment: "local" });
});

test("heading anchors follow GitHub's rule", () => {
  const anchors = headingAnchors(
    "# interleave\n## Reading and editing the notebooks\n### Writing your own `cells`\n## The layers: who imports whom\n## Layout\n## Layout\n```\n# not a heading\n```",
  );
  assert.equal(
    [...anchors],
    ["interleave", "reading-and-editing-the-notebooks", "writing-your-own-cells", "the-layers-who-imports-whom", "layout", "layout-1"],
  );
});

test("the documents checked are there", () => {
  assert.ok(files.length >= 2, "README.md and at least one file in docs/");
  assert.ok(existsSync(join(docsDir, "architecture.md")), "docs/architecture.md exists");
});

for (const file of files) {
  const name = relative(root, file);
  test(`${name}: every relative link points at an existing file`, () => {
    const text = readFileSync(file, "utf8");
    const broken: string[] = [];
    for (const { line, target } of linksOf(text)) {
      if (isExternal(target)) continue;
      const { path, fragment } = splitTarget(target);
      const where = `${name}:${line} → ${target}`;
      if (path.startsWith("/")) {
        broken.push(`${where}: an absolute path; write it relative to ${name}`);
        continue;
      }
      const resolved = path === "" ? file : resolve(dirname(file), path);
      if (resolved !== root && !resolved.startsWith(root + sep)) {
        broken.push(`${where}: leaves the repository`);
        continue;
      }
      if (!existsSync(resolved)) {
        broken.push(`${where}: no such file or folder`);
        continue;
      }
      if (fragment && resolved.endsWith(".md") && !headingAnchors(readFileSync(resolved, "utf8")).has(fragment)) {
        broken.push(`${where}: ${relative(root, resolved)} has no heading with the anchor #${fragment}`);
      }
    }
    assert.equal(broken, [], `broken links:\n  ${broken.join("\n  ")}`);
  });
}

test.run();
