// Reading rendered SVG in tests: vega labels every mark item with
// aria-roledescription ("bar", "arc mark", …) and axis/legend labels are <text>.

/** How many mark items of a role ("bar", "arc mark", "symbol mark", …) the SVG has. */
export function countRole(svg: string, role: string): number {
  return [...svg.matchAll(/aria-roledescription="([^"]*)"/g)].filter((m) => m[1] === role).length;
}

/** The text of every <text> element, and of each line (<tspan>) of multi-line ones. */
export function texts(svg: string): string[] {
  const unescapeXml = (s: string) =>
    s
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"');
  const out: string[] = [];
  for (const m of svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)) {
    const inner = m[1];
    if (inner.includes("<tspan")) for (const t of inner.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)) out.push(unescapeXml(t[1]));
    else out.push(unescapeXml(inner));
  }
  return out;
}

/** aria-labels of mark items (vega writes the encoded fields there, e.g. "worker: t0; state: running"). */
export function ariaLabels(svg: string): string[] {
  return [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);
}
