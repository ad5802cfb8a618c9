import type { DatasetProfile, Dimension, Measure } from './types.ts';

/**
 * A rollup is a small table of partial aggregates per (member of one dimension, time value): on a million
 * daily orders, 40 products × 730 days is 29,000 rows, so every series and group statistic of that dimension
 * is computed from it instead of from the million rows (one grouped scan instead of three or four).
 * A measure takes part only when its aggregate can be rebuilt exactly from partial sums and counts.
 */

/** Rows a table needs before a rollup pays for the scan that builds it. */
const MIN_ROWS = 50_000;
/** The rollup must be at least this many times smaller than the table. */
const MIN_REDUCTION = 4;

/** A measure's aggregate as partial aggregates (per rollup row) and how to combine them over rollup rows. */
export interface MeasureRollup {
  parts: string[];
  /** SQL aggregate over rollup rows; `part(j)` names the column of `parts[j]`, `t` is the time value. */
  combine: (part: (j: number) => string) => string;
}

const ratioOf = (part: (j: number) => string) => `sum(${part(0)}) / nullif(sum(${part(1)}), 0)`;

/**
 * How to rebuild `measure.aggregateSql` from partial aggregates, or null. Each form is recognised by
 * regenerating the exact SQL the profile writes for it, so an aggregate written any other way is never
 * approximated: it is computed from the table.
 */
export function measureRollup(measure: Measure, profile: DatasetProfile): MeasureRollup | null {
  const x = measure.rowSql;
  const sql = measure.aggregateSql;
  if (sql === 'count(*)') return { parts: [], combine: () => 'sum(rows)' };
  if (sql === `sum(${x})`) return { parts: [`sum(${x})`], combine: (part) => `sum(${part(0)})` };
  if (sql === `avg(${x})`) {
    return { parts: [`sum(${x})`, `count(${x})`], combine: (part) => `CAST(${ratioOf(part)} AS DOUBLE)` };
  }
  if (measure.ratio) {
    const { numeratorSql: n, denominatorSql: d } = measure.ratio;
    if (sql === `sum(${n}) / nullif(sum(${d}), 0)`) return { parts: [`sum(${n})`, `sum(${d})`], combine: ratioOf };
  }
  const weight = profile.measures.find((m) => m.id === measure.weightedBy);
  if (weight) {
    const w = weight.rowSql;
    if (sql === `sum(${x} * ${w}) / nullif(sum(CASE WHEN ${x} IS NOT NULL THEN ${w} END), 0)`) {
      return { parts: [`sum(${x} * ${w})`, `sum(CASE WHEN ${x} IS NOT NULL THEN ${w} END)`], combine: ratioOf };
    }
  }
  const time = profile.time;
  if (time && sql === `sum(${x}) / nullif(count(DISTINCT CASE WHEN ${x} IS NOT NULL THEN ${time.sql} END), 0)`) {
    // Periods with a value: rollup rows are one per time value, so count those where the measure has one.
    return {
      parts: [`sum(${x})`, `count(${x})`],
      combine: (part) => `sum(${part(0)}) / nullif(count(DISTINCT CASE WHEN ${part(1)} > 0 THEN t END), 0)`,
    };
  }
  return null;
}

/** Whether a rollup of `dimension` × time is worth building: a big table and far fewer cells than rows. */
export function rollupPays(profile: DatasetProfile, dimension: Dimension): boolean {
  const time = profile.time;
  if (!time || profile.rowCount < MIN_ROWS) return false;
  // Distinct time values × members bounds the cells from above (without a query).
  return time.distinct * (dimension.cardinality + 1) * MIN_REDUCTION <= profile.rowCount;
}
