import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryOne } from '../src/db/duckdb.ts';
import { readCsv } from '../src/ingest/index.ts';
import { profileDataset } from '../src/insights/profile.ts';

async function profileOf(csv: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profile-')), 'data.csv');
  fs.writeFileSync(file, csv);
  const db = await openDatabase();
  const reading = await readCsv(db.connection, file, { tableName: 'data' });
  const profile = await profileDataset(db.connection, 'data', reading, { sampleRows: 500_000 });
  return { db, profile };
}

describe('typed semantics before statistics', () => {
  it('reads a year and a month column as one monthly time axis, never the month as a quantity', async () => {
    const lines = ['year,month,hour,sales'];
    for (let i = 0; i < 36; i++) lines.push(`${2021 + Math.floor(i / 12)},${(i % 12) + 1},${i % 24},${100 + i}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.time?.granularity).toBe('month');
    expect([profile.time?.min.slice(0, 10), profile.time?.max.slice(0, 10)]).toEqual(['2021-01-01', '2023-12-01']);
    expect(profile.measures.map((m) => m.id)).toEqual(['sales', '__rows']);
    expect(profile.fields.find((f) => f.name === 'hour')?.role).toBe('ignored');
    db.close();
  });

  it('reads a whole number beside its "… name" column as that name\'s code, not a quantity', async () => {
    const agencies = ['Treasury', 'Defense', 'Energy', 'Labor'];
    const lines = ['Agency code,Agency name,amount'];
    for (let i = 0; i < 40; i++) lines.push(`${10 + (i % 4)},${agencies[i % 4]},${100 + i}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.fields.find((f) => f.name === 'Agency code')?.role).toBe('ignored');
    expect(profile.dimensions.map((d) => d.name)).toEqual(['Agency name']);
    expect(profile.measures.map((m) => m.id)).toEqual(['amount', '__rows']);
    db.close();
  });

  it('reads spreadsheet serial days in a date column as dates, and never a response time in ms', async () => {
    const lines = ['order_date,response_time,sales'];
    for (let i = 0; i < 60; i++) lines.push(`${45292 + i},${30000 + ((i * 7919) % 20000)},${100 + (i % 7)}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.time?.name).toBe('order_date');
    expect([profile.time?.min.slice(0, 10), profile.time?.granularity]).toEqual(['2024-01-01', 'day']);
    expect(profile.measures.map((m) => m.id)).toContain('response_time');
    db.close();
  });

  it('averages a headcount over the months instead of adding the months up', async () => {
    const lines = ['month,department,employees'];
    for (let i = 0; i < 24; i++)
      for (const department of ['Sales', 'Support'])
        lines.push(`${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${department},${40 + i}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.measures.find((m) => m.id === 'employees')?.stockPer).toBe('month');
    db.close();
  });

  it('reads a population among the metrics of a long table as a level too', async () => {
    const lines = ['country,indicator,year,value'];
    for (let year = 2000; year < 2012; year++)
      for (const [country, size] of [
        ['Chile', 18],
        ['Peru', 30],
      ] as const) {
        lines.push(`${country},"Population, total",${year},${size * 1_000_000 + year * 1000}`);
        lines.push(`${country},Exports,${year},${size * 100 + (year % 5)}`);
      }
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const per = (metric: string) => profile.measures.find((m) => m.longMetric === metric)?.stockPer;
    expect([per('Population, total'), per('Exports')]).toEqual(['year', undefined]);
    db.close();
  });

  it('averages what is on hand or outstanding over the days, and adds up what was sold', async () => {
    const lines = ['date,warehouse,units_on_hand,backlog,units_sold'];
    for (let day = 0; day < 30; day++)
      for (const warehouse of ['North', 'South'])
        lines.push(
          `2024-04-${String(day + 1).padStart(2, '0')},${warehouse},${500 - ((day * 37) % 200)},${20 + (day % 7)},${30 + (day % 5)}`,
        );
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const per = (id: string) => profile.measures.find((m) => m.id === id)?.stockPer;
    expect([per('units_on_hand'), per('backlog'), per('units_sold')]).toEqual(['day', 'day', undefined]);
    db.close();
  });

  it('reads counts to date as a level per series, and adds what they add each day as a flow of its own', async () => {
    const lines = ['date,country,confirmed'];
    const toDate: Record<string, number> = { Norway: 0, Spain: 0 };
    for (let day = 0; day < 40; day++)
      for (const [country, size] of [
        ['Norway', 3],
        ['Spain', 40],
      ] as const) {
        toDate[country]! += size * (1 + ((day * 7) % 5));
        lines.push(`${new Date(Date.UTC(2024, 2, 1 + day)).toISOString().slice(0, 10)},${country},${toDate[country]}`);
      }
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const level = profile.measures.find((m) => m.id === 'confirmed');
    expect(level?.runningTotal?.seriesSql).toEqual([expect.stringContaining('"country"')]);
    expect(level?.stockPer).toBe('day');
    // The new cases add up to each series' last value less its first.
    const flow = profile.measures.find((m) => m.id === 'new confirmed');
    const added = await queryOne(db.connection, `SELECT ${flow!.aggregateSql} AS v FROM data`);
    expect(Number(added.v)).toBe(toDate.Norway! - 3 + toDate.Spain! - 40);
    expect(profile.derived).toContainEqual({ column: 'new confirmed', from: ['confirmed'] });
    db.close();
  });

  it('never reads a flow that grew month after month as a count to date', async () => {
    const lines = ['month,revenue,visitors'];
    for (let i = 0; i < 30; i++)
      lines.push(
        `${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01,${1000 + 50 * i + (i % 3)},${200 + 9 * i}`,
      );
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.measures.filter((m) => m.runningTotal || m.stockPer)).toEqual([]);
    expect(profile.measures.map((m) => m.id)).not.toContain('new revenue');
    db.close();
  });

  it('reads money per thing counted as a ratio of sums: spend per conversion, never per unit sold', async () => {
    const lines = ['date,channel,clicks,conversions,units,spend,revenue'];
    for (let day = 0; day < 30; day++)
      for (const [channel, clicks] of [
        ['Email', 40],
        ['Search', 300],
      ] as const)
        lines.push(
          `2024-05-${String(day + 1).padStart(2, '0')},${channel},${clicks + day},${2 + (day % 5)},${3 + (day % 4)},${(clicks * 0.8 + day).toFixed(2)},${(50 + day * 3).toFixed(2)}`,
        );
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const cost = profile.measures.find((m) => m.id === 'spend per conversion');
    expect(cost?.perUnit).toEqual({ money: 'spend', base: 'conversions' });
    const row = await queryOne(
      db.connection,
      `SELECT ${cost!.aggregateSql} AS v, sum(spend) / sum(conversions) AS expected FROM data`,
    );
    expect(Number(row.v)).toBeCloseTo(Number(row.expected), 9);
    // Revenue is counted per conversion too, and per unit of spend (ROAS); spend per click beside spend per
    // conversion; money per unit is a price, not a finding.
    expect(profile.measures.map((m) => m.id).filter((id) => / per /.test(id))).toEqual([
      'spend per conversion',
      'revenue per conversion',
      'spend per click',
      'revenue per spend',
    ]);
    const roas = profile.measures.find((m) => m.id === 'revenue per spend')!;
    expect(roas.label).toBe('ROAS');
    const ratio = await queryOne(
      db.connection,
      `SELECT ${roas.aggregateSql} AS v, sum(revenue) / sum(spend) AS expected FROM data`,
    );
    expect(Number(ratio.v)).toBeCloseTo(Number(ratio.expected), 9);
    expect(profile.derived).toContainEqual({ column: 'spend per conversion', from: ['spend', 'conversions'] });
    db.close();
  });

  it('reads a date and a time-of-day column beside it as one hourly time axis, not 24 categories', async () => {
    const lines = ['Date,Time,Sensor,Temperature'];
    for (let day = 0; day < 5; day++)
      for (let hour = 0; hour < 24; hour++)
        for (const sensor of ['A', 'B'])
          lines.push(`2024-01-0${day + 1},${hour}:00,${sensor},${(15 + 5 * Math.sin(hour / 4) + day / 10).toFixed(2)}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.time).toMatchObject({ name: 'Date', clock: 'Time', granularity: 'hour', hasTimeOfDay: true });
    expect([profile.time?.min.slice(0, 16), profile.time?.max.slice(0, 16)]).toEqual([
      '2024-01-01T00:00',
      '2024-01-05T23:00',
    ]);
    expect(profile.fields.find((f) => f.name === 'Time')?.role).toBe('ignored');
    expect(profile.dimensions.map((d) => d.name)).toEqual(['Sensor']);
    db.close();
  });

  it('measures the time between two dates of a row (created → resolved), in hours when it is short', async () => {
    const lines = ['ticket,created_at,resolved_at,priority,order_date,ship_date'];
    for (let i = 0; i < 40; i++) {
      const created = Date.UTC(2024, 0, 1 + i, 9);
      // One ticket in forty still open, one resolved "before" it was opened (a typo): both left out.
      const resolved = i === 3 ? '' : new Date(created + (i === 5 ? -3600e3 : (2 + (i % 7)) * 3600e3)).toISOString();
      lines.push(
        `T${i},${new Date(created).toISOString()},${resolved},${i % 2 ? 'High' : 'Low'},2024-02-${String(1 + (i % 20)).padStart(2, '0')},2024-02-${String(4 + (i % 20)).padStart(2, '0')}`,
      );
    }
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const resolution = profile.measures.find((m) => m.id === 'time from created to resolved');
    expect(resolution).toMatchObject({ unit: 'hours', aggregation: 'mean', columns: ['created_at', 'resolved_at'] });
    expect(profile.measures.find((m) => m.id === 'time from order to ship')).toMatchObject({ unit: 'days' });
    // A resolution date and the next column's order date are not one process.
    expect(profile.measures.filter((m) => m.id.startsWith('time from')).map((m) => m.id)).toEqual([
      'time from created to resolved',
      'time from order to ship',
    ]);
    const row = await queryOne(
      db.connection,
      `SELECT ${resolution!.aggregateSql} AS v, count(${resolution!.rowSql}) AS n FROM data`,
    );
    expect(Number(row.n)).toBe(38);
    db.close();
  });

  it("follows a price table's adjusted close, never its open, high and low beside it", async () => {
    const lines = ['date,open,high,low,close,adj close,volume'];
    for (let day = 0; day < 30; day++) {
      const price = 100 + day;
      lines.push(
        `2024-03-${String(day + 1).padStart(2, '0')},${price},${price + 2},${price - 2},${price + 1},${price + 0.5},${1000 + ((day * 7919) % 613)}`,
      );
    }
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.measures.map((m) => m.id)).toEqual(['adj close', 'volume', '__rows']);
    expect(profile.fields.filter((f) => f.role === 'ignored').map((f) => f.name)).toEqual([
      'open',
      'high',
      'low',
      'close',
    ]);
    db.close();
  });

  it('drops a "Total" row that adds up the others, so nothing is counted twice', async () => {
    // At the bottom, the reading leaves it out; inside the table, the profile does.
    const last = await profileOf('region,sales\nNorth,10\nSouth,20\nEast,30\nTotal,60\n');
    expect(last.profile.totalsRows).toEqual([]);
    expect(Number((await queryOne(last.db.connection, 'SELECT sum(sales) AS s FROM data')).s)).toBe(60);
    last.db.close();
    const { db, profile } = await profileOf('region,sales\nNorth,10\nSouth,20\nTotal,60\nEast,30\nWest,0\n');
    expect(profile.totalsRows).toEqual([{ column: 'region', member: 'Total', rows: 1 }]);
    expect(Number((await queryOne(db.connection, 'SELECT sum(sales) AS s FROM data')).s)).toBe(60);
    db.close();
  });

  it('keeps coordinates, id codes and aliases of one category out of the analysis', async () => {
    const birds = [
      ['American Robin', 'bAMROx', '58fa449fe4b0b7ea54524c5e'],
      ['Blue Jay', 'bBLJAx', '58fa449fe4b0b7ea54524c5f'],
      ['House Sparrow', 'bHOSPx', '58fa449fe4b0b7ea54524c60'],
      ['Barn Owl', 'bBANOx', '58fa449fe4b0b7ea54524c61'],
    ];
    const lines = ['common_name,code,gap_id,county_id,latitude,longitude,habitat_share,temperature'];
    for (let i = 0; i < 120; i++) {
      const [name, code, id] = birds[i % 4]!;
      lines.push(
        `${name},${code},${id},${1001 + (i % 60)},${(30 + (i % 17)).toFixed(1)},${(-120 + (i % 23)).toFixed(1)},${((i * 7) % 10) / 10},${(i % 9) - 3}`,
      );
    }
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const role = (name: string) => profile.fields.find((f) => f.name === name)?.role;
    expect(profile.dimensions.map((d) => d.name)).toEqual(['common_name']);
    expect([role('code'), role('gap_id')]).toEqual(['ignored', 'ignored']);
    expect([role('county_id'), role('latitude'), role('longitude')]).toEqual(['identifier', 'ignored', 'ignored']);
    expect(profile.measures.map((m) => m.id)).toEqual(['habitat_share', 'temperature', '__rows']);
    // A share of 0–1 named so reads as a percentage ("30.0%", not "0.300").
    expect(profile.measures.find((m) => m.id === 'habitat_share')?.format).toEqual({
      kind: 'percent',
      percentScale: 'fraction',
    });
    // Below zero and named like one: told in units, never in percent.
    expect(profile.measures.find((m) => m.id === 'temperature')?.interval).toBe(true);
    db.close();
  });

  it('averages the unnamed whole numbers of a table of named things (horsepower of cars), sums them in a log', async () => {
    const cars = ['name,horsepower,cylinders'];
    const visits = ['day,visitors,pages'];
    for (let i = 0; i < 60; i++) {
      cars.push(`model ${i},${90 + ((i * 37) % 120)},${4 + 2 * (i % 3)}`);
      visits.push(`2024-01-${String(1 + (i % 28)).padStart(2, '0')},${10 + ((i * 7) % 30)},${20 + ((i * 11) % 50)}`);
    }
    const aggregation = async (csv: string[], id: string) => {
      const { db, profile } = await profileOf(`${csv.join('\n')}\n`);
      db.close();
      return profile.measures.find((m) => m.id === id)?.aggregation;
    };
    expect(await aggregation(cars, 'horsepower')).toBe('mean');
    expect(await aggregation(cars, 'cylinders')).toBe('mean');
    expect(await aggregation(visits, 'visitors')).toBe('sum');
  });

  it('averages income next to a population, weighted by it, instead of summing incomes', async () => {
    const lines = ['country,income,population,region'];
    for (let i = 0; i < 40; i++) lines.push(`C${i},${1000 + ((i * 997) % 30000)},${1_000_000 + i * 250_000},R${i % 4}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const income = profile.measures.find((m) => m.id === 'income')!;
    expect([income.aggregation, income.weightedBy]).toEqual(['mean', 'population']);
    expect(profile.measures.find((m) => m.id === 'population')?.aggregation).toBe('sum');
    db.close();
  });

  it('reads Unix time (seconds or milliseconds) in a column named like a time as the timeline', async () => {
    for (const [scale, step] of [
      [1, 3600],
      [1000, 3_600_000],
    ] as const) {
      const lines = ['timestamp,device,temperature'];
      for (let i = 0; i < 72; i++) lines.push(`${1_704_067_200 * scale + i * step},d${i % 2},${20 + (i % 24) / 4}`);
      const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
      expect(profile.fields.find((f) => f.name === 'timestamp')?.role).toBe('time');
      expect(profile.time).toMatchObject({ granularity: 'hour', min: '2024-01-01T00:00:00', hasTimeOfDay: true });
      expect(profile.measures.some((m) => m.id === 'timestamp')).toBe(false);
      db.close();
    }
  });

  it('reads survey answers on a rating scale as a 1–5 score, compared in points', async () => {
    const answers = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];
    const lines = ['respondent,team,I feel valued,q2'];
    for (let i = 0; i < 60; i++)
      lines.push(`R${i},T${i % 3},${answers[i % 5]},${['Never', 'Sometimes', 'Always'][i % 3]}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    const valued = profile.measures.find((m) => m.id === 'I feel valued')!;
    expect(valued).toMatchObject({ label: 'I feel valued (score 1–5)', aggregation: 'mean', interval: true });
    expect(Number((await queryOne(db.connection, `SELECT ${valued.aggregateSql} AS v FROM data`)).v)).toBe(3);
    expect(profile.measures.find((m) => m.id === 'q2')?.scale).toEqual({ steps: 5 });
    expect(profile.dimensions.map((d) => d.name)).toEqual(['team']);
    db.close();
  });

  it('names a measure by the unit its cells carry, and tells °C in degrees', async () => {
    const lines = ['item,weight,temp'];
    for (let i = 0; i < 30; i++) lines.push(`I${i},${(10 + i / 3).toFixed(1)} kg,${(18 + (i % 7)).toFixed(1)} °C`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.measures.find((m) => m.id === 'weight')?.unit).toBe('kg');
    expect(profile.measures.find((m) => m.id === 'temp')).toMatchObject({ unit: '°C', interval: true });
    db.close();
  });

  it('reads decimals as written, whether or not the column has gaps', async () => {
    const lines = ['item,length_mm,mass_g'];
    for (let i = 0; i < 30; i++)
      lines.push(`I${i},${i % 5 === 0 ? 'NA' : 180 + i},${(3000 + 10 * ((i * 37) % 23)).toFixed(1)}`);
    const { db, profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.measures.find((m) => m.id === 'length_mm')?.decimals).toBe(0);
    expect(profile.measures.find((m) => m.id === 'mass_g')?.decimals).toBe(0);
    db.close();
  });

  it('keeps a row named like a total when it is not one', async () => {
    const { profile } = await profileOf('team,score\nAll,10\nBlue,20\nRed,30\n');
    expect(profile.totalsRows).toEqual([]);
  });

  it('reads elapsed times written as clocks as minutes, a run of bib numbers as ids, and a clock beside a date as a time of day', async () => {
    const race = ['bib,gender,finish_time,pace'];
    for (let i = 0; i < 150; i++) {
      const seconds = 3 * 3600 + i * 61;
      const clock = (s: number) =>
        [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((v) => String(v).padStart(2, '0')).join(':');
      const pace = 240 + ((i * 37) % 200);
      race.push(
        `${2000 + i},${i % 2 ? 'F' : 'M'},${clock(seconds)},${Math.floor(pace / 60)}:${String(pace % 60).padStart(2, '0')}`,
      );
    }
    const { profile } = await profileOf(`${race.join('\n')}\n`);
    const finish = profile.measures.find((m) => m.id === 'finish_time');
    expect(finish).toMatchObject({ unit: 'min', aggregation: 'mean' });
    expect(finish?.range?.min).toBeCloseTo(180, 6);
    expect(profile.measures.find((m) => m.id === 'pace')).toMatchObject({ unit: 'min' });
    expect(profile.fields.find((f) => f.name === 'bib')?.role).toBe('identifier');
    const shifts = ['date,start,visitors'];
    for (let d = 1; d <= 28; d++) shifts.push(`2024-02-${String(d).padStart(2, '0')},0${(d % 3) + 7}:30,${100 + d}`);
    const clock = await profileOf(`${shifts.join('\n')}\n`);
    expect(clock.profile.measures.map((m) => m.id)).not.toContain('start');
  });

  it('names rows after the code that names each row: zip codes are themselves the thing, a product code names a product', async () => {
    const rowsLabel = async (header: string) => {
      const lines = [`${header},state,amount`];
      for (let i = 0; i < 30; i++) lines.push(`${10000 + i * 7},${['NY', 'TX', 'CA'][i % 3]},${i + 1}`);
      const { profile } = await profileOf(`${lines.join('\n')}\n`);
      return profile.measures.find((m) => m.id === '__rows')?.label;
    };
    expect(await rowsLabel('zip_code')).toBe('zip codes');
    expect(await rowsLabel('product_code')).toBe('products');
    expect(await rowsLabel('order_id')).toBe('orders');
  });

  it('averages readings at a bound (a daily high, a record low) but still sums counts named opened or closed', async () => {
    const lines = ['day,record_high,low,opened_tickets,closed_deals'];
    for (let d = 1; d <= 20; d++)
      lines.push(
        `2024-01-${String(d).padStart(2, '0')},${60 + (d % 7)},${30 + (d % 5)},${10 + (d % 4)},${3 + (d % 3)}`,
      );
    const { profile } = await profileOf(`${lines.join('\n')}\n`);
    const aggregation = (id: string) => profile.measures.find((m) => m.id === id)?.aggregation;
    expect(aggregation('record_high')).toBe('mean');
    expect(aggregation('low')).toBe('mean');
    expect(aggregation('opened_tickets')).toBe('sum');
    expect(aggregation('closed_deals')).toBe('sum');
  });

  it('never sums averaged measures, weights rates by volume, and builds rates from outcomes and count pairs', async () => {
    const lines = ['day,source,sessions,conversions,bounce_rate,price,churned'];
    for (let d = 1; d <= 20; d++) {
      const sessions = 100 + ((d * 37) % 23) * 10;
      lines.push(
        `2024-01-${String(d).padStart(2, '0')},A,${sessions},${(d * 7) % 5},${40 + ((d * 11) % 9)}%,${9.99 + ((d * 5) % 7)},${d % 3 === 0 ? 'Yes' : 'No'}`,
      );
    }
    const { profile } = await profileOf(`${lines.join('\n')}\n`);
    const measure = (id: string) => profile.measures.find((m) => m.id === id)!;
    expect(measure('sessions').aggregation).toBe('sum');
    expect(measure('price').aggregation).toBe('mean');
    expect(measure('bounce_rate').weightedBy).toBe('sessions');
    expect(measure('churned:rate').aggregation).toBe('rate');
    expect(measure('conversions/sessions')).toMatchObject({ aggregation: 'rate', label: 'conversion rate' });
    // A shop's visitors are its footfall: transactions per footfall is its conversion.
    const shop = ['day,store,footfall,transactions'];
    for (let d = 1; d <= 20; d++)
      shop.push(`2024-01-${String(d).padStart(2, '0')},S1,${800 + d * 9},${160 + ((d * 7) % 11)}`);
    const shops = await profileOf(`${shop.join('\n')}\n`);
    expect(shops.profile.measures.find((m) => m.id === 'transactions/footfall')?.aggregation).toBe('rate');
    // A satisfaction score of 1–5 per ticket is averaged: June's busy month has more tickets, not a higher CSAT.
    const tickets = ['created,csat,satisfaction'];
    for (let d = 1; d <= 40; d++)
      tickets.push(`2024-01-${String((d % 28) + 1).padStart(2, '0')},${(d % 5) + 1},${((d * 3) % 5) + 1}`);
    const rated = await profileOf(`${tickets.join('\n')}\n`);
    for (const id of ['csat', 'satisfaction'])
      expect(rated.profile.measures.find((m) => m.id === id)?.aggregation).toBe('mean');
    // Two refunds among sales leave revenue a quantity told in percent; a balance often below zero is not.
    const ledger = ['day,revenue,balance'];
    for (let d = 1; d <= 60; d++)
      ledger.push(
        `2024-01-${String((d % 28) + 1).padStart(2, '0')},${d % 30 === 0 ? -12.5 : 40 + d},${(d % 4) * 50 - 60}`,
      );
    // Run-together group headers: "Pclass" 1–3 is a passenger class, not an amount to average.
    // A row number under any header ("passenger": 1, 2, 3 … 30) is no quantity either.
    const classes = ['passenger,Pclass,Fare'];
    for (let i = 1; i <= 30; i++) classes.push(`${i},${(i % 3) + 1},${(10 + ((i * 7) % 40)).toFixed(2)}`);
    const passengers = await profileOf(`${classes.join('\n')}\n`);
    expect(passengers.profile.dimensions.map((d) => d.name)).toContain('Pclass');
    for (const id of ['Pclass', 'passenger']) expect(passengers.profile.measures.map((m) => m.id)).not.toContain(id);
    const money = await profileOf(`${ledger.join('\n')}\n`);
    expect(money.profile.measures.find((m) => m.id === 'revenue')?.interval).toBeUndefined();
    expect(money.profile.measures.find((m) => m.id === 'balance')?.interval).toBe(true);
  });

  it('marks a column computed from two others as derived, and a near-copy as a duplicate', async () => {
    const lines = ['units,unit_price,revenue,revenue_copy'];
    for (let i = 1; i <= 40; i++)
      lines.push(
        `${(i % 5) + 1},${((i * 7) % 13) + 1},${((i % 5) + 1) * (((i * 7) % 13) + 1)},${((i % 5) + 1) * (((i * 7) % 13) + 1) + 0.001 * i}`,
      );
    const { profile } = await profileOf(`${lines.join('\n')}\n`);
    expect(profile.derived).toContainEqual({ column: 'revenue', from: ['unit_price', 'units'] });
    expect(profile.duplicates.map((d) => d.column)).toContain('revenue_copy');
  });
});
