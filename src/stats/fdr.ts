/**
 * Benjamini–Hochberg adjusted p-values (q-values) in the input order: q₍ᵢ₎ = min_{j ≥ i} p₍ⱼ₎·m/j,
 * monotone in p and capped at 1 (as `scipy.stats.false_discovery_control(method='bh')`). NaN or
 * out-of-range p-values are treated as 1; an empty input gives [].
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const ps = pValues.map((p) => (Number.isNaN(p) ? 1 : Math.min(1, Math.max(0, p))));
  const order = ps.map((_, i) => i).sort((a, b) => ps[b]! - ps[a]!);
  const q = new Array<number>(m);
  let running = 1;
  order.forEach((index, position) => {
    const rank = m - position;
    running = Math.min(running, (ps[index]! * m) / rank);
    q[index] = running;
  });
  return q;
}
