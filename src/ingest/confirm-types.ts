import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows, quoteIdent } from '../db/duckdb.ts';
import { type ColumnGap, explainGaps } from './column-census.ts';
import { appliedMarkers, type ColumnState, planColumn } from './column-plan.ts';
import { STRONG_MARKERS } from './null-markers.ts';
import type { DecimalMark } from './number-format.ts';
import { parseExpression, rawColumnName } from './parse-expressions.ts';
import { isOneOf } from './sql-fragments.ts';

/** Share of a column's non-missing cells that must parse for the whole column to take the type. */
const FULL_COLUMN_SHARE = 0.95;
/** Failing cells fetched to look for formats the sample missed. */
const FAILING_VALUES = 20;
const NO_GAP: ColumnGap = { blank: 0, markers: 0, markerSpellings: [], wordMarkers: 0 };

/**
 * Splits the cells each column lost (non-NULL raw, NULL typed) into blanks, null markers and invalid cells.
 * Only columns that lost cells are scanned again.
 */
export async function measureGaps(
  connection: DuckDBConnection,
  rawTable: string,
  typedTable: string,
  states: ColumnState[],
  rowCount: number,
): Promise<void> {
  const typed = await queryOne(
    connection,
    `SELECT ${states.map((state, key) => `count(${quoteIdent(state.name)}) AS "n${key}"`).join(', ')}
     FROM ${quoteIdent(typedTable)}`,
  );
  const typedCounts = states.map((_, key) => Number(typed[`n${key}`] ?? 0));
  const gaps = await explainGaps(
    connection,
    rawTable,
    states.flatMap((state, key) =>
      state.rawCount > typedCounts[key]!
        ? [{ key, rawColumn: rawColumnName(state.index), markers: appliedMarkers(state) }]
        : [],
    ),
  );
  for (const [key, state] of states.entries()) {
    const gap = gaps.get(key) ?? NO_GAP;
    state.emptyCount = rowCount - state.rawCount + gap.blank;
    state.markerCount = gap.markers;
    state.parse.nullMarkers = gap.markerSpellings;
    state.nonMissing = state.rawCount - gap.blank - gap.markers;
    state.parsedCount = typedCounts[key]!;
    state.invalidCount = Math.max(0, state.nonMissing - state.parsedCount);
    state.invalidExample = null;
  }
}

/**
 * `NA` and `None` in a non-text column mean the file uses them as placeholders: then they are missing in
 * text columns too. Returns true when a text column changed.
 */
export async function applyWordMarkers(
  connection: DuckDBConnection,
  rawTable: string,
  states: ColumnState[],
): Promise<boolean> {
  const pending = states.filter((state) => state.parse.type === 'text' && !state.wordMarkersMissing);
  if (pending.length === 0) return false;
  const placeholderColumns = states.filter(
    (state) => state.parse.type !== 'text' && state.parse.nullMarkers.some((marker) => isWordMarker(marker)),
  );
  if (placeholderColumns.length === 0) return false;
  const gaps = await explainGaps(
    connection,
    rawTable,
    pending.map((state, key) => ({ key, rawColumn: rawColumnName(state.index), markers: [] })),
  );
  let changed = false;
  pending.forEach((state, key) => {
    state.wordMarkersMissing = true;
    if ((gaps.get(key)?.wordMarkers ?? 0) > 0) changed = true;
  });
  return changed;
}

const isWordMarker = (marker: string) => !STRONG_MARKERS.includes(marker.toLowerCase());

/**
 * Columns with invalid cells: the first time, the failing cells vote too (a date format or currency the
 * sample missed); after that, a column whose type covers under 95% of its cells becomes text.
 */
export async function rethinkFailures(
  connection: DuckDBConnection,
  rawTable: string,
  states: ColumnState[],
  fileDecimal: DecimalMark | null,
  round: number,
): Promise<boolean> {
  let changed = false;
  for (const state of states) {
    if (state.invalidCount === 0 || state.parse.type === 'text') continue;
    const failing = await failingValues(connection, rawTable, state);
    state.invalidExample = failing[0] ?? null;
    if (round === 0) {
      const before = JSON.stringify(state.parse);
      for (const value of failing) state.evidence.addValue(value, state.invalidCount / failing.length);
      planColumn(state, fileDecimal);
      if (JSON.stringify(state.parse) !== before) {
        changed = true;
        continue;
      }
    }
    if (state.parsedCount < FULL_COLUMN_SHARE * state.nonMissing) {
      state.candidate = 'text';
      state.wordMarkersMissing = states.some(
        (other) => other.parse.type !== 'text' && other.parse.nullMarkers.some(isWordMarker),
      );
      planColumn(state, fileDecimal);
      changed = true;
    }
  }
  return changed;
}

async function failingValues(connection: DuckDBConnection, rawTable: string, state: ColumnState): Promise<string[]> {
  const raw = quoteIdent(rawColumnName(state.index));
  const rows = await queryRows(
    connection,
    `SELECT trim(${raw}) AS v, min(rowid) AS first FROM ${quoteIdent(rawTable)}
     WHERE trim(${raw}) <> '' AND NOT ${isOneOf(`lower(trim(${raw}))`, appliedMarkers(state))}
       AND (${parseExpression(rawColumnName(state.index), state.parse)}) IS NULL
     GROUP BY 1 ORDER BY first LIMIT ${FAILING_VALUES}`,
  );
  return rows.map((row) => String(row.v));
}
