import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContainers, type TestContainers } from '../../containers/local/testing.ts';
import { type Database, openDatabase } from '../../db/duckdb.ts';
import { readCsv } from '../../ingest/read-csv.ts';
import { readCode } from './prompts.ts';

// Files we read with care (a title above, a total below, `;` and decimal commas, one column per year or per
// month): the pandas code the model is given must load the same table, in the real sandbox.
const files: Record<string, string> = {
  'report.csv':
    'Quarterly report\nShop;Amount;Share\nNorth;1.234,5;N/A\nSouth;980,25;0,4\nEast;15,5;0,1\n\nTotal;2230,25\n',
  'life_expectancy.csv': 'country,1990,1995,2000\nChad,47.2,48,49.5\nPeru,66.1,,70.3\n',
  'temperature.csv': 'Year,Jan,Feb,Mar,Apr,May,Jun\n2020,1.5,2.5,6,9.5,14,17\n2021,0.5,3,7,10,13.5,18\n',
};

describe('the pandas code that loads the file as we read it', () => {
  let t: TestContainers;
  let database: Database;
  let directory: string;
  beforeAll(async () => {
    t = startTestContainers();
    database = await openDatabase();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'read-code-'));
  });
  afterAll(() => {
    t.close();
    database.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it.each(Object.keys(files))('loads %s with our rows and columns', async (name) => {
    const file = path.join(directory, name);
    fs.writeFileSync(file, files[name]!);
    const reading = await readCsv(database.connection, file, { tableName: 't', fileName: name });
    const { id } = await t.service.create({ name: 'read-code' });
    const upload = await t.service.uploadFile(id, name, fs.readFileSync(file));
    const run = await t.service.exec(
      id,
      `import pandas as pd\n${readCode(upload.path, reading.format)}\n[len(df), sorted(df.columns), float(df.select_dtypes("number").sum().sum())]`,
    );
    expect(run.error).toBeNull();
    const [rows, columns, total] = JSON.parse(run.result!.replaceAll("'", '"')) as [number, string[], number];
    expect(rows).toBe(reading.rowCount);
    expect(columns).toEqual(reading.columns.map((column) => column.name).sort());
    const numeric = reading.columns.filter((column) => column.type === 'number' || column.type === 'integer');
    const sums = await Promise.all(
      numeric.map(async (column) => {
        const reader = await database.connection.runAndReadAll(`SELECT coalesce(sum("${column.name}"), 0) FROM t`);
        return Number(reader.getRows()[0]?.[0] ?? 0);
      }),
    );
    expect(total).toBeCloseTo(
      sums.reduce((a, b) => a + b, 0),
      6,
    );
  });
});
