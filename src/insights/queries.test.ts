import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/duckdb.ts';
import { QueryCache } from './queries.ts';
import type { DatasetProfile } from './types.ts';

let database: Database;
beforeAll(async () => {
  database = await openDatabase();
  // A sensor panel: 2 machines, one row each per minute for 200,000 minutes; the last minute has one machine only.
  await database.connection.run(
    `CREATE TABLE panel AS
       SELECT TIMESTAMP '2024-01-01' + to_minutes(i) AS ts, m AS machine, 1.0 AS value
       FROM range(200000) r(i), (VALUES ('M1'), ('M2')) v(m)
       WHERE NOT (i = 199999 AND m = 'M2')`,
  );
});
afterAll(() => database.close());

describe('QueryCache.latestFullMoment', () => {
  it('finds the latest fully reported moment among 200,000 of them', async () => {
    const profile = {
      table: 'panel',
      measures: [],
      time: { name: 'ts', sql: '"ts"', asTimestampSql: '"ts"', granularity: 'minute' },
    } as unknown as DatasetProfile;
    const latest = await new QueryCache(database.connection, profile).latestFullMoment();
    expect(latest).toBe('2024-05-18T21:18:00'); // minute 199,998: the last one lacks M2
  });
});
