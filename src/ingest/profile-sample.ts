import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, quoteIdent } from '../db/duckdb.ts';

export interface ValueCount {
  value: string;
  count: number;
}

/** Cells of one column that look alike: digits → `9`, letters → `a` (`2024-03-01` → `9999-99-99`). */
export interface ShapeGroup {
  shape: string;
  count: number;
  /** Distinct values with this shape. */
  distinct: number;
  /** The most frequent values of this shape (all of them when `distinct` ≤ `EXAMPLES_PER_SHAPE`). */
  examples: ValueCount[];
}

export interface SampleProfile {
  /** Non-empty cells in the sample. */
  nonEmpty: number;
  /** The most common shapes, most frequent first. */
  shapes: ShapeGroup[];
}

/** Rows profiled: the first rows plus an evenly spaced selection of the rest (deterministic, unlike SAMPLE). */
const SAMPLE_ROWS = 20_000;
const LEADING_ROWS = 2_000;
const SHAPES_PER_COLUMN = 60;
export const EXAMPLES_PER_SHAPE = 8;

/**
 * Shapes and example values of every raw (VARCHAR) column over a sample of rows. Shapes show which
 * formats a column mixes; the examples let `infer-types.ts` read them. Every decision is then checked
 * against the whole column.
 */
export async function profileSample(
  connection: DuckDBConnection,
  rawTable: string,
  rawColumns: string[],
  rowCount: number,
): Promise<SampleProfile[]> {
  if (rawColumns.length === 0) return [];
  const step = Math.max(1, Math.ceil(rowCount / SAMPLE_ROWS));
  const columns = rawColumns.map(quoteIdent).join(', ');
  // One UNPIVOT over the sample instead of one subquery per column: wide files have hundreds of columns.
  const rows = await queryRows(
    connection,
    `WITH sample AS (
       SELECT ${columns} FROM ${quoteIdent(rawTable)} WHERE rowid < ${LEADING_ROWS} OR rowid % ${step} = 0),
     cells AS (
       SELECT name, trim(value) AS v FROM (UNPIVOT sample ON ${columns} INTO NAME name VALUE value)
       WHERE trim(value) <> ''),
     counted AS (SELECT name, v, count(*) AS n FROM cells GROUP BY name, v),
     shaped AS (
       SELECT name, v, n, left(regexp_replace(regexp_replace(v, '[0-9]', '9', 'g'), '\\pL', 'a', 'g'), 48) AS shape
       FROM counted)
     SELECT name, shape, sum(n)::BIGINT AS n, count(*)::BIGINT AS distinct_values,
       (sum(sum(n)) OVER (PARTITION BY name))::BIGINT AS total,
       list(v ORDER BY n DESC, v)[1:${EXAMPLES_PER_SHAPE}] AS example_values,
       list(n ORDER BY n DESC, v)[1:${EXAMPLES_PER_SHAPE}] AS example_counts
     FROM shaped GROUP BY name, shape
     QUALIFY row_number() OVER (PARTITION BY name ORDER BY sum(n) DESC, shape) <= ${SHAPES_PER_COLUMN}`,
  );
  const positions = new Map(rawColumns.map((column, position) => [column, position]));
  const profiles: SampleProfile[] = rawColumns.map(() => ({ nonEmpty: 0, shapes: [] }));
  for (const row of rows) {
    const profile = profiles[positions.get(String(row.name))!]!;
    profile.nonEmpty = Number(row.total);
    const values = (row.example_values ?? []) as string[];
    const counts = (row.example_counts ?? []) as number[];
    profile.shapes.push({
      shape: String(row.shape),
      count: Number(row.n),
      distinct: Number(row.distinct_values),
      examples: values.map((value, index) => ({ value, count: Number(counts[index] ?? 0) })),
    });
  }
  for (const profile of profiles) profile.shapes.sort((a, b) => b.count - a.count || (a.shape < b.shape ? -1 : 1));
  return profiles;
}
