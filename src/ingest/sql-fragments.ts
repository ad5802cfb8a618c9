import { quoteLiteral } from '../db/duckdb.ts';

/*
 * Queries here hold one expression per column, and files can have hundreds of columns. DuckDB 1.5.6 plans
 * `count(*) FILTER (WHERE …)` and `x IN (…long list…)` in time that grows much faster than the number of
 * expressions (300 columns: 15 s and 55 s). `count(CASE …)` and `list_contains` plan in linear time and
 * also run faster.
 */

/** A SQL list literal: `['a', 'b']`. */
export function listLiteral(values: (string | number)[]): string {
  return `[${values.map((value) => (typeof value === 'number' ? String(value) : quoteLiteral(value))).join(', ')}]`;
}

/** True when `expression` equals one of `values`. */
export function isOneOf(expression: string, values: (string | number)[]): string {
  return `list_contains(${listLiteral(values)}, ${expression})`;
}

/** Rows where `condition` holds. */
export function countWhere(condition: string): string {
  return `count(CASE WHEN ${condition} THEN 1 END)`;
}
