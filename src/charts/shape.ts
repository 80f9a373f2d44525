// A chart spec's shape: the spec without what changes from one run to the
// next (inline data, titles, explicit scale domains), so that a new chart of
// an already compiled shape skips Vega-Lite compile and Vega parse (most of a
// render's work) and only feeds the new values into a fresh View.
//
// The lifted values come back as named datasets and signals: data through
// `view.data`, titles and domains as signals that the compiled Vega spec
// reads where the literals were (see `bindLifted`).
import type { ChartSpec } from "./types";

export interface Lifted {
  /** The spec to compile: inline data renamed, view titles as markers, scale domains as given. */
  spec: ChartSpec;
  /** Equal keys compile to the same Vega spec up to the lifted values. */
  key: string;
  /** Dataset name → the values the spec had inline. */
  datasets: [string, unknown[]][];
  /** Signal name → the title text, subtitle or scale domain it stands for. */
  signals: [string, unknown][];
  /** The lifted titles as text (a shape whose titles could not be signals serves only these). */
  titles: string;
}

/** Marks a lifted title in the spec handed to Vega-Lite (which passes titles through verbatim). */
const MARK = "\u0001lifted:";
const marker = (name: string): string => `${MARK}${name}\u0001`;

/** Keys whose values are (arrays of) nested view specs, where a `title` is a view title. */
const VIEW_CHILDREN = new Set(["layer", "hconcat", "vconcat", "concat", "spec"]);

/**
 * Splits a Vega-Lite spec. Copies its structure (not the data values, which
 * are neither walked nor copied) replacing:
 * - `data: { values }` by `data: { name }` (one name per values array, so a dataset shared by views stays shared);
 * - a view's `title` text and subtitle by markers (`bindLifted` turns them into signals);
 * - an explicit `scale.domain` array by a signature in the key only (its sign
 *   pattern and length, which is what Vega-Lite's defaults such as `zero` depend on).
 */
export function liftSpec(spec: ChartSpec, opts: { titles: boolean } = { titles: true }): Lifted {
  const dataNames = new Map<unknown[], string>();
  const signals: [string, unknown][] = [];
  const domainSignature = new Map<unknown[], string>();
  const domainNames = new Map<string, string>(); // domain text → signal name: equal domains share one
  let texts = 0;
  const liftText = (text: unknown): unknown => {
    if (typeof text !== "string" && !(Array.isArray(text) && text.every((t) => typeof t === "string"))) return text;
    const name = `lifted_text_${texts++}`;
    signals.push([name, text]);
    return marker(name);
  };
  const liftTitle = (title: unknown): unknown => {
    if (typeof title === "string") return liftText(title);
    if (!title || typeof title !== "object" || Array.isArray(title)) return copy(title, false);
    const out = copy(title, false) as Record<string, unknown>;
    if ("text" in out) out.text = liftText(out.text);
    if ("subtitle" in out) out.subtitle = liftText(out.subtitle);
    return out;
  };
  const liftScale = (scale: Record<string, unknown>): Record<string, unknown> => {
    const out = copy(scale, false) as Record<string, unknown>;
    const domain = scale.domain;
    if (Array.isArray(domain) && domain.length > 0 && domain.every((d) => typeof d === "string" || (typeof d === "number" && Number.isFinite(d)))) {
      const text = JSON.stringify(domain);
      let name = domainNames.get(text);
      if (!name) {
        name = `lifted_domain_${domainNames.size}`;
        domainNames.set(text, name);
        signals.push([name, domain]);
      }
      const copied = [...domain];
      out.domain = copied;
      const signs = domain.map((d) => (typeof d === "string" ? "s" : d > 0 ? "+" : d < 0 ? "-" : "0")).join("");
      domainSignature.set(copied, `${MARK}${name}:${signs}`);
    }
    return out;
  };
  function copy(v: unknown, isView: boolean): unknown {
    if (Array.isArray(v)) return v.map((x) => copy(x, false));
    if (!v || typeof v !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const values = k === "data" ? inlineValues(x) : null;
      if (values) {
        let name = dataNames.get(values);
        if (!name) {
          name = `lifted_data_${dataNames.size}`;
          dataNames.set(values, name);
        }
        out[k] = { name };
      } else if (isView && k === "title" && opts.titles) out[k] = liftTitle(x);
      else if (k === "scale" && x && typeof x === "object" && !Array.isArray(x)) out[k] = liftScale(x as Record<string, unknown>);
      else if (VIEW_CHILDREN.has(k)) out[k] = Array.isArray(x) ? x.map((c) => copy(c, true)) : copy(x, true);
      else out[k] = copy(x, false);
    }
    return out;
  }
  const lifted = copy(spec, true) as ChartSpec;
  const key = JSON.stringify(lifted, (_k, value) => (Array.isArray(value) && domainSignature.get(value)) || value);
  return {
    spec: lifted,
    key,
    datasets: [...dataNames].map(([values, name]) => [name, values]),
    signals,
    titles: JSON.stringify(signals.filter(([name]) => name.startsWith("lifted_text_"))),
  };
}

/** The values of an inline data source with nothing else set (a source with a format, say, stays inline). */
function inlineValues(data: unknown): unknown[] | null {
  if (!data || typeof data !== "object") return null;
  const keys = Object.keys(data);
  const values = (data as { values?: unknown }).values;
  return keys.length === 1 && keys[0] === "values" && Array.isArray(values) ? values : null;
}

/** A compiled shape's Vega spec, reading the lifted values from signals. */
export interface Bound {
  vega: Record<string, unknown>;
  /** The signals to set from each chart's lifted values. */
  signals: string[];
  /**
   * Domains whose values Vega-Lite also wrote elsewhere (a sort order, say):
   * the shape serves only charts with these same values (name → JSON text).
   */
  fixed: [string, string][];
}

/**
 * Rewrites (a copy of) a Vega spec compiled from `lifted.spec` so that it
 * reads the lifted titles and scale domains from signals, declared at the top
 * with this chart's values. Returns null if Vega-Lite did not pass a title
 * through verbatim (a marker inside other text): compile that spec whole.
 */
export function bindLifted(vega: Record<string, unknown>, lifted: Lifted): Bound | null {
  const values = new Map(lifted.signals);
  const domainByText = new Map<string, string>();
  for (const [name, v] of lifted.signals) if (name.startsWith("lifted_domain_")) domainByText.set(JSON.stringify(v), name);
  const used = new Set<string>();
  let mangled = false;
  const markerName = (s: unknown): string | null => {
    if (typeof s !== "string" || !s.includes(MARK)) return null;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0001 marks a lifted name; no title or label holds it
    const m = /^\u0001lifted:(\w+)\u0001$/.exec(s);
    if (!m || !values.has(m[1])) mangled = true;
    return m ? m[1] : null;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const name = markerName(v);
      if (!name) return v;
      used.add(name);
      return { signal: name };
    }
    // Vega-Lite may wrap a title in an array: [marker] stands for the value itself
    if (Array.isArray(v)) return v.length === 1 && markerName(v[0]) ? walk(v[0]) : v.map(walk);
    if (!v || typeof v !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === "scales" && Array.isArray(x) ? x.map(bindScale) : walk(x);
    return out;
  };
  const bindScale = (scale: unknown): unknown => {
    const out = walk(scale) as Record<string, unknown>;
    const name = Array.isArray(out.domain) ? domainByText.get(JSON.stringify(out.domain)) : undefined;
    if (name) {
      out.domain = { signal: name };
      used.add(name);
    }
    return out;
  };
  const bound = walk(vega) as Record<string, unknown>;
  if (mangled) return null;
  // A domain that is not (only) a scale's domain in the output (Vega-Lite also
  // wrote its values into a sort expression, say) stays tied to its values.
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === "string") strings.push(v);
    else if (v && typeof v === "object") for (const x of Object.values(v)) collect(x);
  };
  collect(bound);
  const allText = strings.join("\u0000");
  const json = JSON.stringify(bound);
  const fixed: [string, string][] = [];
  for (const [text, name] of domainByText) {
    const domain = values.get(name) as unknown[];
    const elsewhere = domain.some((d) => typeof d === "string" && allText.includes(d)) || (domain.length > 1 && json.includes(text.slice(1, -1)));
    if (!used.has(name) || elsewhere) fixed.push([name, text]);
  }
  const signals = lifted.signals.filter(([name]) => used.has(name));
  bound.signals = [...signals.map(([name, value]) => ({ name, value })), ...((bound.signals as unknown[] | undefined) ?? [])];
  return { vega: bound, signals: signals.map(([name]) => name), fixed };
}
