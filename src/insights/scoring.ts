import { benjaminiHochberg } from '../stats/index.ts';
import type { Fact, Measure, Strength } from './types.ts';

/** q-value of each p among every test run on the file (Benjamini–Hochberg). */
function qLookup(pValues: number[]): (p: number) => number {
  const q = benjaminiHochberg(pValues);
  const byP = new Map<number, number>();
  pValues.forEach((p, i) => {
    const current = byP.get(p);
    byP.set(p, current === undefined ? q[i]! : Math.min(current, q[i]!));
  });
  // A p a detector derived from a registered test (twice a p, for a second try) sits among the others: its q
  // is at most the q of the next larger p (BH's q rises with p), as if it had been one more test in the ranking.
  const sorted = [...byP.entries()].sort((a, b) => a[0] - b[0]);
  const interpolated = (p: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]![0] < p) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(1, p * pValues.length, sorted[lo]?.[1] ?? 1);
  };
  return (p) => byP.get(p) ?? interpolated(p);
}

export function strengthOf(q: number, effect: number): Strength {
  if (q < 0.01 && effect >= 0.5) return 'strong';
  if (q < 0.05 && effect >= 0.2) return 'moderate';
  return 'weak';
}

/**
 * score = (1 − q) · effect · √(0.25 + 0.75·impact) · surprise · prior — significance after FDR control,
 * a unit-free effect, a softened impact so that a strong pattern in a 15% segment can still lead, and the
 * measure's semantic prior. Facts that fail FDR at 5% keep a score but are `weak`.
 */
export function scoreFacts(
  facts: Fact[],
  pValues: number[],
  measures: Measure[],
  boost: (fact: Fact) => number,
): Fact[] {
  const qOf = qLookup(pValues);
  const priorOf = new Map(measures.map((m) => [m.id, m.prior]));
  // A link between two measures weighs as both sides together (their geometric mean), whichever column
  // comes first in the file; a gain turned into a loss is told by what turns negative (its measure).
  const measurePrior = (fact: Fact) =>
    fact.type === 'correlation' &&
    !fact.data.outcome &&
    !fact.data.crossesZero &&
    typeof fact.data.a === 'string' &&
    typeof fact.data.b === 'string'
      ? Math.sqrt((priorOf.get(fact.data.a) ?? 1) * (priorOf.get(fact.data.b) ?? 1))
      : (priorOf.get(fact.measureId) ?? 1);
  // A file that holds an experiment is about it: whatever outcome its arms move (onboarding completed,
  // however minor beside day-7 activity elsewhere) weighs as a primary measure.
  const prior = (fact: Fact) =>
    fact.data.experiment === true ? Math.max(1.2, measurePrior(fact)) : measurePrior(fact);
  return facts.map((fact) => {
    const q = qOf(fact.p);
    const significance = q <= 0.05 ? 1 - q : 0.3 * (1 - q);
    const score =
      significance * fact.effect * Math.sqrt(0.25 + 0.75 * fact.impact) * fact.surprise * prior(fact) * boost(fact);
    return { ...fact, q, score: round(score), strength: strengthOf(q, fact.effect) };
  });
}

/** Scores are compared and stored: rounding keeps parallel float sums from flipping ties between runs. */
export const round = (value: number, digits = 6) => Number(value.toFixed(digits));
