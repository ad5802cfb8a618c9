import { describe, expect, it } from 'vitest';
import { DateEvidence, readDate } from './date-formats.ts';

describe('readDate', () => {
  it.each([
    ['2024-03-01', '%Y-%m-%d'],
    ['2024-03-01 10:00:00', '%Y-%m-%d %H:%M:%S'],
    ['2024-03-01T10:00', '%Y-%m-%dT%H:%M'],
    ['2024-03-01T10:00:00.123Z', '%Y-%m-%dT%H:%M:%S.%fZ'],
    ['2024-03-01T10:00:00+02:00', '%Y-%m-%dT%H:%M:%S%z'],
    ['2024-03-01 10:00:00-0500', '%Y-%m-%d %H:%M:%S%z'],
    ['2024/03/01', '%Y/%m/%d'],
    ['Jan 7 2024', '%b %d %Y'],
    ['January 7, 2024', '%B %d, %Y'],
    ['7 Jan 2024', '%d %b %Y'],
    ['07-Jan-24', '%d-%b-%y'],
    ['2024-03', '%Y-%m'],
    ['2024/03', '%Y/%m'],
    ['2024.03', '%Y.%m'],
    ['2024M03', '%YM%m'],
    ['03/2024', '%m/%Y'],
    ['3-2024', '%m-%Y'],
    ['Mar 2024', '%b %Y'],
    ['FY2024', 'FY%Y'],
    ['fy 24', 'FY %y'],
    ['2023/24', '%Y/%n'],
    ['2019-2020', '%Y-%N'],
    ['FY 2023-24', 'FY %Y-%n'],
    ['2011-12', '%Y-%n'],
    ['Mon 2024-03-04', '%a %Y-%m-%d'],
    ['Monday, 4 March 2024', '%A, %d %B %Y'],
    ['01/02/2024 3:05 PM', null],
  ])('reads %j', (text, format) => {
    const reading = readDate(text);
    if (format === null) {
      expect(reading).toMatchObject({ kind: 'day_or_month', dayFirst: '%d/%m/%Y %I:%M %p' });
    } else {
      expect(reading).toEqual({ kind: 'fixed', format });
    }
  });

  it('reads a split year only when its second part is the next year', () => {
    expect(readDate('2023/25')).toBeNull();
    expect(readDate('2023-2025')).toBeNull();
    expect(readDate('1999/00')).toEqual({ kind: 'fixed', format: '%Y/%n' });
  });

  it('says which slash, dot and dash dates prove day-first or month-first', () => {
    expect(readDate('13.01.2024')).toEqual({
      kind: 'day_or_month',
      dayFirst: '%d.%m.%Y',
      monthFirst: '%m.%d.%Y',
      proves: 'day_first',
    });
    expect(readDate('13/01/2024')).toMatchObject({ kind: 'day_or_month', proves: 'day_first' });
    expect(readDate('01/13/2024')).toMatchObject({ kind: 'day_or_month', proves: 'month_first' });
    expect(readDate('01/05/2024')).toMatchObject({ kind: 'day_or_month', proves: null });
  });

  it.each([
    '1955',
    '20240301',
    '2024-13-01',
    '32/01/2024',
    '13/13/2024',
    '2024-03-01 25:00',
    'Foo 7 2024',
    '12.5',
    '2024-03-01 +02:00',
  ])('rejects %j', (text) => {
    expect(readDate(text)).toBeNull();
  });
});

describe('DateEvidence.decide', () => {
  const decide = (...cells: string[]) => {
    const evidence = new DateEvidence();
    for (const cell of cells) evidence.add(readDate(cell)!, 1, cell);
    return evidence.decide();
  };

  it('orders formats by how often they occur', () => {
    expect(decide('2024-02-01 00:00:00', '2024-02-01 01:00:00', '01/02/2024 00:00').formats).toEqual([
      '%Y-%m-%d %H:%M:%S',
      '%d/%m/%Y %H:%M',
    ]);
  });

  it('reads slash dates day-first unless month-first is proven', () => {
    expect(decide('01/05/2024', '02/05/2024')).toEqual({ formats: ['%d/%m/%Y'], dayFirst: true, ambiguous: true });
    expect(decide('01/05/2024', '01/13/2024')).toEqual({ formats: ['%m/%d/%Y'], dayFirst: false, ambiguous: false });
    expect(decide('01/05/2024', '13/01/2024')).toEqual({ formats: ['%d/%m/%Y'], dayFirst: true, ambiguous: false });
  });
});

describe('months as numbers', () => {
  it('reads no thirteenth month, and a year/next-year pair as a month when the column holds other months', () => {
    expect(readDate('13/2024')).toBeNull();
    expect(readDate('2024/13')).toBeNull();
    expect(readDate('2024.3')).toBeNull();
    const evidence = new DateEvidence();
    for (const text of ['2011/11', '2011/12', '2012/01']) evidence.add(readDate(text)!, 1, text);
    expect(evidence.decide().formats).toEqual(['%Y/%m']);
  });
});
