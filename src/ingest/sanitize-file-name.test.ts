import { describe, expect, it } from 'vitest';
import { sanitizeFileName } from './sanitize-file-name.ts';

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['a/b\\c.csv', 'c.csv'],
    ['C:\\Users\\ann\\Desktop\\sales 2024.csv', 'sales 2024.csv'],
    ['report\u0000\u0007\n.csv', 'report.csv'],
    ['evil\u202Evsc.exe', 'evilvsc.exe'],
    ['..', 'upload.csv'],
    ['../..', 'upload.csv'],
    ['', 'upload.csv'],
    ['   ', 'upload.csv'],
    ['.hidden.csv', 'hidden.csv'],
    ['data..backup.csv', 'data.backup.csv'],
    ['what?<is>this:"file"|*.csv', 'what__is_this__file___.csv'],
    ['Zürich – Umsätze.csv', 'Zürich – Umsätze.csv'],
  ])('turns %j into %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('keeps at most 200 characters and the extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(500)}.csv`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.csv')).toBe(true);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const name = sanitizeFileName('😀'.repeat(300));
    expect(Array.from(name)).toHaveLength(200);
    expect(name).toBe('😀'.repeat(200));
  });

  it('never returns a path separator or ..', () => {
    for (const input of ['a/../b', '..\\..\\x', 'x/..', '/', '\\', 'a/b/', '.../...', '....csv']) {
      const name = sanitizeFileName(input);
      expect(name).not.toMatch(/[/\\]/);
      expect(name).not.toContain('..');
      expect(name.length).toBeGreaterThan(0);
    }
  });
});
