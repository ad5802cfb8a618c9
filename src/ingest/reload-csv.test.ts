import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devFile } from '../../test/helpers/dev-data.ts';
import { type Database, openDatabase, queryOne, queryRows } from '../db/duckdb.ts';
import { AppError } from '../errors.ts';
import { readCsv } from './read-csv.ts';
import { reloadCsv } from './reload-csv.ts';

let database: Database;
let directory: string;

beforeAll(async () => {
  database = await openDatabase();
  directory = mkdtempSync(path.join(tmpdir(), 'ingest-reload-'));
});
afterAll(() => {
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Column types and an order-sensitive checksum of every value. */
async function fingerprint(table: string) {
  const types = await queryRows(
    database.connection,
    `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '${table}' ORDER BY column_index`,
  );
  const { checksum, rows } = await queryOne(
    database.connection,
    `SELECT sum(hash(t, rowid)) AS checksum, count(*) AS rows FROM ${table} t`,
  );
  return { types, checksum: String(checksum), rows };
}

// A file with most quirks at once: windows-1252, BOM-less `;`, decimal comma, mixed dates, markers, sentinels.
const QUIRKY = Buffer.concat([
  Buffer.from('id;city;when;amount;ok;reading\n'),
  ...Array.from({ length: 60 }, (_, index) =>
    Buffer.concat([
      Buffer.from(`${index};Z`),
      Buffer.from([0xfc]),
      Buffer.from(
        `rich ${index % 3};${index % 2 ? `0${(index % 9) + 1}.03.2024` : `2024-03-1${index % 10}`};` +
          `${index % 7 === 0 ? 'N/A' : `${index},5`};${index % 2 ? 'yes' : 'no'};${index % 20 === 3 ? '-999' : 40 + (index % 5)}\n`,
      ),
    ]),
  ),
]);

describe('reloadCsv', () => {
  it.each([
    ['sales_data', devFile('sales_data')],
    ['sensor_readings', devFile('sensor_readings')],
    ['saas_churn', devFile('saas_churn')],
    ['web_analytics', devFile('web_analytics')],
  ])('rebuilds %s exactly as readCsv loaded it', async (_, filePath) => {
    const reading = await readCsv(database.connection, filePath, { tableName: 'first' });
    // The stored reading goes through JSON, as it does in the session store.
    await reloadCsv(database.connection, filePath, JSON.parse(JSON.stringify(reading)), 'second');
    const [first, second] = [await fingerprint('first'), await fingerprint('second')];
    expect(second).toEqual(first);
    expect(first.rows).toBe(reading.rowCount);
    await database.connection.run('DROP TABLE first; DROP TABLE second');
  });

  it('rebuilds a windows-1252 file with markers, sentinels and mixed dates', async () => {
    const filePath = path.join(directory, 'quirky.csv');
    writeFileSync(filePath, QUIRKY);
    const reading = await readCsv(database.connection, filePath, { tableName: 'first' });
    expect(reading.format.encoding).toBe('windows-1252');
    expect(reading.columns.map((column) => column.type)).toEqual([
      'integer',
      'text',
      'date',
      'number',
      'boolean',
      'integer',
    ]);
    expect(reading.columns[5]?.parse.sentinels).toEqual([-999]);
    await reloadCsv(database.connection, filePath, JSON.parse(JSON.stringify(reading)), 'second');
    expect(await fingerprint('second')).toEqual(await fingerprint('first'));
    expect(await queryOne(database.connection, 'SELECT city FROM second LIMIT 1')).toEqual({ city: 'Zürich 0' });
    await database.connection.run('DROP TABLE first; DROP TABLE second');
  });

  it('refuses a file that no longer matches the reading, and leaves no table behind', async () => {
    const filePath = path.join(directory, 'changing.csv');
    writeFileSync(filePath, 'a,b\n1,2\n3,4\n');
    const reading = await readCsv(database.connection, filePath, { tableName: 'first' });
    writeFileSync(filePath, 'a,b\n1,2\n');
    await expect(reloadCsv(database.connection, filePath, reading, 'second')).rejects.toBeInstanceOf(AppError);
    expect(await queryRows(database.connection, "SELECT * FROM duckdb_tables() WHERE table_name <> 'first'")).toEqual(
      [],
    );
    await database.connection.run('DROP TABLE first');
  });
});
