import { describe, expect, it } from 'vitest';
import { queryRows } from '../db/duckdb.ts';
import { loadRawTable } from './load-raw.ts';
import { rawColumnName } from './parse-expressions.ts';
import { readCsv } from './read-csv.ts';
import { ingestScratch } from './test-scratch.ts';
import { confirmTypedLoad, planTypedLoad } from './typed-load.ts';
import { HEAD_BYTES } from './validate-file.ts';

const scratch = ingestScratch('typed-load');

const HEADER = 'order_id,ordered,shipped_at,region,units,price,express,discount,batch';
const REGIONS = ['North', 'South', 'East', 'West'];

/** A clean order log larger than the head the plan is read from; `late` lines are written near its end. */
function orderLog(late: string[] = [], tail: string[] = []): string {
  const lines = [HEADER];
  let x = 7;
  const next = () => {
    x = (x * 48271) % 2147483647;
    return x / 2147483647;
  };
  const rows = 9_000;
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 30) * 86_400_000);
    const date = day.toISOString().slice(0, 10);
    const time = `${date}T${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
    lines.push(
      [
        `SO${100000 + i}`,
        date,
        time,
        REGIONS[i % 4],
        1 + Math.floor(next() * 9),
        (5 + next() * 95).toFixed(2),
        next() < 0.3 ? 'yes' : 'no',
        `${Math.floor(next() * 30)}%`,
        `2024/${String(1 + (i % 12)).padStart(2, '0')}/01`,
      ].join(','),
    );
    if (i === rows - 500) lines.push(...late);
  }
  lines.push(...tail);
  return `${lines.join('\n')}\n`;
}

/** Reads `content` both ways and returns both readings and tables. */
async function readBothWays(content: string) {
  const file = scratch.write(content);
  const connection = scratch.database.connection;
  const quick = await readCsv(connection, file, { tableName: 'quick', typedLoadBytes: 0 });
  const careful = await readCsv(connection, file, { tableName: 'careful', typedLoadBytes: Number.POSITIVE_INFINITY });
  const rows = async (table: string) =>
    queryRows(connection, `SELECT * FROM ${table}`).then((all) => all.map((row) => JSON.stringify(row)));
  return { quick, careful, quickRows: await rows('quick'), carefulRows: await rows('careful') };
}

/** Plans from the head, loads, and confirms, as `readCsv` does; null when the careful reading is needed. */
async function typedLoad(content: string) {
  const file = scratch.write(content);
  const connection = scratch.database.connection;
  const fieldCount = HEADER.split(',').length;
  const layout = { delimiter: ',' as const, quote: '"' as const, escape: '"' as const, fieldCount, skipLines: 0 };
  const plan = await planTypedLoad(connection, file, layout, { headRaw: 'head_raw', headTyped: 'head_typed' });
  if (!plan) return { plan, columns: null };
  // The reader refuses a cell its type cannot read: readCsv then reads the careful way.
  const rows = await loadRawTable(connection, file, layout, 'typed_load', plan.load).catch(() => -1);
  if (rows < 0) return { plan, columns: null };
  const names = Array.from({ length: fieldCount }, (_, index) => `col ${rawColumnName(index)}`);
  return { plan, columns: await confirmTypedLoad(connection, 'typed_load', plan, names, rows) };
}

describe('typed load of a large clean file', () => {
  it('is larger than the head, so readCsv plans from the head alone', () => {
    expect(orderLog().length).toBeGreaterThan(2 * HEAD_BYTES);
  });

  it('reads the file in one typed pass: reader types for numbers and ISO dates, conversions for the rest', async () => {
    const { plan, columns } = await typedLoad(orderLog());
    expect(plan?.load).toMatchObject({
      // One date format for the reader (the first column's); the other date column is converted.
      types: ['VARCHAR', 'DATE', 'TIMESTAMP', 'VARCHAR', 'DOUBLE', 'DOUBLE', 'VARCHAR', 'VARCHAR', 'VARCHAR'],
      dateFormat: '%Y-%m-%d',
      timestampFormat: '%Y-%m-%dT%H:%M:%SZ',
    });
    expect(columns?.map((column) => column.parse.type)).toEqual([
      'text',
      'date',
      'datetime',
      'text',
      'integer',
      'number',
      'boolean',
      'integer',
      'date',
    ]);
  });

  it('makes the very table and reading of the careful way', async () => {
    const { quick, careful, quickRows, carefulRows } = await readBothWays(orderLog());
    expect(quick).toEqual(careful);
    expect(quickRows).toEqual(carefulRows);
    expect(quickRows[0]).toBe(
      JSON.stringify({
        order_id: 'SO100000',
        ordered: '2024-01-01',
        shipped_at: '2024-01-01T08:00:00',
        region: 'North',
        units: 1,
        price: 61.55,
        express: true,
        discount: 7,
        batch: '2024-01-01',
      }),
    );
  });
});

// Each of these is clean in the head and off further down: the typed load must hand over to the
// careful reading, which then reads the file exactly as it always did.
const LATE_TROUBLE: [string, string[], string[]][] = [
  ['a null marker in a number column', ['SO9,2024-02-01,2024-02-01T08:00:00Z,North,n/a,10.00,no,5%,2024/01/01'], []],
  ['NaN in a number column', ['SO9,2024-02-01,2024-02-01T08:00:00Z,North,3,NaN,no,5%,2024/01/01'], []],
  ['an unreadable number', ['SO9,2024-02-01,2024-02-01T08:00:00Z,North,3,12x,no,5%,2024/01/01'], []],
  ['a date with a time', ['SO9,2024-02-01 10:00:00,2024-02-01T08:00:00Z,North,3,1.00,no,5%,2024/01/01'], []],
  ["DuckDB's 'infinity' as a date", ['SO9,infinity,2024-02-01T08:00:00Z,North,3,1.00,no,5%,2024/01/01'], []],
  ['a padded text cell', ['SO9,2024-02-01,2024-02-01T08:00:00Z, North ,3,1.00,no,5%,2024/01/01'], []],
  [
    'text padded with a no-break space',
    ['SO9,2024-02-01,2024-02-01T08:00:00Z,North\u00a0,3,1.00,no,5%,2024/01/01'],
    [],
  ],
  ['NA in a text column', ['SO9,2024-02-01,2024-02-01T08:00:00Z,NA,3,1.00,no,5%,2024/01/01'], []],
  ['a boolean spelled otherwise', ['SO9,2024-02-01,2024-02-01T08:00:00Z,North,3,1.00,maybe,5%,2024/01/01'], []],
  ['a blank row', [',,,,,,,,'], []],
  ['a totals row at the end', [], [',,,Total,45000,,,,']],
  ['a note at the end', [], ['Source: internal order system; December provisional,,,,,,,,']],
];

describe('typed load hands over to the careful reading', () => {
  for (const [what, late, tail] of LATE_TROUBLE) {
    it(`on ${what} below the head`, async () => {
      const content = orderLog(late, tail);
      const { plan, columns } = await typedLoad(content);
      expect(plan).not.toBeNull();
      expect(columns).toBeNull();
      const { quick, careful, quickRows, carefulRows } = await readBothWays(content);
      expect(quick).toEqual(careful);
      expect(quickRows).toEqual(carefulRows);
    });
  }

  it('when the head already shows a column that needs care (day-first dates, markers)', async () => {
    const dayFirst = orderLog().replaceAll(/(\d{4})\/(\d{2})\/01/g, '13/$2/$1');
    expect((await typedLoad(dayFirst)).plan).toBeNull();
    const markers = orderLog().replace(/\n(SO100001,[^,]*,[^,]*,[^,]*),\d+,/, '\n$1,-,');
    expect((await typedLoad(markers)).plan).toBeNull();
    for (const content of [dayFirst, markers]) {
      const { quick, careful, quickRows, carefulRows } = await readBothWays(content);
      expect(quick).toEqual(careful);
      expect(quickRows).toEqual(carefulRows);
    }
  });

  it('but not on an empty quoted text cell: both read it as missing', async () => {
    const content = orderLog(['SO9,2024-02-01,2024-02-01T08:00:00Z,"",3,1.00,no,5%,2024/01/01']);
    expect((await typedLoad(content)).columns?.[3]?.emptyCount).toBe(1);
    const { quick, careful, quickRows, carefulRows } = await readBothWays(content);
    expect(quick).toEqual(careful);
    expect(quickRows).toEqual(carefulRows);
  });

  it('reads bounds written for values ("10+") the same way, in the head or only below it', async () => {
    const topCoded = orderLog().replaceAll(/(\n(?:[^,\n]*,){4})9,/g, '$110+,');
    expect((await typedLoad(topCoded)).columns?.[4]).toMatchObject({ bounded: { example: '10+' } });
    const late = Array.from(
      { length: 40 },
      (_, i) => `SO9${i},2024-02-01,2024-02-01T08:00:00Z,North,10+,1.00,no,5%,2024/01/01`,
    );
    for (const content of [topCoded, orderLog(late)]) {
      const { quick, careful, quickRows, carefulRows } = await readBothWays(content);
      expect(quick).toEqual(careful);
      expect(quickRows).toEqual(carefulRows);
      expect(quick.warnings.map((warning) => warning.code)).toContain('bounded_values');
    }
  });

  it('when a sentinel code appears only below the head, it is found on the whole column either way', async () => {
    const late = Array.from(
      { length: 40 },
      (_, i) => `SO9${i},2024-02-01,2024-02-01T08:00:00Z,North,3,-999,no,5%,2024/01/01`,
    );
    const { quick, careful, quickRows, carefulRows } = await readBothWays(orderLog(late));
    expect(quick).toEqual(careful);
    expect(quickRows).toEqual(carefulRows);
  });
});
