import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, quoteIdent } from '../db/duckdb.ts';
import { countWhere, isOneOf } from './sql-fragments.ts';

/** Placeholder codes that data exports write for "no reading". */
export const SENTINEL_CODES = [-1, -99, -999, -9999, -99999, 999, 9999, 99999, 999999];
const NEGATIVE_CODES_FROM = Math.max(...SENTINEL_CODES.filter((code) => code < 0));
const POSITIVE_CODES_FROM = Math.min(...SENTINEL_CODES.filter((code) => code > 0));

/** A column of signed differences (delay, deviation, variance, change): −1 is a value there. */
const SIGNED_NAME =
  /(^|[_\s-])(delay|delays|delayed|lateness|late|early|deviation|variance|diff|difference|delta|change|offset|error|bias|gap)([_\s-]|$)/i;
/** A code must sit this many robust standard deviations from the median of the other values. */
const MIN_ROBUST_DEVIATIONS = 10;
/** Fewer other values than this give no reliable spread. */
const MIN_OTHER_VALUES = 10;

export interface SentinelFinding {
  code: number;
  count: number;
}

interface Spread {
  count: number;
  median: number | null;
  mad: number | null;
  q10: number | null;
  q90: number | null;
  min: number | null;
  max: number | null;
  /** Values that are not whole numbers. */
  fractional: number;
}

/**
 * Finds placeholder codes in numeric columns of `table`: a code from `SENTINEL_CODES` that appears at least
 * twice, lies beyond every other value, and is far from their median (measured with the median absolute
 * deviation, so the codes themselves cannot widen the yardstick). `-1` counts only when every other value
 * is ≥ 0, and then always in a column of whole numbers (a count has no −1). Conservative on purpose: a real
 * value is worse to lose than a code is to keep.
 */
export async function findSentinels(
  connection: DuckDBConnection,
  table: string,
  columns: string[],
): Promise<Map<string, SentinelFinding[]>> {
  const findings = new Map<string, SentinelFinding[]>();
  if (columns.length === 0) return findings;
  // First which columns hold any code at all (one aggregate per column), then which codes, column by column.
  // Every code is ≤ -1 or ≥ 999: testing that first skips the list for almost every cell (10× faster).
  const anyCode = columns.map((column, index) => {
    const x = quoteIdent(column);
    return `${countWhere(`(${x} <= ${NEGATIVE_CODES_FROM} OR ${x} >= ${POSITIVE_CODES_FROM}) AND ${isOneOf(x, SENTINEL_CODES)}`)} AS "n${index}"`;
  });
  const row = await queryOne(connection, `SELECT ${anyCode.join(', ')} FROM ${quoteIdent(table)}`);
  for (const [columnIndex, column] of columns.entries()) {
    if (Number(row[`n${columnIndex}`] ?? 0) < 2) continue;
    const perCode = await queryOne(
      connection,
      `SELECT ${SENTINEL_CODES.map((code, index) => `${countWhere(`${quoteIdent(column)} = ${code}`)} AS "c${index}"`).join(', ')}
       FROM ${quoteIdent(table)}`,
    );
    const candidates = SENTINEL_CODES.map((code, index) => ({ code, count: Number(perCode[`c${index}`] ?? 0) })).filter(
      (candidate) => candidate.count >= 2,
    );
    if (candidates.length === 0) continue;
    const spread = await spreadWithout(
      connection,
      table,
      column,
      candidates.map((candidate) => candidate.code),
    );
    // A delay or a difference runs below zero by nature (a bus a minute early): its −1 is a minute early.
    const signed = SIGNED_NAME.test(column);
    const found = candidates.filter(
      (candidate) => !(signed && candidate.code === -1) && isFarOut(candidate.code, spread),
    );
    if (found.length > 0) findings.set(column, found);
  }
  return findings;
}

async function spreadWithout(
  connection: DuckDBConnection,
  table: string,
  column: string,
  codes: number[],
): Promise<Spread> {
  const x = quoteIdent(column);
  const row = await queryOne(
    connection,
    `SELECT count(x) AS count, median(x) AS median, mad(x) AS mad, quantile_cont(x, 0.1) AS q10,
       quantile_cont(x, 0.9) AS q90, min(x) AS min, max(x) AS max, count(x) FILTER (WHERE x <> floor(x)) AS fractional
     FROM (SELECT ${x} AS x FROM ${quoteIdent(table)} WHERE NOT ${isOneOf(x, codes)})`,
  );
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    count: Number(row.count ?? 0),
    median: number(row.median),
    mad: number(row.mad),
    q10: number(row.q10),
    q90: number(row.q90),
    min: number(row.min),
    max: number(row.max),
    fractional: Number(row.fractional ?? 0),
  };
}

function isFarOut(code: number, spread: Spread): boolean {
  const { median, mad, q10, q90, min, max } = spread;
  if (spread.count < MIN_OTHER_VALUES || median === null || min === null || max === null) return false;
  // 1.4826 × MAD estimates the standard deviation of normal data; the 10–90% range backs it up when
  // more than half the values are equal (MAD = 0).
  let scale = 1.4826 * (mad ?? 0);
  if (scale === 0 && q10 !== null && q90 !== null) scale = (q90 - q10) / 2.5631;
  if (scale === 0) return false;
  // A count that is otherwise never below zero (support tickets 0–6) has no −1 of its own: −1 is its
  // "unknown", however near the other values it lies.
  if (code === -1 && min >= 0 && spread.fractional === 0) return true;
  if (code < 0) {
    if (code === -1 && min < 0) return false;
    return code < min && (median - code) / scale > MIN_ROBUST_DEVIATIONS;
  }
  return code > max && (code - median) / scale > MIN_ROBUST_DEVIATIONS;
}
