// The shared clock (epoch ms with fractions, as trace/types now()) with the
// origin read once: the getter costs more than the addition on hot paths.
const ORIGIN = performance.timeOrigin;

export function now(): number {
  return ORIGIN + performance.now();
}
