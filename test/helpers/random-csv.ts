/**
 * Seeded CSVs of random shape: 2–7 columns drawn from every kind the reader and the engine treat apart
 * (dates, timestamps, times of day, fiscal and split years, categories with a total row, counts, money,
 * percentages, counts to date, plan and actual, created and resolved, a price table's open/high/low/close,
 * empty and constant columns), 1–400 rows, one cell in twenty empty.
 */
import { mulberry32 } from '../../src/stats/index.ts';

const KINDS = [
  'date',
  'datetime',
  'clock',
  'fy',
  'season',
  'cat',
  'region',
  'int',
  'float',
  'pct',
  'money',
  'cum',
  'empty',
  'const',
  'bool',
  'budget',
  'actual',
  'spend',
  'conversions',
  'created_at',
  'resolved_at',
  'open',
  'high',
  'low',
  'close',
] as const;

export function randomCsv(seed: number): { csv: string; kinds: string[] } {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const kinds = Array.from({ length: 2 + Math.floor(random() * 6) }, () => pick(KINDS));
  const rows = 1 + Math.floor(random() * (random() < 0.3 ? 5 : 400));
  const header = kinds.map((kind, i) => (kinds.indexOf(kind) === i ? kind : `${kind}_${i}`));
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  let toDate = 0;
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    toDate += Math.floor(random() * 10);
    const day = Date.UTC(2023, 0, 1 + Math.floor(i / 3));
    const cell = (kind: (typeof KINDS)[number]): string => {
      if (random() < 0.05) return '';
      switch (kind) {
        case 'date':
          return new Date(day).toISOString().slice(0, 10);
        case 'datetime':
        case 'created_at':
          return stamp(day + Math.floor(random() * 86_400_000));
        case 'resolved_at':
          return stamp(day + 86_400_000 + Math.floor(random() * 3 * 86_400_000));
        case 'clock':
          return `${Math.floor(random() * 24)}:${String(Math.floor(random() * 60)).padStart(2, '0')}`;
        case 'fy':
          return `FY${2010 + (i % 12)}`;
        case 'season':
          return `${2010 + (i % 12)}-${String((11 + (i % 12)) % 100).padStart(2, '0')}`;
        case 'cat':
          return pick(['A', 'B', 'C']);
        case 'region':
          return pick(['North', 'South', 'East', 'West', 'Total']);
        case 'int':
        case 'conversions':
          return String(Math.floor(random() * 100));
        case 'float':
        case 'open':
        case 'high':
        case 'low':
        case 'close':
          return (random() * 100).toFixed(2);
        case 'pct':
          return `${(random() * 100).toFixed(1)}%`;
        case 'money':
        case 'spend':
        case 'budget':
        case 'actual':
          return `$${(random() * 1000).toFixed(2)}`;
        case 'cum':
          return String(toDate);
        case 'empty':
          return '';
        case 'const':
          return '7';
        case 'bool':
          return pick(['yes', 'no']);
      }
    };
    lines.push(kinds.map(cell).join(','));
  }
  return { csv: `${lines.join('\n')}\n`, kinds };
}
