import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, quoteIdent } from '../db/duckdb.ts';
import { countBoundedCells, countDayMonthProofs, countOrderBreaks, countRawCells } from './column-census.ts';
import { appliedMarkers, type ColumnState, planColumn, provenFileDecimal, type TypedColumn } from './column-plan.ts';
import { applyWordMarkers, measureGaps, rethinkFailures } from './confirm-types.ts';
import { type ColumnEvidence, chooseCandidate, collectEvidence, type TypeCandidate } from './infer-types.ts';
import { parseExpression, rawColumnName } from './parse-expressions.ts';
import { profileSample } from './profile-sample.ts';
import { findSentinels } from './sentinels.ts';
import { countWhere, isOneOf } from './sql-fragments.ts';

export type { TypedColumn } from './column-plan.ts';

/**
 * Decides every column's type from the raw text and creates `typedTable` with one parsed column per field.
 * The sample suggests a type; the whole column confirms it (≥ 95% of non-missing cells parse) or the
 * column falls back to text. Cells the sample did not foresee get one more look before counting as invalid.
 * Clean columns cost one pass: only columns where cells went missing are examined further.
 */
export async function typeColumns(
  connection: DuckDBConnection,
  options: {
    rawTable: string;
    typedTable: string;
    columns: { index: number; name: string }[];
    rowCount: number;
  },
): Promise<TypedColumn[]> {
  const { rawTable, typedTable, rowCount } = options;
  const rawColumns = options.columns.map((column) => rawColumnName(column.index));
  const profiles = await profileSample(connection, rawTable, rawColumns, rowCount);
  const evidences = profiles.map(collectEvidence);
  const candidates = evidences.map(chooseCandidate);
  await addDayMonthProofs(connection, rawTable, rawColumns, evidences, candidates);
  const fileDecimal = provenFileDecimal(evidences, candidates);
  const fileUsesWordMarkers = candidates.some(
    (candidate, position) => candidate !== 'text' && evidences[position]!.wordMarkers > 0,
  );
  const rawCounts = await countRawCells(connection, rawTable, rawColumns);

  const states: ColumnState[] = options.columns.map((column, position) => {
    const candidate = candidates[position]!;
    const state: ColumnState = {
      ...column,
      evidence: evidences[position]!,
      candidate,
      rawCount: rawCounts[position]!,
      nonMissing: 0,
      parsedCount: 0,
      wordMarkersMissing: candidate !== 'text' || fileUsesWordMarkers,
      parse: { type: 'text', nullMarkers: [] },
      invalidCount: 0,
      invalidExample: null,
      emptyCount: rowCount - rawCounts[position]!,
      markerCount: 0,
      sentinels: [],
      ambiguousDates: null,
    };
    planColumn(state, fileDecimal);
    return state;
  });

  await createTypedTable(connection, rawTable, typedTable, states);
  // Converges: a plan is revised once (round 0), after that columns only fall back to text.
  for (let round = 0; ; round++) {
    await measureGaps(connection, rawTable, typedTable, states, rowCount);
    const wordMarkersChanged = await applyWordMarkers(connection, rawTable, states);
    const failuresChanged = await rethinkFailures(connection, rawTable, states, fileDecimal, round);
    if (!wordMarkersChanged && !failuresChanged) break;
    await createTypedTable(connection, rawTable, typedTable, states);
  }
  await removeSentinels(connection, typedTable, states);
  await settleNumberAndTimeTypes(connection, typedTable, states);
  const bounded = await countBoundedCells(
    connection,
    rawTable,
    states.flatMap((state, key) => (state.parse.bounds ? [{ key, rawColumn: rawColumnName(state.index) }] : [])),
  );
  return states.map(
    (
      { index, name, parse, invalidCount, invalidExample, emptyCount, markerCount, sentinels, ambiguousDates },
      key,
    ) => ({
      index,
      name,
      parse,
      invalidCount,
      invalidExample,
      emptyCount,
      markerCount,
      sentinels,
      ambiguousDates,
      ...(bounded.has(key) ? { bounded: bounded.get(key) } : {}),
    }),
  );
}

/** Whole-column proof for slash dates: the sample may hold only days ≤ 12. */
async function addDayMonthProofs(
  connection: DuckDBConnection,
  rawTable: string,
  rawColumns: string[],
  evidences: ColumnEvidence[],
  candidates: TypeCandidate[],
): Promise<void> {
  const columns = rawColumns.flatMap((rawColumn, key) =>
    candidates[key] === 'date' && evidences[key]!.date.hasDayMonthPairs ? [{ key, rawColumn }] : [],
  );
  const proofs = await countDayMonthProofs(connection, rawTable, columns);
  for (const [key, proof] of proofs) {
    const date = evidences[key]!.date;
    // The whole-column counts include the sample's, so they replace them.
    date.dayFirstProof = proof.dayFirst;
    date.monthFirstProof = proof.monthFirst;
    if (!date.unproven) continue;
    const breaks = await countOrderBreaks(connection, rawTable, rawColumns[key]!, {
      dayFirst: date.formats(true),
      monthFirst: date.formats(false),
    });
    // Only a clear difference counts: shuffled rows break the order under both readings.
    date.monthFirstKeepsOrder = breaks.monthFirst * 2 < breaks.dayFirst;
  }
}

async function createTypedTable(
  connection: DuckDBConnection,
  rawTable: string,
  typedTable: string,
  states: ColumnState[],
): Promise<void> {
  const select = states
    .map((state) => {
      const expression = parseExpression(rawColumnName(state.index), state.parse, appliedMarkers(state));
      return `${expression} AS ${quoteIdent(state.name)}`;
    })
    .join(',\n  ');
  await connection.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(typedTable)} AS SELECT ${select} FROM ${quoteIdent(rawTable)}`,
  );
}

export async function removeSentinels(
  connection: DuckDBConnection,
  typedTable: string,
  states: TypedColumn[],
): Promise<void> {
  const numeric = states.filter((state) => state.parse.type === 'number');
  const findings = await findSentinels(
    connection,
    typedTable,
    numeric.map((state) => state.name),
  );
  for (const state of numeric) {
    const found = findings.get(state.name);
    if (!found) continue;
    state.sentinels = found;
    state.parse.sentinels = found.map((finding) => finding.code);
    await connection.run(
      `UPDATE ${quoteIdent(typedTable)} SET ${quoteIdent(state.name)} = NULL
       WHERE ${isOneOf(quoteIdent(state.name), state.parse.sentinels)}`,
    );
  }
}

/** `integer` when every number is whole; `date` when every timestamp is at midnight. */
export async function settleNumberAndTimeTypes(
  connection: DuckDBConnection,
  typedTable: string,
  states: TypedColumn[],
): Promise<void> {
  const checks = states.flatMap((state, key) => {
    const column = quoteIdent(state.name);
    if (state.parse.type === 'number') return [`${countWhere(`${column} <> trunc(${column})`)} AS "x${key}"`];
    if (state.parse.type === 'datetime') {
      return [`${countWhere(`CAST(${column} AS TIME) <> TIME '00:00:00'`)} AS "x${key}"`];
    }
    return [];
  });
  if (checks.length === 0) return;
  const row = await queryOne(connection, `SELECT ${checks.join(', ')} FROM ${quoteIdent(typedTable)}`);
  for (const [key, state] of states.entries()) {
    if (Number(row[`x${key}`] ?? 1) !== 0) continue;
    if (state.parse.type === 'number') {
      state.parse.type = 'integer';
    } else if (state.parse.type === 'datetime') {
      state.parse.type = 'date';
      await connection.run(`ALTER TABLE ${quoteIdent(typedTable)} ALTER COLUMN ${quoteIdent(state.name)} TYPE DATE`);
    }
  }
}
