import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../db/duckdb.ts';
import { readCsv } from './read-csv.ts';
import { reloadCsv } from './reload-csv.ts';
import { monthOfHeader, periodOfHeader, valueNameFromFileName } from './reshape.ts';
import { ingestScratch } from './test-scratch.ts';

const scratch = ingestScratch('wide');

async function load(content: string) {
  const filePath = scratch.write(content);
  const reading = await readCsv(scratch.database.connection, filePath, { tableName: 't' });
  return { filePath, reading, rows: await queryRows(scratch.database.connection, 'SELECT * FROM t') };
}

describe('periodOfHeader', () => {
  it.each([
    ['1990', '1990-01-01', 'year'],
    ['2024-03', '2024-03-01', 'month'],
    ['2024_11', '2024-11-01', 'month'],
    ['2023 Q2', '2023-04-01', 'quarter'],
    ['Q4-2023', '2023-10-01', 'quarter'],
    ['2024-02-29', '2024-02-29', 'day'],
    ['Jan-23', '2023-01-01', 'month'],
    ['Sept 1999', '1999-09-01', 'month'],
    ['December 2024', '2024-12-01', 'month'],
    ['2024-Mar', '2024-03-01', 'month'],
  ])('reads %s as a period', (header, date, granularity) => {
    expect(periodOfHeader(header)).toEqual({ date, granularity });
  });

  it.each(['revenue', '1066', '2024-13', '2023-02-30', 'Q5 2023', '12345', 'Total 2023', 'Jan', 'abc-23'])(
    'does not read %s as one',
    (header) => {
      expect(periodOfHeader(header)).toBeNull();
    },
  );
});

describe('monthOfHeader', () => {
  it('reads month names and abbreviations, and nothing else', () => {
    expect(['Jan', 'feb.', 'March', 'Sept', 'DEC'].map(monthOfHeader)).toEqual([1, 2, 3, 9, 12]);
    expect(['Ja', 'Mayday', 'Total', 'J-D'].map(monthOfHeader)).toEqual([null, null, null, null]);
  });
});

describe('valueNameFromFileName', () => {
  it.each([
    ['life_expectancy.csv', 'life_expectancy'],
    ['GDP per capita.CSV', 'gdp_per_capita'],
    ['Population-by-country.csv', 'population_by_country'],
  ])('names the numbers of %s', (fileName, name) => {
    expect(valueNameFromFileName(fileName)).toBe(name);
  });

  it.each([
    'export (3).csv',
    'data.csv',
    'API_SP.DYN.LE00.IN_DS2_en_csv_v2.csv',
    'a.csv',
    'one two three four five.csv',
  ])('leaves %s to "value"', (fileName) => {
    expect(valueNameFromFileName(fileName)).toBeNull();
  });
});

describe('a file with one column per period', () => {
  it('is read as one row per row and period, and says so', async () => {
    const { reading, rows } = await load(
      'country,region,1990,1995,2000\nChad,Africa,47.2,48,49.5\nPeru,Americas,66.1,,70.3\n"Korea, Rep.",Asia,72.5,74,76.1\n',
    );
    expect(reading.columns.map((column) => [column.name, column.type, column.index])).toEqual([
      ['country', 'text', 0],
      ['region', 'text', 1],
      ['year', 'date', -1],
      ['value', 'number', -1],
    ]);
    expect(reading.rowCount).toBe(8); // nine cells, one empty
    expect(rows.slice(0, 4)).toEqual([
      { country: 'Chad', region: 'Africa', year: '1990-01-01', value: 47.2 },
      { country: 'Chad', region: 'Africa', year: '1995-01-01', value: 48 },
      { country: 'Chad', region: 'Africa', year: '2000-01-01', value: 49.5 },
      { country: 'Peru', region: 'Americas', year: '1990-01-01', value: 66.1 },
    ]);
    expect(reading.format.wide).toMatchObject({ granularity: 'year', periodColumn: 'year', valueColumn: 'value' });
    expect(reading.warnings[0]).toMatchObject({ code: 'wide_table' });
    expect(reading.warnings[0]!.message).toMatch(
      /one column per year \("1990" to "2000", 3 columns\).*3 rows \(8 rows with a value\)/,
    );
  });

  it('names the numbers after the file when its name says what they are', async () => {
    const filePath = path.join(scratch.directory, 'life_expectancy.csv');
    writeFileSync(filePath, 'country,1990,1995,2000\nChad,47.2,48,49.5\n');
    const reading = await readCsv(scratch.database.connection, filePath, {
      tableName: 't',
      fileName: 'life_expectancy.csv',
    });
    expect(reading.columns.map((column) => column.name)).toEqual(['country', 'year', 'life_expectancy']);
  });

  it('reads quarters, and keeps names for the new columns that no other column has', async () => {
    const { reading, rows } = await load('quarter,2023Q1,2023Q2,2023Q3,2023Q4\nNorth,10,12,11,15\n');
    expect(reading.columns.map((column) => column.name)).toEqual(['quarter', 'quarter_2', 'value']);
    expect(reading.columns[2]!.type).toBe('integer');
    expect(rows.map((row) => row.quarter_2)).toEqual(['2023-01-01', '2023-04-01', '2023-07-01', '2023-10-01']);
  });

  it('reads "year, Jan, … Dec" as months, and again the same way from the stored reading', async () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const lines = Array.from({ length: 20 }, (_, i) =>
      [2000 + i, ...months.map((_, m) => (10 + i + m / 10).toFixed(1))].join(','),
    );
    const { filePath, reading, rows } = await load(`Year,${months.join(',')}\n${lines.join('\n')}\n`);
    expect(reading.format.wide).toMatchObject({ granularity: 'month', yearColumn: { name: 'Year' } });
    expect(reading.columns.map((column) => column.name)).toEqual(['month', 'value']);
    expect(reading.rowCount).toBe(240);
    expect(rows.slice(0, 2)).toEqual([
      { month: '2000-01-01', value: 10 },
      { month: '2000-02-01', value: 10.1 },
    ]);
    expect(rows[239]).toEqual({ month: '2019-12-01', value: 30.1 });
    await reloadCsv(scratch.database.connection, filePath, JSON.parse(JSON.stringify(reading)), 'again_months');
    expect(await queryRows(scratch.database.connection, 'SELECT * FROM again_months')).toEqual(rows);
  });

  it('stays as written when another numeric column would be repeated on every row', async () => {
    const { reading } = await load('country,population,1990,1995,2000\nChad,16,47.2,48,49.5\nPeru,33,66.1,68,70.3\n');
    expect(reading.format.wide).toBeUndefined();
    expect(reading.columns.map((column) => column.name)).toEqual(['country', 'population', '1990', '1995', '2000']);
  });

  it('keeps codes as labels of each row, and leaves out a column among the years that names none, or a total', async () => {
    // The US budget's layout: agency codes beside their names, and "TQ" (a transition quarter) between 1976 and 1977.
    const content =
      'Agency code,Agency name,Bureau code,1975,1976,TQ,1977,1978,Total\n' +
      '12,Treasury,3,100,110,30,120,125,485\n' +
      '15,Defense,1,200,190,50,180,185,805\n';
    const { filePath, reading, rows } = await load(content);
    expect(reading.format.wide?.columns.map((column) => column.name)).toEqual(['1975', '1976', '1977', '1978']);
    expect(reading.format.wide?.leftOut).toEqual([
      { name: 'TQ', index: 5 },
      { name: 'Total', index: 8 },
    ]);
    expect(reading.columns.map((column) => column.name)).toEqual([
      'Agency code',
      'Agency name',
      'Bureau code',
      'year',
      'value',
    ]);
    expect(rows.length).toBe(8);
    expect(rows[0]).toMatchObject({ 'Agency code': 12, 'Agency name': 'Treasury', 'Bureau code': 3, value: 100 });
    expect(reading.warnings[0]?.message).toMatch(/"TQ", "Total" name no year and were left out\.$/);
    await reloadCsv(scratch.database.connection, filePath, JSON.parse(JSON.stringify(reading)), 'again_budget');
    expect(await queryRows(scratch.database.connection, 'SELECT * FROM again_budget')).toEqual(rows);
  });

  it('is read again the same way from the stored reading', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `shop ${i},${i % 5 === 0 ? '' : i * 1.5},${i * 2},${i * 3}`);
    const { filePath, reading } = await load(`shop,2024-01,2024-02,2024-03\n${lines.join('\n')}\n`);
    expect(reading.format.wide?.granularity).toBe('month');
    await reloadCsv(scratch.database.connection, filePath, JSON.parse(JSON.stringify(reading)), 'again');
    const checksum = async (table: string) =>
      queryOne(scratch.database.connection, `SELECT count(*) AS n, sum(hash(t, rowid)) AS h FROM ${table} t`);
    expect(await checksum('again')).toEqual(await checksum('t'));
    expect((await checksum('t')).n).toBe(140);
  });
});
