import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/duckdb.ts';
import { readCsv } from '../ingest/index.ts';
import { profileDataset } from './profile.ts';
import { type GroupStats, type MemberBucket, QueryCache } from './queries.ts';
import { measureRollup, rollupGrain } from './rollup.ts';
import type { DatasetProfile } from './types.ts';

let database: Database;
let directory: string;
let profile: DatasetProfile;
let readings: DatasetProfile;

// 60,000 rows over 400 days × 3 regions × 5 stores: every kind of aggregate the profile writes (sums,
// averages, a yes/no rate, a rate weighted by sessions, a ratio of two sums, a stock level), with gaps.
beforeAll(async () => {
  database = await openDatabase();
  directory = mkdtempSync(path.join(tmpdir(), 'rollup-'));
  const lines = ['date,region,store,revenue,unit_price,returned,sessions,bounce_rate,orders,inventory'];
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < 60_000; i++) {
    const day = new Date(Date.UTC(2023, 0, 1) + (i % 400) * 86_400_000).toISOString().slice(0, 10);
    const region = ['North', 'South', 'West'][i % 3];
    const store = `S${(i % 5) + 1}`;
    const sessions = 50 + Math.floor(random() * 100);
    lines.push(
      [
        day,
        i % 97 === 0 ? '' : region,
        store,
        (random() * 1000 + 1e6).toFixed(2), // far from zero: a careless variance formula would lose digits
        i % 11 === 0 ? '' : (random() * 50).toFixed(2),
        random() < 0.2 ? 'yes' : 'no',
        sessions,
        (random() * 0.8).toFixed(3),
        Math.floor(sessions * random() * 0.3),
        Math.floor(random() * 500),
      ].join(','),
    );
  }
  profile = await load('orders', lines);

  // 60,000 sensor readings at random minutes over 40 days: too many time values for an exact rollup, so
  // it is kept per hour (and answers for hours, days and months, never for minutes or one moment).
  const readingLines = ['timestamp,machine,temperature,power_kw'];
  for (let i = 0; i < 60_000; i++) {
    const minute = Math.floor(random() * 40 * 1440);
    const at = new Date(Date.UTC(2024, 0, 1) + minute * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    readingLines.push([at, `M${i % 4}`, (20 + random() * 5).toFixed(2), (random() * 30).toFixed(1)].join(','));
  }
  readings = await load('readings', readingLines);
});

async function load(name: string, lines: string[]): Promise<DatasetProfile> {
  const file = path.join(directory, `${name}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const reading = await readCsv(database.connection, file, { tableName: name });
  return profileDataset(database.connection, name, reading, { sampleRows: 500_000 });
}
afterAll(() => {
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

function close(actual: number | null, expected: number | null) {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function sameBuckets(actual: MemberBucket[], expected: MemberBucket[]) {
  expect(actual.map(({ member, t, rows, coverage }) => [member, t, rows, coverage])).toEqual(
    expected.map(({ member, t, rows, coverage }) => [member, t, rows, coverage]),
  );
  for (const [i, bucket] of actual.entries()) {
    for (const [j, value] of bucket.values.entries()) close(value, expected[i]!.values[j]!);
  }
}

function sameGroups(actual: GroupStats[], expected: GroupStats[]) {
  expect(actual.map((g) => [g.member, g.rows])).toEqual(expected.map((g) => [g.member, g.rows]));
  for (const [i, group] of actual.entries()) {
    for (const [j, m] of group.measures.entries()) {
      const e = expected[i]!.measures[j]!;
      expect([m.n, m.trials]).toEqual([e.n, e.trials]);
      for (const key of ['value', 'mean', 'variance', 'k'] as const) close(m[key], e[key]);
    }
  }
}

describe('rollups', () => {
  it('rebuild every kind of measure the profile writes', () => {
    const kinds = profile.measures.map((m) => [
      m.id,
      m.ratio ? 'ratio' : (m.weightedBy ?? m.stockPer ?? m.aggregation),
    ]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['revenue', 'sum'],
        ['unit_price', 'mean'],
        ['returned:rate', 'rate'],
        ['bounce_rate', 'sessions'],
        ['inventory', 'day'],
        ['__rows', 'sum'],
      ]),
    );
    expect(profile.measures.some((m) => m.ratio)).toBe(true);
    for (const measure of profile.measures) expect(measureRollup(measure, profile, true)).not.toBeNull();
  });

  it('give the same series and group statistics as the table itself', async () => {
    const fast = new QueryCache(database.connection, profile);
    const slow = new QueryCache(database.connection, profile, { rollups: false });
    for (const dimension of profile.dimensions) {
      expect(fast.usesRollup(dimension)).toBe(true);
      expect(slow.usesRollup(dimension)).toBe(false);
      for (const granularity of ['day', 'week', 'month'] as const) {
        sameBuckets(await fast.memberSeries(dimension, granularity), await slow.memberSeries(dimension, granularity));
      }
      sameGroups(await fast.groups(dimension), await slow.groups(dimension));
      sameGroups(
        await fast.groups(dimension, undefined, '2023-06-01'),
        await slow.groups(dimension, undefined, '2023-06-01'),
      );
    }
    const series = (await fast.series('month')).map((bucket) => ({ ...bucket, member: '' }));
    sameBuckets(
      series,
      (await slow.series('month')).map((bucket) => ({ ...bucket, member: '' })),
    );
  });

  it('kept per hour answer for hours and coarser, and leave minutes and single moments to the table', async () => {
    const machine = readings.dimensions[0]!;
    expect(rollupGrain(readings, machine)).toBe('hour');
    const fast = new QueryCache(database.connection, readings);
    const slow = new QueryCache(database.connection, readings, { rollups: false });
    for (const granularity of ['minute', 'hour', 'day', 'month'] as const) {
      sameBuckets(await fast.memberSeries(machine, granularity), await slow.memberSeries(machine, granularity));
      const whole = async (q: QueryCache) => (await q.series(granularity)).map((bucket) => ({ ...bucket, member: '' }));
      sameBuckets(await whole(fast), await whole(slow));
    }
    sameGroups(await fast.groups(machine), await slow.groups(machine));
    const moment = '2024-01-05T10:17:00';
    sameGroups(await fast.groups(machine, undefined, moment), await slow.groups(machine, undefined, moment));
  });
});
