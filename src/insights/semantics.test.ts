import { describe, expect, it } from 'vitest';
import { isBoundPair, rateLabel } from './semantics.ts';

describe('rateLabel', () => {
  it('names the rate of a yes/no outcome with its noun, not a clipped verb', () => {
    const labels = Object.fromEntries(
      [
        'approved',
        'is_churned',
        'converted',
        'purchased',
        'stopped',
        'verified',
        'passed',
        'placed',
        'won',
        'ordered',
      ].map((header) => [header, rateLabel(header)]),
    );
    expect(labels).toEqual({
      approved: 'approval rate',
      is_churned: 'churn rate',
      converted: 'conversion rate',
      purchased: 'purchase rate',
      stopped: 'stop rate',
      verified: 'verify rate',
      passed: 'pass rate',
      placed: 'place rate',
      won: 'win rate',
      ordered: 'order rate',
    });
  });
});

describe('isBoundPair', () => {
  it('pairs the bounds of one quantity, and nothing else', () => {
    expect(isBoundPair('temp_max', 'temp_min')).toBe(true);
    expect(isBoundPair('High', 'Low')).toBe(true);
    expect(isBoundPair('open', 'close')).toBe(true);
    expect(isBoundPair('temp_max', 'wind_max')).toBe(false);
    expect(isBoundPair('temp_max', 'temp_max')).toBe(false);
    expect(isBoundPair('revenue', 'units')).toBe(false);
  });
});
