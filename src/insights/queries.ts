import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, quoteIdent, quoteLiteral } from '../db/duckdb.ts';
import { type MeasureRollup, measureRollup, rollupPays } from './rollup.ts';
import { truncSql } from './time.ts';
import type { DatasetProfile, Dimension, Granularity, Measure } from './types.ts';

/** One bucket of a time series: its start (ISO), row count, distinct native periods, and each measure's aggregate. */
export interface Bucket {
  t: string;
  rows: number;
  /** Distinct native time values in the bucket (days in a month…), to spot incomplete periods. */
  coverage: number;
  values: (number | null)[];
}

export interface MemberBucket extends Bucket {
  member: string;
}

export interface GroupStats {
  member: string;
  rows: number;
  /** Per measure: aggregate, count of non-missing values, row-level mean and variance (for tests), and for rates the successes/trials. */
  measures: {
    value: number | null;
    n: number;
    mean: number | null;
    variance: number | null;
    k: number;
    trials: number;
  }[];
}

const number = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * Caches every aggregate query on one loaded table: detectors ask for the same series many times, and the
 * stories written afterwards ask for them again. Valid as long as the table and its profile do not change.
 */
export class QueryCache {
  private readonly cache = new Map<string, Promise<unknown>>();
  /** Per profile measure, how its aggregate is rebuilt from a rollup; null when one of them cannot be. */
  private readonly rollups: MeasureRollup[] | null;
  private static created = 0;
  private readonly id = ++QueryCache.created;

  constructor(
    readonly connection: DuckDBConnection,
    readonly profile: DatasetProfile,
    /** `false` computes everything from the table (tests compare the two). */
    options: { rollups?: boolean } = {},
  ) {
    const rollups = profile.measures.map((measure) => measureRollup(measure, profile));
    this.rollups =
      options.rollups !== false && rollups.every((rollup) => rollup !== null) ? (rollups as MeasureRollup[]) : null;
  }

  /** Whether series and group statistics of `dimension` come from a rollup (see `rollup.ts`). */
  usesRollup(dimension: Dimension): boolean {
    return this.rollups !== null && rollupPays(this.profile, dimension);
  }

  private memo<T>(key: string, run: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = run();
      this.cache.set(key, hit);
      // A failed or interrupted query (a timeout) must not stay cached for the next call.
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /** Each measure's aggregate as `v{i}`: over table rows, or rebuilt over rollup rows. */
  private aggregates(measures: Measure[], fromRollup = false): string {
    return measures
      .map((m, i) => {
        if (!fromRollup) return `${m.aggregateSql} AS v${i}`;
        const p = this.profile.measures.indexOf(m);
        return `${this.rollups![p]!.combine((j) => `p${p}_${j}`)} AS v${i}`;
      })
      .join(', ');
  }

  /** All measures per time bucket over the whole table, oldest first. */
  series(granularity: Granularity, measures: Measure[] = this.profile.measures): Promise<Bucket[]> {
    const time = this.profile.time;
    if (!time) return Promise.resolve([]);
    return this.memo(`series:${granularity}:${measures.map((m) => m.id).join('|')}`, async () => {
      const rollup = await this.anyRollup(measures);
      const t = rollup ? 't' : time.asTimestampSql;
      const rows = await queryRows(
        this.connection,
        `SELECT ${truncSql(granularity, t)} AS t, ${rollup ? 'sum(rows)' : 'count(*)'} AS rows,
                count(DISTINCT ${this.nativeBucket(t)}) AS coverage, ${this.aggregates(measures, rollup !== null)}
         FROM ${rollup ?? this.profile.table} WHERE ${rollup ? 't' : time.sql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      return rows.map((row) => ({
        t: String(row.t),
        rows: Number(row.rows),
        coverage: Number(row.coverage),
        values: measures.map((_, i) => number(row[`v${i}`])),
      }));
    });
  }

  /** All measures per (member, time bucket) of a dimension, for its listed members. */
  memberSeries(
    dimension: Dimension,
    granularity: Granularity,
    measures: Measure[] = this.profile.measures,
  ): Promise<MemberBucket[]> {
    const time = this.profile.time;
    if (!time) return Promise.resolve([]);
    return this.memo(
      `member-series:${dimension.name}:${granularity}:${measures.map((m) => m.id).join('|')}`,
      async () => {
        const rollup = await this.rollup(dimension, measures);
        const t = rollup ? 't' : time.asTimestampSql;
        const member = rollup ? 'member' : dimension.sql;
        const rows = await queryRows(
          this.connection,
          `SELECT ${member} AS member, ${truncSql(granularity, t)} AS t, ${rollup ? 'sum(rows)' : 'count(*)'} AS rows,
                count(DISTINCT ${this.nativeBucket(t)}) AS coverage, ${this.aggregates(measures, rollup !== null)}
         FROM ${rollup ?? this.profile.table} WHERE ${rollup ? 't' : time.sql} IS NOT NULL AND ${member} IS NOT NULL
         GROUP BY 1, 2 ORDER BY 1, 2`,
        );
        return rows.map((row) => ({
          member: String(row.member),
          t: String(row.t),
          rows: Number(row.rows),
          coverage: Number(row.coverage),
          values: measures.map((_, i) => number(row[`v${i}`])),
        }));
      },
    );
  }

  /**
   * Per-member statistics of every measure for one dimension (all members, most rows first); with `at`
   * (an ISO time value of the time column), only the rows of that moment.
   */
  groups(dimension: Dimension, measures: Measure[] = this.profile.measures, at?: string): Promise<GroupStats[]> {
    const time = this.profile.time;
    const moment = at && time ? ` AND ${time.asTimestampSql} = CAST(${quoteLiteral(at)} AS TIMESTAMP)` : '';
    return this.memo(`groups:${dimension.name}:${measures.map((m) => m.id).join('|')}:${moment}`, async () => {
      const rollup = await this.rollup(dimension, measures);
      if (rollup) return this.groupsFromRollup(rollup, measures, at);
      const parts = measures.map((m, i) => {
        const x = m.rowSql;
        const trials = m.ratio ? `sum(${m.ratio.denominatorSql})` : `count(${x})`;
        const successes = m.ratio ? `sum(${m.ratio.numeratorSql})` : `sum(${x})`;
        return `${m.aggregateSql} AS v${i}, count(${x}) AS n${i}, avg(${x}) AS mean${i}, var_samp(${x}) AS var${i},
                ${successes} AS k${i}, ${trials} AS trials${i}`;
      });
      const rows = await queryRows(
        this.connection,
        `SELECT ${dimension.sql} AS member, count(*) AS rows, ${parts.join(', ')}
         FROM ${this.profile.table} WHERE ${dimension.sql} IS NOT NULL${moment} GROUP BY 1 ORDER BY rows DESC, member`,
      );
      return toGroupStats(rows, measures);
    });
  }

  /**
   * `groups` from a rollup: counts and sums add up; the variance of a member's rows is the sum of each
   * rollup row's squared deviations plus its rows' offset from the member's mean (Chan et al.), which is
   * exact and keeps the precision of DuckDB's own `var_pop` per rollup row.
   */
  private async groupsFromRollup(rollup: string, measures: Measure[], at: string | undefined) {
    const moment = at ? ` AND t = CAST(${quoteLiteral(at)} AS TIMESTAMP)` : '';
    const positions = measures.map((m) => this.profile.measures.indexOf(m));
    const perMember = positions.map((p, i) => {
      const m = measures[i]!;
      const k = m.ratio ? `sum(p${p}_0)` : `sum(s${p})`;
      const trials = m.ratio ? `sum(p${p}_1)` : `sum(n${p})`;
      return `${this.rollups![p]!.combine((j) => `p${p}_${j}`)} AS v${i}, sum(n${p}) AS n${i},
              sum(s${p}) / nullif(sum(n${p}), 0) AS mean${i}, ${k} AS k${i}, ${trials} AS trials${i}`;
    });
    const spread = positions.map(
      (p, i) =>
        `sum(r.m2_${p} + r.n${p} * (r.s${p} / nullif(r.n${p}, 0) - g.mean${i}) ** 2) / nullif(any_value(g.n${i}) - 1, 0) AS var${i}`,
    );
    const rows = await queryRows(
      this.connection,
      `WITH r AS (SELECT * FROM ${rollup} WHERE member IS NOT NULL${moment}),
            g AS (SELECT member, sum(rows) AS rows, ${perMember.join(', ')} FROM r GROUP BY member)
       SELECT g.member, any_value(g.rows) AS rows,
              ${measures.map((_, i) => `any_value(g.v${i}) AS v${i}, any_value(g.n${i}) AS n${i}, any_value(g.mean${i}) AS mean${i}, any_value(g.k${i}) AS k${i}, any_value(g.trials${i}) AS trials${i}`).join(', ')},
              ${spread.join(', ')}
       FROM r JOIN g ON r.member = g.member GROUP BY g.member ORDER BY rows DESC, g.member`,
    );
    return toGroupStats(rows, measures);
  }

  /** The bucket of the time column's native step (coverage counts these). */
  private nativeBucket(timestampSql: string): string {
    const time = this.profile.time!;
    return truncSql(time.granularity === 'minute' ? 'minute' : time.granularity, timestampSql);
  }

  /**
   * The rollup table of `dimension` × time when it pays and covers `measures` (built on first use), else null.
   * Columns: member, t (the time value), rows, and per profile measure i: its parts p{i}_{j}, and n{i}, s{i},
   * m2_{i} (count, sum and sum of squared deviations of the row values) for group statistics.
   */
  private rollup(dimension: Dimension, measures: Measure[]): Promise<string | null> {
    const time = this.profile.time;
    const rollups = this.rollups;
    if (!time || !rollups || !this.usesRollup(dimension)) return Promise.resolve(null);
    if (!measures.every((m) => this.profile.measures.includes(m))) return Promise.resolve(null);
    return this.memo(`rollup:${dimension.name}`, async () => {
      // Stored in order: sums over it then always add the same numbers in the same order (same last digit).
      // Named per cache: two caches on one table (another profile of it) never share or replace a rollup.
      const table = quoteIdent(`__rollup_${this.id}_${this.profile.dimensions.indexOf(dimension)}`);
      const columns = this.profile.measures.flatMap((m, i) => [
        ...rollups[i]!.parts.map((part, j) => `${part} AS p${i}_${j}`),
        `count(${m.rowSql}) AS n${i}`,
        `sum(${m.rowSql}) AS s${i}`,
        `var_pop(${m.rowSql}) * count(${m.rowSql}) AS m2_${i}`,
      ]);
      await this.connection.run(
        `CREATE OR REPLACE TEMP TABLE ${table} AS
         SELECT ${dimension.sql} AS member, ${time.asTimestampSql} AS t, count(*) AS rows, ${columns.join(', ')}
         FROM ${this.profile.table} GROUP BY ALL ORDER BY member, t`,
      );
      return table;
    });
  }

  /**
   * A rollup for whole-table series (summed over its members, missing ones included): the smallest that
   * pays, which the detectors of that dimension use afterwards anyway.
   */
  private anyRollup(measures: Measure[]): Promise<string | null> {
    const smallest = this.profile.dimensions
      .filter((dimension) => rollupPays(this.profile, dimension))
      .sort((a, b) => a.cardinality - b.cardinality)[0];
    return smallest ? this.rollup(smallest, measures) : Promise.resolve(null);
  }

  /**
   * The latest moment of a panel that is fully reported (at least 90% of the rows of the fullest one), as
   * an ISO time value; null without a time column.
   */
  latestFullMoment(): Promise<string | null> {
    const time = this.profile.time;
    if (!time) return Promise.resolve(null);
    return this.memo('latest-full-moment', async () => {
      // In SQL: a sensor panel has a moment per minute, far too many to bring back.
      const rows = await queryRows(
        this.connection,
        `WITH moments AS (SELECT ${time.asTimestampSql} AS t, count(*) AS n FROM ${this.profile.table}
                          WHERE ${time.sql} IS NOT NULL GROUP BY 1)
         SELECT max(t) AS t FROM moments WHERE n >= 0.9 * (SELECT max(n) FROM moments)`,
      );
      return rows[0]?.t ? String(rows[0].t) : null;
    });
  }

  /** Each measure over the whole table (the baseline every comparison starts from). */
  totals(measures: Measure[] = this.profile.measures): Promise<(number | null)[]> {
    return this.memo(`totals:${measures.map((m) => m.id).join('|')}`, async () => {
      const rows = await queryRows(this.connection, `SELECT ${this.aggregates(measures)} FROM ${this.profile.table}`);
      return measures.map((_, i) => number(rows[0]?.[`v${i}`]));
    });
  }
}

function toGroupStats(rows: Record<string, unknown>[], measures: Measure[]): GroupStats[] {
  return rows.map((row) => ({
    member: String(row.member),
    rows: Number(row.rows),
    measures: measures.map((_, i) => ({
      value: number(row[`v${i}`]),
      n: Number(row[`n${i}`] ?? 0),
      mean: number(row[`mean${i}`]),
      variance: number(row[`var${i}`]),
      k: Number(row[`k${i}`] ?? 0),
      trials: Number(row[`trials${i}`] ?? 0),
    })),
  }));
}
