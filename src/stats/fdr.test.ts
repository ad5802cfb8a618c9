import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './fdr.ts';
import { expectNear } from './testing.ts';

describe('benjaminiHochberg', () => {
  it('matches the step-up q-values in input order', () => {
    // numpy: q = p[o]·m/rank, reversed running minimum, capped at 1 (= scipy ≥ 1.11 false_discovery_control)
    const expected = [
      0.035, 0.05600000000000001, 0.05600000000000001, 0.035, 0.5, 0.23333333333333336, 0.05600000000000001,
    ];
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04]);
    q.forEach((value, i) => {
      expectNear(value, expected[i]!);
    });
  });

  it('is monotone in p, capped at 1 and NaN-safe', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.9, 0.95, 1])).toEqual([1, 1, 1]);
    expect(benjaminiHochberg([Number.NaN, 0.01])).toEqual([1, 0.02]);
    const p = [0.3, 0.001, 0.04, 0.02, 0.8, 0.011];
    const q = benjaminiHochberg(p);
    for (let i = 0; i < p.length; i++) {
      for (let j = 0; j < p.length; j++) if (p[i]! < p[j]!) expect(q[i]!).toBeLessThanOrEqual(q[j]!);
      expect(q[i]!).toBeGreaterThanOrEqual(p[i]!);
    }
  });
});
