import { describe, expect, it } from 'vitest';
import { cleanLabel, distinctDisplayLabels, truncateLabel, wrapText } from './labels.ts';

describe('labels from a CSV', () => {
  it('become one clean line', () => {
    expect(cleanLabel('  North\n\tregion\u0000 ')).toBe('North region');
    expect(cleanLabel('')).toBe('(blank)');
    expect(cleanLabel(null)).toBe('(blank)');
  });

  it('are cut at 40 characters with an ellipsis, never inside an emoji', () => {
    const long = 'A'.repeat(50);
    expect(truncateLabel(long)).toBe(`${'A'.repeat(39)}…`);
    const family = '👨‍👩‍👧';
    const cut = truncateLabel(`${'B'.repeat(38)}${family}${family}${family}`);
    expect(cut).toBe(`${'B'.repeat(38)}${family}…`);
  });

  it('stay distinct after truncation', () => {
    const shared = 'C'.repeat(45);
    const labels = distinctDisplayLabels([`${shared}1`, `${shared}2`, 'Short', 'Short']);
    expect(new Set(labels).size).toBe(4);
    expect(labels[1]).toMatch(/ \(2\)$/);
  });

  it('wrap titles to the width and mark what was cut', () => {
    const lines = wrapText('word '.repeat(80), 600, 34, true, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/…$/);
  });
});
