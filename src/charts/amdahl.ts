// Amdahl's law and a least-squares fit of its serial fraction.

/** Amdahl's speedup on p workers when a fraction s of the work is serial. */
export function amdahl(s: number, p: number): number {
  return 1 / (s + (1 - s) / p);
}

/**
 * Finds the serial fraction s in [0, 1] minimising Σ (S_i − amdahl(s, p_i))²
 * over measured (workers, speedup) points. The error is smooth in s but not
 * always convex (noisy points), so a coarse grid picks the basin and a golden
 * section search refines it. Returns 0 for no or only single-worker points.
 */
export function fitSerialFraction(points: { workers: number; speedup: number }[]): number {
  const pts = points.filter((p) => p.workers > 1 && Number.isFinite(p.speedup) && p.speedup > 0);
  if (!pts.length) return 0;
  const err = (s: number) => {
    let e = 0;
    for (const p of pts) e += (p.speedup - amdahl(s, p.workers)) ** 2;
    return e;
  };
  const N = 200;
  let best = 0;
  for (let i = 1; i <= N; i++) if (err(i / N) < err(best / N)) best = i;
  let lo = Math.max(0, (best - 1) / N),
    hi = Math.min(1, (best + 1) / N);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 60; k++) {
    const a = hi - g * (hi - lo),
      b = lo + g * (hi - lo);
    if (err(a) < err(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}
