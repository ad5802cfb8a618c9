import { describe, expect, it } from 'vitest';
import type { Measure } from '../types.ts';
import { formatMeasureValue, formatPercentNumber } from './format.ts';

const share = { format: { kind: 'number' }, unit: '', decimals: 6, aggregation: 'mean' } as unknown as Measure;

describe('formatMeasureValue', () => {
  it('keeps two significant digits of small values instead of rounding them to zero', () => {
    expect(formatMeasureValue(0.000131, share)).toBe('0.00013');
    expect(formatMeasureValue(0.0042, share)).toBe('0.0042');
    expect(formatMeasureValue(0.25, share)).toBe('0.2500'); // as written in the data (6 decimals), at most 4
  });

  it('shows an average of tens with four digits that count (48.11, not 48.108)', () => {
    const yieldMeasure = {
      format: { kind: 'number' },
      unit: '',
      decimals: 3,
      aggregation: 'mean',
    } as unknown as Measure;
    expect(formatMeasureValue(48.10833, yieldMeasure)).toBe('48.11');
    expect(formatMeasureValue(4.81083, yieldMeasure)).toBe('4.811');
  });

  it('writes millions compactly for totals and averages alike, but a cell from the data in full', () => {
    const people = { format: { kind: 'number' }, unit: '', decimals: 0, aggregation: 'sum' } as unknown as Measure;
    expect(formatMeasureValue(53_351_228, people, 'total')).toBe('53.35M');
    expect(formatMeasureValue(53_351_228, people, 'average')).toBe('53.35M');
    expect(formatMeasureValue(747_706, people, 'average')).toBe('747,706');
    expect(formatMeasureValue(1_794_112, people, 'raw')).toBe('1,794,112');
  });

  it('gives a threshold read from the data its own decimals: "4 or less", not "4.00"', () => {
    const cylinders = { format: { kind: 'number' }, unit: '', decimals: 0, aggregation: 'mean' } as unknown as Measure;
    expect(formatMeasureValue(4, cylinders, 'raw')).toBe('4');
    expect(formatMeasureValue(4, cylinders, 'average')).toBe('4.00');
  });

  it('writes a zero from the data as "0", thousands grouped, and a whole percent whole', () => {
    const cost = { format: { kind: 'number' }, unit: '', decimals: 2, aggregation: 'sum' } as unknown as Measure;
    expect(formatMeasureValue(0, cost, 'raw')).toBe('0');
    expect(formatMeasureValue(13968.44, cost, 'raw')).toBe('13,968');
    const discount = {
      format: { kind: 'percent', percentScale: 'points' },
      unit: '%',
      decimals: 0,
      aggregation: 'mean',
    } as unknown as Measure;
    expect(formatMeasureValue(20, discount, 'raw')).toBe('20%');
  });
});

describe('formatPercentNumber', () => {
  it('keeps two digits that count below 1%: 0.013, not 0.01', () => {
    expect(formatPercentNumber(58.46)).toBe('58.5');
    expect(formatPercentNumber(1426.2)).toBe('1,426');
    expect(formatPercentNumber(0.42)).toBe('0.42');
    expect(formatPercentNumber(0.0134)).toBe('0.013');
    expect(formatPercentNumber(0.00077)).toBe('0.00077');
    expect(formatPercentNumber(0)).toBe('0'); // none at all: "0%", not "0.00%"
  });
});
