import { describe, expect, it } from 'vitest';
import type { Dimension, Measure } from '../types.ts';
import type { DetectorContext } from './context.ts';
import type { Series } from './series.ts';
import { detectShareShift } from './temporal.ts';

const months = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, from + i, 1)).toISOString().slice(0, 19));
const series = (from: number, values: number[]): Series => ({
  granularity: 'month',
  periods: months(from, values.length),
  values,
  rows: values.map(() => 10),
  excluded: [],
});
const quantity = {
  id: 'quantity',
  label: 'quantity',
  aggregation: 'sum',
  columns: ['quantity'],
  format: { kind: 'integer' },
  unit: '',
  decimals: 0,
  nonNegative: true,
} as Measure;
const reason = { name: 'return_reason', label: 'return reason' } as Dimension;
const ctx = { tested: (p: number) => p } as unknown as DetectorContext;

describe('detectShareShift', () => {
  it('reads shares over the span every member covers, not a month the others lost as partial', () => {
    // Defective keeps January; its siblings' Januaries were left out as partial months of sparse rows.
    const defective = series(0, [19, 30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10]);
    const siblings = ['Wrong size', 'Changed mind'].map((member) => ({
      member,
      series: series(1, [40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60]),
    }));
    const fact = detectShareShift(
      ctx,
      quantity,
      defective,
      { dimension: reason, member: 'Defective', impact: 0.2, siblings },
      'order_date',
    );
    expect(fact?.claims.firstPeriod?.text).toBe('February 2024');
    expect(Number(fact?.claims.firstShare?.value)).toBeLessThan(30);
  });
});
