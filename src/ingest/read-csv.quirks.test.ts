import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, type Row } from '../db/duckdb.ts';
import { type ReadCsvOptions, readCsv } from './read-csv.ts';
import { ingestScratch } from './test-scratch.ts';
import type { ColumnInfo, CsvReading } from './types.ts';

const scratch = ingestScratch('quirks');

/** Writes `content` to a fresh file, reads it into table `t`, and returns the reading and all rows. */
async function load(
  content: string | Buffer,
  options: Partial<ReadCsvOptions> = {},
): Promise<{ reading: CsvReading; rows: Row[] }> {
  const filePath = scratch.write(content);
  const reading = await readCsv(scratch.database.connection, filePath, { tableName: 't', ...options });
  const rows = await queryRows(scratch.database.connection, 'SELECT * FROM t');
  return { reading, rows };
}

function column(reading: CsvReading, name: string): ColumnInfo {
  const found = reading.columns.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

const codes = (reading: CsvReading) => reading.warnings.map((warning) => warning.code);
const columnOf = (rows: Row[], name: string) => rows.map((row) => row[name]);

describe('readCsv encodings and dialects', () => {
  it('strips a UTF-8 byte order mark from the first header', async () => {
    const { reading, rows } = await load('\uFEFFcity,value\nBerlin,1\nParis,2\n');
    expect(reading.format).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(reading.columns.map((info) => info.name)).toEqual(['city', 'value']);
    expect(columnOf(rows, 'city')).toEqual(['Berlin', 'Paris']);
  });

  it('reads a file that is not UTF-8 as windows-1252 (Zürich, €, curly quotes)', async () => {
    const bytes = Buffer.concat([
      Buffer.from('city;note\nZ'),
      Buffer.from([0xfc]),
      Buffer.from('rich;'),
      Buffer.from([0x80, 0x20, 0x93]),
      Buffer.from('ok'),
      Buffer.from([0x94]),
      Buffer.from('\nS'),
      Buffer.from([0xe3]),
      Buffer.from('o Paulo;plain\n'),
    ]);
    const { reading, rows } = await load(bytes);
    expect(reading.format.encoding).toBe('windows-1252');
    expect(codes(reading)).toContain('encoding_guessed');
    expect(rows).toEqual([
      { city: 'Zürich', note: '€ “ok”' },
      { city: 'São Paulo', note: 'plain' },
    ]);
  });

  it.each([
    ['semicolon', ';'],
    ['tab', '\t'],
    ['pipe', '|'],
  ] as const)('detects the %s delimiter', async (_, delimiter) => {
    const { reading, rows } = await load(`name${delimiter}score\nann${delimiter}1.5\nbob${delimiter}2\n`);
    expect(reading.format.delimiter).toBe(delimiter);
    expect(rows).toEqual([
      { name: 'ann', score: 1.5 },
      { name: 'bob', score: 2 },
    ]);
  });

  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r'],
    ['LF', '\n'],
  ] as const)('reads %s line endings', async (lineEnding, newline) => {
    const { reading, rows } = await load(['a,b', '1,x', '2,y', ''].join(newline));
    expect(reading.format.lineEnding).toBe(lineEnding);
    expect(rows).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });

  it('reads a file that mixes LF and CRLF line endings', async () => {
    const { rows } = await load('a,b\r\n1,2\n3,4\r\n5,"x\ny"\n');
    expect(rows).toEqual([
      { a: 1, b: '2' },
      { a: 3, b: '4' },
      { a: 5, b: 'x\ny' },
    ]);
  });

  it('counts a quoted field with line breaks as one record', async () => {
    const { reading, rows } = await load('id,note\n1,"line one\nline two"\n2,plain\n3,"a ""quoted"" word"\n');
    expect(reading.rowCount).toBe(3);
    expect(columnOf(rows, 'note')).toEqual(['line one\nline two', 'plain', 'a "quoted" word']);
  });

  it('accepts a delimiter at the end of every line', async () => {
    const { reading, rows } = await load('a,b,c,\n1,2,3,\n4,5,6,\n');
    expect(reading.columns.map((info) => info.name)).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([
      { a: 1, b: 2, c: 3 },
      { a: 4, b: 5, c: 6 },
    ]);
  });

  it('skips a report title and notes above the table, and says so', async () => {
    const { reading, rows } = await load(
      'Sales report\nRegion: all, currency: EUR\n\nregion,month,revenue\nNorth,2024-01,10\nSouth,2024-01,12\nNorth,2024-02,11\n',
    );
    expect(reading.format.skipLines).toBe(3);
    expect(reading.columns.map((column) => column.name)).toEqual(['region', 'month', 'revenue']);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual({ region: 'South', month: '2024-01-01', revenue: 12 });
    expect(reading.warnings[0]).toMatchObject({ code: 'skipped_lines' });
    expect(reading.warnings[0]!.message).toMatch(/3 lines above the table \("Sales report"\).*header is line 4/);
  });

  it('skips a title above a table larger than the first read', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i},item ${i % 7},${(i % 13) * 1.5}`);
    const { reading, rows } = await load(`Exported from the shop\nid,item,price\n${lines.join('\n')}\n`);
    expect(reading.format.skipLines).toBe(1);
    expect(reading.rowCount).toBe(30_000);
    expect(rows[29_999]).toEqual({ id: 29_999, item: 'item 4', price: 12 });
  });

  it('skips two title lines padded to the width of the table, and a note written below it', async () => {
    const rows = Array.from(
      { length: 24 },
      (_, i) =>
        `01.${String((i % 12) + 1).padStart(2, '0')}.202${3 + Math.floor(i / 12)};Nord;1.${100 + i},50;${300 + i};${20 + (i % 9)}`,
    );
    const { reading } = await load(
      `Monatsbericht Vertrieb;;;;\nExport vom 15.01.2025 08:12, Mandant 100;;;;\nMonat;Region;Umsatz;Bestellungen;NPS\n${rows.join('\n')}\n;;;;\nHinweis: vorläufige Zahlen, Quelle SAP;;;;\n`,
    );
    expect(reading.columns.map((column) => [column.name, column.type])).toEqual([
      ['Monat', 'date'],
      ['Region', 'text'],
      ['Umsatz', 'number'],
      ['Bestellungen', 'integer'],
      ['NPS', 'integer'],
    ]);
    expect(reading.format).toMatchObject({ skipLines: 2, totalsRows: { first: 0, last: 1 } });
    expect(reading.rowCount).toBe(24);
    expect(reading.columns[0]!.invalidCount).toBe(0);
    expect(reading.warnings.map((warning) => warning.message)).toContain(
      '1 line below the table ("Hinweis: vorläufige Zahlen, Quelle SAP") is a note, not data, and was skipped.',
    );
  });

  it('skips a title as a spreadsheet writes it, and leaves out rows with every cell empty', async () => {
    const { reading, rows } = await load(
      'Sales report,,\n,,\nregion,month,revenue\nNorth,2024-01,10\n,,\nSouth,2024-01,12\n,,\n,,\n',
    );
    expect(reading.format).toMatchObject({ skipLines: 2, emptyRows: 3 });
    expect(reading.rowCount).toBe(2);
    expect(rows.map((row) => row.region)).toEqual(['North', 'South']);
    expect(reading.warnings.map((warning) => warning.message)).toEqual([
      '2 lines above the table ("Sales report") were not data and were skipped: the header is line 3.',
      '3 rows have every cell empty and were left out.',
    ]);
  });

  it('skips a total or a note below the table, and says so', async () => {
    const { reading, rows } = await load('shop,amount\nNorth,10\nSouth,12\nEast,9\n\nTotal: 31\nExported 2024-05-01\n');
    expect(reading.rowCount).toBe(3);
    expect(reading.format.footerLines).toBe(2);
    expect(rows.at(-1)).toEqual({ shop: 'East', amount: 9 });
    expect(reading.warnings[0]!.message).toMatch(/2 lines below the table, from line 6, have fewer fields/);
  });

  it('skips a footer below a table larger than the first read, but not a short row inside the table', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i},item ${i % 7}`);
    const { reading } = await load(`id,item\n${lines.join('\n')}\nRows: 30000\n`);
    expect(reading.rowCount).toBe(30_000);
    const inside = [...lines.slice(0, 10), 'oops', ...lines.slice(10, 20)];
    await expect(load(`id,item\n${inside.join('\n')}\n`)).rejects.toThrow(/line 12 has 1 field, but the header has 2/);
  });

  it('skips blank lines before the header', async () => {
    const { reading, rows } = await load('\n\na,b\n1,2\n\n3,4\n');
    expect(reading.format.skipLines).toBe(2);
    expect(rows).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
  });

  it('allows one column of values without a delimiter', async () => {
    const { reading, rows } = await load('amount\n1\n2\n\n3\n');
    expect(reading.columns).toHaveLength(1);
    expect(reading.rowCount).toBe(4);
    expect(columnOf(rows, 'amount')).toEqual([1, 2, null, 3]);
  });

  it('reads single-quoted fields in a file that never uses double quotes', async () => {
    const { reading, rows } = await load("id,city\n1,'Hong Kong, China'\n2,'Paris'\n");
    expect(reading.format.quote).toBe("'");
    expect(columnOf(rows, 'city')).toEqual(['Hong Kong, China', 'Paris']);
  });

  it('reads backslash-escaped quotes', async () => {
    const { reading, rows } = await load('id,quote\n1,"she said \\"hi\\""\n2,plain\n');
    expect(reading.format.escape).toBe('\\');
    expect(columnOf(rows, 'quote')).toEqual(['she said "hi"', 'plain']);
  });

  it('keeps a column whose header is blank but whose cells are not', async () => {
    const { reading, rows } = await load('a,b,\n1,2,3\n4,5,\n');
    expect(reading.columns.map((info) => info.name)).toEqual(['a', 'b', 'column_3']);
    expect(columnOf(rows, 'column_3')).toEqual([3, null]);
  });

  it('reads a file whose name DuckDB would expand as a glob', async () => {
    const filePath = path.join(scratch.directory, 'sales*[2024].csv');
    writeFileSync(filePath, 'a\n1\n2\n');
    writeFileSync(path.join(scratch.directory, 'sales-other[2024].csv'), 'a\n7\n');
    const reading = await readCsv(scratch.database.connection, filePath, { tableName: 't' });
    expect(reading.rowCount).toBe(2);
    expect(await queryRows(scratch.database.connection, 'SELECT * FROM t')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('keeps row order and trims cells', async () => {
    const lines = Array.from({ length: 3000 }, (_, index) => `${3000 - index},  item ${index}  `);
    const { rows } = await load(`n,label\n${lines.join('\n')}\n`);
    expect(rows[0]).toEqual({ n: 3000, label: 'item 0' });
    expect(rows[2999]).toEqual({ n: 1, label: 'item 2999' });
  });
});

describe('readCsv numbers', () => {
  it('reads quoted "1,234" as thousands in a comma-delimited file', async () => {
    const { reading, rows } = await load('id,amount\n1,"1,234"\n2,"12,345,678"\n3,999\n');
    expect(column(reading, 'amount')).toMatchObject({ type: 'integer', parse: { thousands: ',', decimal: '.' } });
    expect(columnOf(rows, 'amount')).toEqual([1234, 12345678, 999]);
    expect(reading.format).toMatchObject({ decimal: '.', thousands: ',' });
  });

  it('reads a decimal comma next to a semicolon delimiter', async () => {
    const { reading, rows } = await load('id;price\n1;12,50\n2;3,75\n3;1000\n');
    expect(column(reading, 'price')).toMatchObject({ type: 'number', parse: { decimal: ',' } });
    expect(columnOf(rows, 'price')).toEqual([12.5, 3.75, 1000]);
    expect(reading.format.decimal).toBe(',');
  });

  it('reads European numbers (1.234,56 and 1 234,56)', async () => {
    const { reading, rows } = await load('id;a;b\n1;1.234,56;1 234,5\n2;12,5;12\n3;1.000.000,00;1 000 000\n');
    expect(column(reading, 'a').parse).toMatchObject({ decimal: ',', thousands: '.' });
    expect(column(reading, 'b').parse).toMatchObject({ decimal: ',', thousands: ' ' });
    expect(columnOf(rows, 'a')).toEqual([1234.56, 12.5, 1000000]);
    expect(columnOf(rows, 'b')).toEqual([1234.5, 12, 1000000]);
  });

  it('strips currency symbols and codes before or after the number', async () => {
    const { reading, rows } = await load(
      'id;usd;eur;code\n1;$1,234.50;12,50 €;EUR 10\n2;$99.00;3,00 €;EUR 7.5\n3;-$5.25;1.234,00 €;EUR 0\n',
    );
    expect(column(reading, 'usd').parse).toMatchObject({ currency: '$', thousands: ',', decimal: '.' });
    expect(column(reading, 'eur').parse).toMatchObject({ currency: '€', decimal: ',' });
    expect(column(reading, 'code').parse).toMatchObject({ currency: 'EUR' });
    expect(columnOf(rows, 'usd')).toEqual([1234.5, 99, -5.25]);
    expect(columnOf(rows, 'eur')).toEqual([12.5, 3, 1234]);
    expect(columnOf(rows, 'code')).toEqual([10, 7.5, 0]);
  });

  it('keeps the number written before a percent sign', async () => {
    const { reading, rows } = await load('id,rate\n1,45%\n2,12.5%\n3,-3%\n');
    expect(column(reading, 'rate')).toMatchObject({ type: 'number', parse: { percent: true } });
    expect(columnOf(rows, 'rate')).toEqual([45, 12.5, -3]);
  });

  it('reads signs, scientific notation and accounting negatives', async () => {
    const { rows, reading } = await load('id,x,y\n1,+5,(123)\n2,1.5e3,1 000\n3,-2E-2,(4.5)\n');
    expect(columnOf(rows, 'x')).toEqual([5, 1500, -0.02]);
    expect(column(reading, 'y').parse.negativeParentheses).toBe(true);
    expect(columnOf(rows, 'y')).toEqual([-123, 1000, -4.5]);
  });

  it('treats N/A, -, null and empty cells as missing in a numeric column', async () => {
    const { reading, rows } = await load('id,x\n1,5\n2,N/A\n3,-\n4,null\n5,7.5\n6,\n');
    const x = column(reading, 'x');
    expect(x).toMatchObject({ type: 'number', nullCount: 4, invalidCount: 0 });
    expect(x.parse.nullMarkers).toEqual(['-', 'N/A', 'null']);
    expect(reading.format.nullMarkers).toEqual(['-', 'N/A', 'null']);
    expect(columnOf(rows, 'x')).toEqual([5, null, null, null, 7.5, null]);
    expect(reading.warnings).toContainEqual(expect.objectContaining({ code: 'missing_values', column: 'x' }));
  });

  it('treats the World Bank’s ".." and Eurostat’s ":" as missing', async () => {
    const { reading, rows } = await load('country,year,internet\nA,2019,..\nA,2020,12.5\nB,2019,:\nB,2020,40.1\n');
    expect(column(reading, 'internet')).toMatchObject({ type: 'number', nullCount: 2, invalidCount: 0 });
    expect(columnOf(rows, 'internet')).toEqual([null, 12.5, null, 40.1]);
  });

  it('reads a late unreadable cell as missing with a warning instead of failing', async () => {
    const lines = Array.from(
      { length: 10_000 },
      (_, index) => `${index + 1},${index === 4999 ? 'oops' : (index + 1) * 1.5}`,
    );
    const { reading, rows } = await load(`id,amount\n${lines.join('\n')}\n`);
    const amount = column(reading, 'amount');
    expect(amount).toMatchObject({ type: 'number', invalidCount: 1, nullCount: 1 });
    expect(rows[4999]?.amount).toBeNull();
    expect(rows[5000]?.amount).toBe(7501.5);
    const warning = reading.warnings.find((candidate) => candidate.code === 'invalid_values');
    expect(warning?.message).toContain('amount');
    expect(warning?.message).toContain('"oops"');
  });

  it('falls back to text when more than 5% of the cells are not numbers', async () => {
    const { reading } = await load('code\n1\n2\n3\nA4\nB5\n6\n7\n8\n9\n10\n');
    expect(column(reading, 'code').type).toBe('text');
  });

  it('falls back to text when the sample looks numeric but the whole column is not', async () => {
    // 7% of the cells are codes: enough for the sample's 90% bar, not for the whole column's 95%.
    const cells = Array.from({ length: 100 }, (_, index) => (index % 14 === 5 ? `X${index}` : String(index)));
    const { reading, rows } = await load(`code\n${cells.join('\n')}\n`);
    expect(column(reading, 'code')).toMatchObject({ type: 'text', invalidCount: 0, nullCount: 0 });
    expect(rows[5]?.code).toBe('X5');
    expect(codes(reading)).not.toContain('invalid_values');
  });

  it('keeps 0/1 columns and four-digit years numeric', async () => {
    const { reading } = await load('flag,year\n0,1955\n1,1960\n1,1965\n');
    expect(column(reading, 'flag').type).toBe('integer');
    expect(column(reading, 'year').type).toBe('integer');
  });
});

describe('readCsv negatives written after the number', () => {
  it('reads a trailing minus (SAP style) beside parentheses and plain values', async () => {
    const { reading, rows } = await load(
      'store;returns\nBerlin;464,13-\nKöln;1.200,00-\nBonn;0,00\nEssen;(1.720,89)\nUlm;12,50\n',
    );
    expect(reading.columns[1]).toMatchObject({ type: 'number', invalidCount: 0 });
    expect(reading.columns[1]!.parse).toMatchObject({
      decimal: ',',
      negativeTrailing: true,
      negativeParentheses: true,
    });
    expect(rows.map((row) => row.returns)).toEqual([-464.13, -1200, 0, -1720.89, 12.5]);
  });
});

describe('readCsv units', () => {
  it('reads numbers written with a unit (12 kg, 25 °C) as numbers, and keeps the unit', async () => {
    const { reading, rows } = await load(
      'item,weight,temp\nA,12 kg,21.5 °C\nB,13.5kg,22 °C\nC,9 KG,19.0 °C\nD,1.2 kg,25.1 °C\n',
    );
    expect(column(reading, 'weight')).toMatchObject({ type: 'number', invalidCount: 0 });
    expect(column(reading, 'weight').parse.unit).toBe('kg');
    expect(columnOf(rows, 'weight')).toEqual([12, 13.5, 9, 1.2]);
    expect(column(reading, 'temp').parse.unit).toBe('°C');
    expect(columnOf(rows, 'temp')).toEqual([21.5, 22, 19, 25.1]);
  });

  it('never reads 12m or 5k as a unit (a million, a thousand), and units of different quantities stay text', async () => {
    const { reading } = await load('deal,value,reading\nA,12m,12 kg\nB,5m,21 °C\nC,3m,14 kg\nD,8m,19 °C\n');
    expect(column(reading, 'value').type).toBe('text');
    expect(column(reading, 'reading').type).toBe('text');
  });

  it('converts units of the same quantity to the most common one, and says so', async () => {
    const { reading, rows } = await load(
      'item,weight,size\nA,12 kg,128 GB\nB,500 g,256 GB\nC,3.5 KG,1 TB\nD,8 kg,64 GB\nE,2 kg,512 GB\n',
    );
    expect(column(reading, 'weight').parse).toMatchObject({ unit: 'kg', unitFactors: { g: 0.001 } });
    expect(rows.map((row) => row.weight)).toEqual([12, 0.5, 3.5, 8, 2]);
    expect(column(reading, 'size').parse).toMatchObject({ unit: 'GB', unitFactors: { tb: 1000 } });
    expect(rows.map((row) => row.size)).toEqual([128, 256, 1000, 64, 512]);
    expect(reading.warnings).toContainEqual({
      code: 'converted_units',
      column: 'weight',
      message: 'weight: values are written in kg and g; those in g were converted to kg (1 g = 0.001 kg).',
    });
  });
});

describe('readCsv sentinels', () => {
  it('reads repeated far-out -999 codes as missing', async () => {
    const values = Array.from({ length: 200 }, (_, index) => (index % 50 === 7 ? '-999' : String(50 + (index % 9))));
    const { reading, rows } = await load(`humidity\n${values.join('\n')}\n`);
    const humidity = column(reading, 'humidity');
    expect(humidity.parse.sentinels).toEqual([-999]);
    expect(humidity.nullCount).toBe(4);
    expect(rows.some((row) => row.humidity === -999)).toBe(false);
    expect(reading.warnings).toContainEqual({
      code: 'sentinel_values',
      column: 'humidity',
      message: 'humidity: 4 cells hold -999, read as missing values.',
    });
  });

  it('reads -1 in a count that is otherwise never below zero as missing, however near the counts it lies', async () => {
    const tickets = Array.from({ length: 100 }, (_, index) => (index % 20 === 3 ? '-1' : String(index % 4)));
    const score = Array.from({ length: 100 }, (_, index) => (index % 20 === 3 ? '-1' : (index % 4) + 0.5));
    const { reading } = await load(`tickets,score\n${tickets.map((t, i) => `${t},${score[i]}`).join('\n')}\n`);
    expect(column(reading, 'tickets').parse.sentinels).toEqual([-1]);
    expect(column(reading, 'tickets').nullCount).toBe(5);
    // Not in a column of fractions, where -1 may be a value of its own.
    expect(column(reading, 'score').parse.sentinels).toBeUndefined();
  });

  it('keeps codes that are ordinary values of the column', async () => {
    const balance = Array.from({ length: 100 }, (_, index) => String((index % 7) - 3)); // -3…3, -1 is common
    const price = Array.from({ length: 100 }, (_, index) => String(index * 150)); // 0…14850: 9999 is in range
    price[10] = '9999';
    price[20] = '9999';
    const { reading } = await load(`balance,price\n${balance.map((b, i) => `${b},${price[i]}`).join('\n')}\n`);
    expect(column(reading, 'balance').parse.sentinels).toBeUndefined();
    expect(column(reading, 'price').parse.sentinels).toBeUndefined();
    expect(codes(reading)).not.toContain('sentinel_values');
  });
});

describe('readCsv bounds written for values', () => {
  it('reads top-coded "90+" and suppressed "<0.5" as their bounds, keeps the columns numeric, and says so', async () => {
    // One age in twelve is top-coded: too many to set aside as unreadable without losing the column.
    const lines = Array.from(
      { length: 120 },
      (_, i) => `${i % 12 === 0 ? '90+' : 30 + (i % 50)},${i % 20 === 3 ? '<0.5' : (1 + (i % 7) / 10).toFixed(1)}`,
    );
    const { reading, rows } = await load(`age,lab\n${lines.join('\n')}\n`);
    expect(column(reading, 'age')).toMatchObject({
      type: 'integer',
      nullCount: 0,
      bounded: { count: 10, example: '90+' },
    });
    expect(column(reading, 'lab')).toMatchObject({
      type: 'number',
      nullCount: 0,
      bounded: { count: 6, example: '<0.5' },
    });
    expect(rows[0]).toEqual({ age: 90, lab: 1 });
    expect(rows[3]!.lab).toBe(0.5);
    expect(reading.warnings).toContainEqual({
      code: 'bounded_values',
      column: 'age',
      message:
        'age: 10 cells are written as a bound (like "90+") rather than a value; each is read as the bound itself, so high values of this column are understated.',
    });
    expect(reading.warnings.find((warning) => warning.column === 'lab')?.message).toContain(
      'low values of this column are overstated',
    );
  });

  it('leaves age bands as text', async () => {
    const bands = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'];
    const { reading } = await load(`band\n${Array.from({ length: 60 }, (_, i) => bands[i % 6]).join('\n')}\n`);
    expect(column(reading, 'band')).toMatchObject({ type: 'text' });
    expect(codes(reading)).not.toContain('bounded_values');
  });
});

describe('readCsv dates and booleans', () => {
  it('reads dates written after their weekday (Mon 2024-03-04)', async () => {
    const { reading, rows } = await load('day,installs\nMon 2024-03-04,5\nTue 2024-03-05,7\nSun 2024-03-10,2\n');
    expect(column(reading, 'day').type).toBe('date');
    expect(columnOf(rows, 'day')).toEqual(['2024-03-04', '2024-03-05', '2024-03-10']);
  });

  it('reads several date formats in one column', async () => {
    const { reading, rows } = await load(
      'id,when\n1,2024-01-05\n2,05/01/2024\n3,Jan 7 2024\n4,2024/01/08\n5,13/01/2024\n6,9 Feb 2024\n',
    );
    const when = column(reading, 'when');
    expect(when.type).toBe('date');
    expect(when.parse.dateFormats).toEqual(
      expect.arrayContaining(['%Y-%m-%d', '%d/%m/%Y', '%b %d %Y', '%Y/%m/%d', '%d %b %Y']),
    );
    expect(columnOf(rows, 'when')).toEqual([
      '2024-01-05',
      '2024-01-05',
      '2024-01-07',
      '2024-01-08',
      '2024-01-13',
      '2024-02-09',
    ]);
    expect(reading.format.dateFormats.when).toEqual(when.parse.dateFormats);
  });

  it('reads ISO weeks (2024-W01, 2025W01) as the Monday of the week', async () => {
    const { reading, rows } = await load(
      'week,orders\n2024-W01,10\n2024-W02,12\n2024-W52,9\n2025-W01,14\n2020-W53,3\n',
    );
    expect(reading.format.dateFormats.week).toEqual(['%Y-W%V']);
    // As Python's date.fromisocalendar(year, week, 1).
    expect(columnOf(rows, 'week')).toEqual(['2024-01-01', '2024-01-08', '2024-12-23', '2024-12-30', '2020-12-28']);
    const compact = await load('wk,n\n2024W10,1\n2024W11,2\n2024W12,3\n');
    expect(columnOf(compact.rows, 'wk')).toEqual(['2024-03-04', '2024-03-11', '2024-03-18']);
  });

  it('reads a spreadsheet month ("Jan-24") as that month, not as a day without a year', async () => {
    const { reading, rows } = await load('month,sales\nJan-23,10\nFeb-23,12\nDec-68,1\nJan-69,2\n');
    expect(reading.format.dateFormats.month).toEqual(['%b-%y']);
    expect(columnOf(rows, 'month')).toEqual(['2023-01-01', '2023-02-01', '2068-12-01', '1969-01-01']);
  });

  it('reads quarters (2024-Q1, Q3 2024, 2024q2) as the first day of the quarter', async () => {
    const dashed = await load('quarter,sales\n2023-Q4,10\n2024-Q1,12\n2024-q2,13\n2024-Q3,15\n');
    expect(column(dashed.reading, 'quarter')).toMatchObject({ type: 'date', invalidCount: 0 });
    expect(dashed.reading.format.dateFormats.quarter).toEqual(['%Y-Q%q']);
    expect(columnOf(dashed.rows, 'quarter')).toEqual(['2023-10-01', '2024-01-01', '2024-04-01', '2024-07-01']);
    const spaced = await load('period,units\nQ1 2024,5\nQ2 2024,6\nQ3 2024,7\nQ4 2024,8\nQ1 2025,9\n');
    expect(spaced.reading.format.dateFormats.period).toEqual(['Q%q %Y']);
    expect(columnOf(spaced.rows, 'period')).toEqual([
      '2024-01-01',
      '2024-04-01',
      '2024-07-01',
      '2024-10-01',
      '2025-01-01',
    ]);
    const compact = await load('q,units\n2024Q1,5\n2024Q2,6\n2024Q3,7\n2024Q4,8\n');
    expect(columnOf(compact.rows, 'q')).toEqual(['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01']);
  });

  it('reads fiscal and split years (FY2024, 2023/24, 2015-16) as years, and says how', async () => {
    const seasons = await load('season,points\n2010-11,50\n2011-12,55\n2012-13,58\n2013-14,61\n');
    expect(column(seasons.reading, 'season')).toMatchObject({ type: 'date', invalidCount: 0 });
    expect(columnOf(seasons.rows, 'season')).toEqual(['2010-01-01', '2011-01-01', '2012-01-01', '2013-01-01']);
    expect(seasons.reading.warnings).toContainEqual({
      code: 'year_periods',
      message:
        'season: values like "2023-24" run into the next year; each is read as the year it starts in (2023-24 as 2023) and named as written.',
      column: 'season',
    });
    const fiscal = await load('year,budget\nFY2019,100\nFY2020,110\nfy2021,125\nFY2022,130\n');
    expect(columnOf(fiscal.rows, 'year')).toEqual(['2019-01-01', '2020-01-01', '2021-01-01', '2022-01-01']);
    // A second part that is not the next year is a cell we could not read.
    const years = Array.from({ length: 40 }, (_, i) => `${1980 + i}/${String((81 + i) % 100).padStart(2, '0')}`);
    years[38] = 'FY 2018-19';
    years[39] = '2019/21';
    const mixed = await load(`year,spend\n${years.map((year, i) => `${year},${10 + i}`).join('\n')}\n`);
    expect(columnOf(mixed.rows, 'year').slice(37)).toEqual(['2017-01-01', '2018-01-01', null]);
    expect(column(mixed.reading, 'year')).toMatchObject({ type: 'date', invalidCount: 1 });
    // 2011-12 is December 2011 in a column of months.
    const months = await load('month,sales\n2011-11,5\n2011-12,6\n2012-01,7\n');
    expect(columnOf(months.rows, 'month')).toEqual(['2011-11-01', '2011-12-01', '2012-01-01']);
    expect(months.reading.warnings).toEqual([]);
  });

  it("never reads DuckDB's special words (infinity, epoch) as a date: they are cells it could not read", async () => {
    const dates = Array.from({ length: 100 }, (_, day) => `2024-02-${String((day % 28) + 1).padStart(2, '0')}`);
    dates[7] = 'infinity';
    dates[11] = ' Epoch ';
    dates[19] = '-infinity';
    const { reading, rows } = await load(`when,value\n${dates.map((date, i) => `${date},${i}`).join('\n')}\n`);
    expect(column(reading, 'when')).toMatchObject({ type: 'date', invalidCount: 3 });
    const read = columnOf(rows, 'when');
    expect([read[7], read[11], read[19]]).toEqual([null, null, null]);
    expect(read.filter((value) => value !== null).every((value) => String(value).startsWith('2024-02-'))).toBe(true);
  });

  it('warns when slash dates could be day-first or month-first, and reads them day-first', async () => {
    const { reading, rows } = await load('id,when\n1,01/05/2024\n2,02/06/2024\n3,03/07/2024\n');
    expect(column(reading, 'when').parse.dateFormats).toEqual(['%d/%m/%Y']);
    expect(columnOf(rows, 'when')).toEqual(['2024-05-01', '2024-06-02', '2024-07-03']);
    const warning = reading.warnings.find((candidate) => candidate.code === 'ambiguous_dates');
    expect(warning?.message).toContain('day first');
    expect(warning?.column).toBe('when');
  });

  it('reads unproven slash dates month-first when only that keeps the rows in date order', async () => {
    // Jan 5 … Jan 12, Feb 1 … Feb 3: read day-first, the dates would jump May → Dec → Jan.
    const days = ['01/05', '01/06', '01/07', '01/08', '01/09', '01/10', '01/11', '01/12', '02/01', '02/02', '02/03'];
    const { reading, rows } = await load(`when\n${days.map((day) => `${day}/2024`).join('\n')}\n`);
    expect(column(reading, 'when').parse.dateFormats).toEqual(['%m/%d/%Y']);
    expect(rows[8]?.when).toBe('2024-02-01');
    const warning = reading.warnings.find((candidate) => candidate.code === 'ambiguous_dates');
    expect(warning?.message).toContain('month first (mm/dd/yyyy), which keeps the rows in date order');
  });

  it('reads slash dates month-first when a second part above 12 proves it', async () => {
    const { reading, rows } = await load('when\n01/05/2024\n01/13/2024\n02/01/2024\n');
    expect(column(reading, 'when').parse.dateFormats).toEqual(['%m/%d/%Y']);
    expect(columnOf(rows, 'when')).toEqual(['2024-01-05', '2024-01-13', '2024-02-01']);
    expect(codes(reading)).not.toContain('ambiguous_dates');
  });

  it('reads timestamps with T, without seconds, and plain months', async () => {
    const { reading, rows } = await load(
      'at,month,midnight\n2024-03-01T10:30,2024-03,2024-03-01 00:00:00\n2024-03-02T11:00,2024-04,2024-03-02 00:00:00\n',
    );
    expect(column(reading, 'at')).toMatchObject({ type: 'datetime', parse: { dateFormats: ['%Y-%m-%dT%H:%M'] } });
    expect(column(reading, 'month')).toMatchObject({ type: 'date', parse: { dateFormats: ['%Y-%m'] } });
    // A timestamp column that is always midnight is a date column.
    expect(column(reading, 'midnight').type).toBe('date');
    expect(rows[0]).toEqual({ at: '2024-03-01T10:30:00', month: '2024-03-01', midnight: '2024-03-01' });
  });

  it('reads timestamps with a UTC offset as the local time written', async () => {
    const { reading, rows } = await load(
      'at\n2024-03-01T10:00:00+02:00\n2024-03-01T10:00:00Z\n2024-03-01T10:00:00-05:30\n2024-03-02T00:00:00+0100\n',
    );
    expect(column(reading, 'at')).toMatchObject({ type: 'datetime', invalidCount: 0 });
    // Midnight in Paris is March 2 there, not 23:00 on March 1.
    expect(columnOf(rows, 'at')).toEqual([
      '2024-03-01T10:00:00',
      '2024-03-01T10:00:00',
      '2024-03-01T10:00:00',
      '2024-03-02T00:00:00',
    ]);
  });

  it('reads Z timestamps, dates and numbers padded with spaces like unpadded ones', async () => {
    // Quick readings (untrimmed cells, a literal Z) must give the values of the full reading or fall back to it.
    const { reading, rows } = await load(
      'at,day,n\n2024-03-01T10:00:00Z,2024-03-01,1.5\n2024-03-01T11:00:00Z , 2024-03-02 , 2.5 \n 2024-03-01T12:00:00Z ,2024-03-03,3\n',
    );
    expect(column(reading, 'at')).toMatchObject({ type: 'datetime', invalidCount: 0 });
    expect(columnOf(rows, 'at')).toEqual(['2024-03-01T10:00:00', '2024-03-01T11:00:00', '2024-03-01T12:00:00']);
    expect(columnOf(rows, 'day')).toEqual(['2024-03-01', '2024-03-02', '2024-03-03']);
    expect(columnOf(rows, 'n')).toEqual([1.5, 2.5, 3]);
  });

  it('reads yes/no columns as booleans whatever their case', async () => {
    const { reading, rows } = await load('id,active,flag\n1,yes,T\n2,No,F\n3,Yes,T\n4,,\n');
    expect(column(reading, 'active')).toMatchObject({ type: 'boolean', nullCount: 1 });
    expect(column(reading, 'active').parse).toMatchObject({ trueValues: ['Yes', 'yes'], falseValues: ['No'] });
    expect(column(reading, 'flag').type).toBe('boolean');
    expect(columnOf(rows, 'active')).toEqual([true, false, true, null]);
  });
});

describe('readCsv headers and text', () => {
  it('renames blank and repeated headers and says so', async () => {
    const { reading, rows } = await load(' a ,,a,A,b,\n1,2,3,4,5,6\n');
    expect(reading.columns.map((info) => info.name)).toEqual(['a', 'column_2', 'a_2', 'A_3', 'b', 'column_6']);
    expect(rows[0]).toEqual({ a: 1, column_2: 2, a_2: 3, A_3: 4, b: 5, column_6: 6 });
    const warning = reading.warnings.find((candidate) => candidate.code === 'renamed_columns');
    expect(warning?.message).toContain('column_2');
    expect(warning?.message).toContain('a_2');
  });

  it('keeps a header that looks like SQL as a plain column name', async () => {
    const { reading, rows } = await load('"""; DROP TABLE x; --",b\n1,2\n');
    expect(reading.columns[0]?.name).toBe('"; DROP TABLE x; --');
    expect(rows).toEqual([{ '"; DROP TABLE x; --': 1, b: 2 }]);
  });

  it('reads NA as missing in text only when the file uses it as a placeholder elsewhere', async () => {
    const regions = await load('region,n\nEMEA,1\nNA,2\nAPAC,\n');
    expect(column(regions.reading, 'region').nullCount).toBe(0);
    const rExport = await load('name,score\nann,NA\nNA,2\nbob,3\n');
    expect(column(rExport.reading, 'name')).toMatchObject({ nullCount: 1, parse: { nullMarkers: ['NA'] } });
    expect(column(rExport.reading, 'score')).toMatchObject({ type: 'integer', nullCount: 1 });
  });

  it('flags cells that look like spreadsheet formulas', async () => {
    const { reading, rows } = await load('id,note\n1,=SUM(A1)\n2,@cmd\n3,normal\n4,-5 degrees\n');
    const warning = reading.warnings.find((candidate) => candidate.code === 'formula_cells');
    expect(warning).toMatchObject({ column: 'note' });
    expect(warning?.message).toContain('2 cells');
    expect(columnOf(rows, 'note')).toEqual(['=SUM(A1)', '@cmd', 'normal', '-5 degrees']);
  });

  it('counts exact duplicate rows', async () => {
    const { reading } = await load('a,b\n1,x\n1,x\n2,y\n1,x\n');
    expect(reading.duplicateRows).toBe(2);
    expect(reading.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate_rows' }));
  });

  it('counts rows that repeat the same values however they are written as duplicates', async () => {
    const { reading } = await load('price,city\n12.50,Paris\n12.5, Paris\n12.51,Paris\n');
    expect(reading.duplicateRows).toBe(1);
  });

  describe('in files larger than the head read first', () => {
    // Loading starts from what the first 256 KB show; these files contradict their heads later on.
    const rows = (count: number, row: (index: number) => string) => Array.from({ length: count }, (_, i) => row(i));

    it('reads a windows-1252 character that first appears deep in the file', async () => {
      const content = Buffer.concat([
        Buffer.from(`city,n\n${rows(40_000, (i) => `Paris,${i}`).join('\n')}\n`),
        Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x37, 0x0a]), // "Café,7" in windows-1252
      ]);
      const { reading, rows: loaded } = await load(content);
      expect(reading.format.encoding).toBe('windows-1252');
      expect(reading.rowCount).toBe(40_001);
      expect(loaded[40_000]).toEqual({ city: 'Café', n: 7 });
    });

    it('keeps a column whose header is blank once a late row fills it', async () => {
      const content = `a,b,\n${rows(40_000, (i) => `${i},x,`).join('\n')}\n1,y,3\n`;
      const { reading, rows: loaded } = await load(content);
      expect(reading.columns).toHaveLength(3);
      expect(reading.rowCount).toBe(40_001);
      expect(Object.values(loaded[40_000]!)).toEqual([1, 'y', '3']);
    });

    it('reads a well-formed large file in one load', async () => {
      const { reading, rows: loaded } = await load(`id,value\n${rows(50_000, (i) => `${i},${i * 2}`).join('\n')}\n`);
      expect(reading.rowCount).toBe(50_000);
      expect(loaded[49_999]).toEqual({ id: 49_999, value: 99_998 });
    });
  });

  it('reads a cell longer than the default line limit of the CSV reader (2 MB)', async () => {
    const essay = 'word '.repeat(700_000).trim();
    const { reading, rows } = await load(`id,notes\n1,short\n2,"${essay}"\n`);
    expect(reading.rowCount).toBe(2);
    expect(String(rows[1]?.notes).length).toBe(essay.length);
  });

  it('reports stats per column: missing, distinct and the first examples in file order', async () => {
    const long = 'x'.repeat(80);
    const { reading } = await load(`city,n\nParis,1\nParis,2\n,3\nRome,4\n${long},5\nOslo,6\n`);
    const city = column(reading, 'city');
    expect(city).toMatchObject({ nullCount: 1, invalidCount: 0, distinctCount: 4 });
    expect(city.examples).toEqual(['Paris', 'Rome', `${'x'.repeat(59)}…`]);
  });

  it('orders warnings file-level first, then by column', async () => {
    const { reading } = await load('a,b\n1,\n1,\n,x\n', { largeFileBytes: 1, sampleRows: 2 });
    expect(codes(reading)).toEqual([
      'large_file',
      'sampled_analysis',
      'duplicate_rows',
      'missing_values',
      'missing_values',
    ]);
    expect(reading.warnings[0]?.message).toMatch(/^The file is 0\.0 MB; analysis may take longer\.$/);
    expect(reading.warnings[1]?.message).toContain('repeatable sample of 2 rows');
    expect(reading.warnings.slice(3).map((warning) => warning.column)).toEqual(['a', 'b']);
  });
});
