import { describe, expect, it } from 'vitest';
import type { Measure } from '../types.ts';
import { formatMeasureValue } from './format.ts';

const share = { format: { kind: 'number' }, unit: '', decimals: 6, aggregation: 'mean' } as unknown as Measure;

describe('formatMeasureValue', () => {
  it('keeps two significant digits of small values instead of rounding them to zero', () => {
    expect(formatMeasureValue(0.000131, share)).toBe('0.00013');
    expect(formatMeasureValue(0.0042, share)).toBe('0.0042');
    expect(formatMeasureValue(0.25, share)).toBe('0.2500'); // as written in the data (6 decimals), at most 4
  });
});
