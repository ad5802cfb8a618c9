import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devDataDir } from '../../test/helpers/dev-data.ts';
import { type Database, openDatabase, queryOne } from '../db/duckdb.ts';
import { readCsv } from './read-csv.ts';
import type { ColumnInfo, CsvReading, ValueType } from './types.ts';

const DATA_DIR = devDataDir();

interface Truth {
  rows: number;
  format: { delimiter: string; encoding: string; bom: boolean; decimal: string; eol?: string; header: boolean };
}

const truthOf = (name: string): Truth =>
  JSON.parse(readFileSync(path.join(DATA_DIR, `${name}.truth.json`), 'utf8')) as Truth;

let database: Database;
beforeAll(async () => {
  database = await openDatabase();
});
afterAll(() => database.close());

async function read(name: string): Promise<{ reading: CsvReading; table: string }> {
  const table = name.replaceAll('-', '_');
  const reading = await readCsv(database.connection, path.join(DATA_DIR, `${name}.csv`), { tableName: table });
  return { reading, table };
}

function column(reading: CsvReading, name: string): ColumnInfo {
  const found = reading.columns.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no column ${name} in ${reading.columns.map((c) => c.name).join(', ')}`);
  return found;
}

function typesOf(reading: CsvReading): Record<string, ValueType> {
  return Object.fromEntries(reading.columns.map((info) => [info.name, info.type]));
}

async function value(sql: string): Promise<unknown> {
  const row = await queryOne(database.connection, sql);
  return Object.values(row)[0];
}

const DATASETS = [
  'co2-concentration',
  'gapminder',
  'iowa-electricity',
  'penguins',
  'sales_data',
  'saas_churn',
  'sensor_readings',
  'web_analytics',
];

describe('readCsv on the dev datasets', () => {
  it.each(DATASETS)('reads %s as its truth file describes', async (name) => {
    const truth = truthOf(name);
    const { reading, table } = await read(name);
    expect(reading.rowCount).toBe(truth.rows);
    expect(await value(`SELECT count(*) FROM ${table}`)).toBe(truth.rows);
    expect(reading.format.delimiter).toBe(truth.format.delimiter);
    expect(reading.format.encoding).toBe(truth.format.encoding === 'latin-1' ? 'windows-1252' : 'utf-8');
    expect(reading.format.bom).toBe(truth.format.bom);
    expect(reading.format.decimal).toBe(truth.format.decimal);
    expect(reading.format.header).toBe(true);
    if (truth.format.eol) expect(reading.format.lineEnding).toBe(truth.format.eol);
    // Every column has a name, a type and stats; nothing silently unreadable in these files.
    for (const info of reading.columns) {
      expect(info.invalidCount).toBe(0);
      expect(info.examples.length).toBeGreaterThan(0);
      expect(info.examples.every((example) => example.length <= 60)).toBe(true);
    }
  });

  it('types sales_data and keeps its revenue totals', async () => {
    const { reading, table } = await read('sales_data');
    expect(typesOf(reading)).toEqual({
      order_id: 'text',
      date: 'date',
      region: 'text',
      product: 'text',
      category: 'text',
      channel: 'text',
      units: 'integer',
      unit_price: 'number',
      revenue: 'number',
    });
    expect(column(reading, 'channel').nullCount).toBe(234);
    expect(reading.warnings.map((warning) => warning.code)).toEqual(['missing_values']);
    const revenue2023 = Number(await value(`SELECT sum(revenue) FROM ${table} WHERE year(date) = 2023`));
    const revenue2024 = Number(await value(`SELECT sum(revenue) FROM ${table} WHERE year(date) = 2024`));
    expect(revenue2023).toBeCloseTo(1_640_885, -1);
    expect(revenue2024).toBeCloseTo(1_746_074, -1);
    expect(await value(`SELECT typeof(date) FROM ${table} LIMIT 1`)).toBe('DATE');
  });

  it('reads saas_churn: dd.mm.yyyy dates, decimal comma, Yes/No booleans, NA as a region', async () => {
    const { reading, table } = await read('saas_churn');
    const signup = column(reading, 'signup_date');
    expect(signup.type).toBe('date');
    expect(signup.parse.dateFormats).toEqual(['%d.%m.%Y']);
    expect(reading.format.dateFormats).toEqual({ signup_date: ['%d.%m.%Y'] });
    expect(column(reading, 'mrr_eur')).toMatchObject({ type: 'number', parse: { decimal: ',' } });
    expect(column(reading, 'churned')).toMatchObject({
      type: 'boolean',
      parse: { trueValues: ['Yes'], falseValues: ['No'] },
    });
    expect(column(reading, 'nps_score')).toMatchObject({ type: 'integer', nullCount: 1374 });
    expect(reading.warnings).toContainEqual(
      expect.objectContaining({
        code: 'missing_values',
        message: expect.stringContaining('nps_score is empty in 1,374 rows (34.4%)'),
      }),
    );
    // `NA` is North America here, not a missing value: no other column uses it as a placeholder.
    expect(column(reading, 'region').nullCount).toBe(0);
    expect(await value(`SELECT count(*) FROM ${table} WHERE region = 'NA'`)).toBeGreaterThan(0);
    expect(await value(`SELECT mrr_eur FROM ${table} LIMIT 1`)).toBe(23.45);
    expect(await value(`SELECT CAST(signup_date AS VARCHAR) FROM ${table} LIMIT 1`)).toBe('2024-08-10');
    expect(Number(await value(`SELECT avg(churned::INT) FROM ${table}`))).toBeCloseTo(0.141, 2);
    expect(await value(`SELECT count(*) FROM ${table} WHERE signup_date IS NULL`)).toBe(0);
  });

  it('reads web_analytics: quoted thousands, percent strings', async () => {
    const { reading, table } = await read('web_analytics');
    expect(column(reading, 'sessions')).toMatchObject({ type: 'integer', parse: { thousands: ',' } });
    expect(column(reading, 'users')).toMatchObject({ type: 'integer', parse: { thousands: ',' } });
    expect(column(reading, 'bounce_rate')).toMatchObject({ type: 'number', parse: { percent: true } });
    expect(column(reading, 'date').type).toBe('date');
    expect(reading.format.thousands).toBe(',');
    expect(await value(`SELECT sum(sessions) FROM ${table} WHERE source = 'Social' AND date = DATE '2024-06-18'`)).toBe(
      2530,
    );
    expect(await value(`SELECT bounce_rate FROM ${table} LIMIT 1`)).toBe(43.5);
    expect(column(reading, 'revenue').nullCount).toBe(65);
  });

  it('reads sensor_readings: two timestamp formats, -999 sentinels', async () => {
    const { reading, table } = await read('sensor_readings');
    const timestamp = column(reading, 'timestamp');
    expect(timestamp.type).toBe('datetime');
    expect(timestamp.parse.dateFormats).toEqual(['%Y-%m-%d %H:%M:%S', '%d/%m/%Y %H:%M']);
    expect(await value(`SELECT count(*) FROM ${table} WHERE timestamp IS NULL`)).toBe(0);
    expect(await value(`SELECT CAST(min(timestamp) AS VARCHAR) FROM ${table} WHERE machine_id = 'M06'`)).toBe(
      '2024-02-01 00:00:00',
    );
    expect(await value(`SELECT CAST(max(timestamp) AS VARCHAR) FROM ${table} WHERE machine_id = 'M06'`)).toBe(
      '2024-03-31 23:00:00',
    );
    const humidity = column(reading, 'humidity_pct');
    expect(humidity.parse.sentinels).toEqual([-999]);
    expect(humidity.nullCount).toBe(column(reading, 'temperature_c').nullCount + 6);
    expect(await value(`SELECT min(humidity_pct) FROM ${table}`)).toBeGreaterThan(0);
    expect(reading.warnings).toContainEqual({
      code: 'sentinel_values',
      column: 'humidity_pct',
      message: 'humidity_pct: 6 cells hold -999, read as missing values.',
    });
    expect(column(reading, 'status').type).toBe('text');
  });

  it('reads penguins: empty and "." Sex are both missing', async () => {
    const { reading, table } = await read('penguins');
    const sex = column(reading, 'Sex');
    expect(sex).toMatchObject({ type: 'text', nullCount: 11, distinctCount: 2 });
    expect(sex.parse.nullMarkers).toEqual(['.']);
    expect(reading.format.nullMarkers).toEqual(['.']);
    expect(column(reading, 'Body Mass (g)').type).toBe('integer');
    expect(column(reading, 'Beak Length (mm)').type).toBe('number');
    const gentoo = Number(await value(`SELECT avg("Body Mass (g)") FROM ${table} WHERE Species = 'Gentoo'`));
    expect(gentoo).toBeCloseTo(5076, 0);
  });

  it('reads co2-concentration, iowa-electricity and gapminder', async () => {
    const co2 = await read('co2-concentration');
    expect(typesOf(co2.reading)).toEqual({ Date: 'date', CO2: 'number', 'adjusted CO2': 'number' });
    expect(await value(`SELECT "CO2" FROM ${co2.table} WHERE "Date" = DATE '2020-04-01'`)).toBe(416.18);

    const iowa = await read('iowa-electricity');
    expect(typesOf(iowa.reading)).toEqual({ year: 'date', source: 'text', net_generation: 'integer' });
    expect(
      await value(`SELECT net_generation FROM ${iowa.table} WHERE source = 'Renewables' AND year = DATE '2001-01-01'`),
    ).toBe(1437);

    const gapminder = await read('gapminder');
    expect(typesOf(gapminder.reading)).toEqual({
      year: 'integer',
      country: 'text',
      cluster: 'integer',
      pop: 'integer',
      life_expect: 'number',
      fertility: 'number',
    });
    expect(await value(`SELECT count(*) FROM ${gapminder.table} WHERE country = 'Hong Kong, China'`)).toBe(11);
    expect(await value(`SELECT life_expect FROM ${gapminder.table} WHERE country = 'China' AND year = 1960`)).toBe(
      27.79,
    );
  });
});
