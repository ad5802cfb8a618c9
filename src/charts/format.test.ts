import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { axisLabelExpression, formatExpression, logAxisLabelExpression } from './format.ts';
import type { ValueFormat } from './types.ts';

/** Evaluates a label expression the way vega does when it draws the chart. */
function evaluate(expression: string, value: number): string {
  const view = new vega.View(
    vega.parse({
      signals: [
        { name: 'value', value },
        { name: 'out', update: expression.replaceAll('datum.value', 'value') },
      ],
    }),
    { renderer: 'none' },
  );
  view.run();
  const result = view.signal('out') as string;
  view.finalize();
  return result;
}

const label = (format: ValueFormat, value: number, maxAbs = Math.abs(value)) =>
  evaluate(formatExpression(format, 'datum.value', { maxAbs }, 'label'), value);
const axis = (format: ValueFormat, value: number, maxAbs: number) =>
  evaluate(axisLabelExpression(format, { maxAbs }), value);

describe('value formats', () => {
  it('writes currency with its symbol, the sign first, and B for billions', () => {
    expect(label({ kind: 'currency', currency: '$' }, 1234)).toBe('$1,234');
    expect(label({ kind: 'currency', currency: '€' }, -1200)).toBe('\u2212€1,200');
    expect(label({ kind: 'currency', currency: '$' }, 1_240_000)).toBe('$1.24M');
    expect(axis({ kind: 'currency', currency: '£' }, 2_500_000_000, 3e9)).toBe('£2.5B');
    expect(label({ kind: 'currency', currency: '$' }, 9.5)).toBe('$9.50');
  });

  it('writes fractions and percentage points as percent', () => {
    expect(label({ kind: 'percent', percentScale: 'fraction' }, 0.4567)).toBe('45.7%');
    expect(axis({ kind: 'percent', percentScale: 'fraction' }, 0.4, 0.6)).toBe('40%');
    expect(axis({ kind: 'percent', percentScale: 'fraction' }, 0.025, 0.05)).toBe('2.5%');
    expect(label({ kind: 'percent', percentScale: 'points' }, 45.2)).toBe('45.2%');
    expect(axis({ kind: 'percent', percentScale: 'points' }, 40, 60)).toBe('40%');
  });

  it('writes counts with separators and large numbers compactly', () => {
    expect(label({ kind: 'integer' }, 12_345)).toBe('12,345');
    expect(label({ kind: 'number' }, 3_400_000_000)).toBe('3.4B');
    expect(axis({ kind: 'number' }, 0.25, 0.5)).toBe('0.25');
  });

  it('labels log axes as 0.01 … 100 … 10k … 1B, never with SI prefixes below one', () => {
    const expression = logAxisLabelExpression({ kind: 'number' });
    expect([0.01, 1, 100, 10_000, 1e9].map((value) => evaluate(expression, value))).toEqual([
      '0.01',
      '1',
      '100',
      '10k',
      '1B',
    ]);
  });

  it('keeps quotes and backslashes in a currency symbol out of the expression', () => {
    expect(label({ kind: 'currency', currency: `'"\\` }, 5)).toBe('$5.00');
  });
});
