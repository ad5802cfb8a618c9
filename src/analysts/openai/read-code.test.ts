import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContainers, type TestContainers } from '../../containers/local/testing.ts';
import { type Database, openDatabase } from '../../db/duckdb.ts';
import { readCsv } from '../../ingest/read-csv.ts';
import { profileDataset } from '../../insights/profile.ts';
import { readCode } from './prompts.ts';

// Files we read with care (a title above, a total below, `;` and decimal commas, one column per year or per
// month): the pandas code the model is given must load the same table, in the real sandbox.
const files: Record<string, string> = {
  'report.csv':
    'Quarterly report\nShop;Amount;Share\nNorth;1.234,5;N/A\nSouth;980,25;0,4\nEast;15,5;0,1\n\nTotal;2230,25\n',
  'life_expectancy.csv': 'country,1990,1995,2000\nChad,47.2,48,49.5\nPeru,66.1,,70.3\n',
  'temperature.csv': 'Year,Jan,Feb,Mar,Apr,May,Jun\n2020,1.5,2.5,6,9.5,14,17\n2021,0.5,3,7,10,13.5,18\n',
  // Numbers pandas leaves as text: currency, units in kg and g, percent signs, accounting brackets, a
  // placeholder code; dates written day first, and quarters.
  'shipments.csv': [
    'shipped,quarter,weight,price,margin,balance,stock',
    ...Array.from({ length: 24 }, (_, i) => {
      const day = String((i % 28) + 1).padStart(2, '0');
      const weight = i % 3 === 0 ? `${(i + 1) * 250} g` : `${(i % 7) + 1}.5 kg`;
      const balance = i % 5 === 0 ? `(${i * 10 + 5})` : `${i * 12}`;
      const stock = i === 7 || i === 15 ? '-999' : String(40 + i);
      return `${day}/0${(i % 9) + 1}/2024,2024-Q${(i % 4) + 1},${weight},"$1,${String(100 + i * 7).padStart(3, '0')}.50",${10 + i / 2}%,${balance},${stock}`;
    }),
  ].join('\n'),
  'weeks.csv': 'week,visits\n2024-W01,120\n2024-W02,135\n2024-W03,128\n2024-W10,150\n2024-W11,149\n',
  'budget.csv':
    'Agency code,Agency name,1975,1976,TQ,1977,1978\n12,Treasury,100,110,30,120,125\n15,Defense,200,190,50,180,185\n',
  // Bounds written for values: top-coded ages, suppressed small counts.
  'ages.csv': [
    'age,cases',
    ...Array.from({ length: 40 }, (_, i) => `${i % 8 === 0 ? '90+' : 40 + i},${i % 6 === 1 ? '<5' : 10 + i}`),
  ].join('\n'),
  'seasons.csv': 'season,fiscal,points\n2010-11,FY2011,50\n2011-12,FY2012,55\n2012-13,FY13,58\n2013-14,FY2014,61\n',
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
      `import pandas as pd\n${readCode(upload.path, reading.format, reading.columns)}\n` +
        'import json\nprint(json.dumps([len(df), sorted(df.columns), float(df.select_dtypes("number").sum().sum()), ' +
        '{c: [str(df[c].min().date()), str(df[c].max().date()), int(df[c].notna().sum())] for c in df.select_dtypes("datetime").columns}]))',
    );
    // One container per file, freed at once: the suite's files outnumber the sandbox's container cap.
    await t.service.delete(id);
    expect(run.error).toBeNull();
    const [rows, columns, total, dates] = JSON.parse(run.stdout) as [
      number,
      string[],
      number,
      Record<string, [string, string, number]>,
    ];
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
    const dateColumns = reading.columns.filter((column) => column.type === 'date' || column.type === 'datetime');
    const ours = Object.fromEntries(
      await Promise.all(
        dateColumns.map(async (column) => {
          const reader = await database.connection.runAndReadAll(
            `SELECT CAST(CAST(min("${column.name}") AS DATE) AS VARCHAR), CAST(CAST(max("${column.name}") AS DATE) AS VARCHAR), count("${column.name}") FROM t`,
          );
          const [low, high, n] = reader.getRows()[0]!;
          return [column.name, [String(low), String(high), Number(n)]];
        }),
      ),
    );
    expect(dates).toEqual(ours);
  });

  it.each([
    ['serial-days.csv', 'order_date,sales\n45292,10\n45293,12\n45294,9\n45295,14\n'],
    ['year-month.csv', 'year,month,sales\n2023,11,10\n2023,12,12\n2024,1,9\n2024,2,14\n'],
    [
      'date-time.csv',
      'Date,Time,load\n2024-01-01,09:30,5\n2024-01-01,14:00:15,7\n2024-01-02, 8:05,6\n2024-01-02,23:45,4\n',
    ],
  ])('reads %s with the time axis we read', async (name, csv) => {
    const file = path.join(directory, name);
    fs.writeFileSync(file, csv);
    const reading = await readCsv(database.connection, file, { tableName: 't', fileName: name });
    const profile = await profileDataset(database.connection, 't', reading, { sampleRows: 500_000 });
    expect(profile.time?.numeric ?? profile.time?.clock).toBeDefined();
    const { id } = await t.service.create({ name: 'read-code-time' });
    const upload = await t.service.uploadFile(id, name, fs.readFileSync(file));
    const run = await t.service.exec(
      id,
      `import pandas as pd\n${readCode(upload.path, reading.format, reading.columns, profile.time)}\n` +
        `import json\nprint(json.dumps([df[${JSON.stringify(profile.time!.name)}].min().strftime("%Y-%m-%d %H:%M:%S"), df[${JSON.stringify(profile.time!.name)}].max().strftime("%Y-%m-%d %H:%M:%S")]))`,
    );
    await t.service.delete(id);
    expect(run.error).toBeNull();
    const second = (text: string) => text.replace('T', ' ').slice(0, 19);
    expect(JSON.parse(run.stdout)).toEqual([second(profile.time!.min), second(profile.time!.max)]);
  });
});
