import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows, quoteIdent } from '../db/duckdb.ts';
import type { TypedColumn } from './column-plan.ts';

/** The words a totals row names itself by ("Total", "Grand total", "Summe"). */
export const TOTAL_WORDS = ['total', 'totals', 'grand total', 'sum', 'overall', 'gesamt', 'summe', 'total général'];

/** A cell naming a totals row at the table's ends ("Total", "Grand total:"). */
export const TOTALS_NAMES = new RegExp(`^(${TOTAL_WORDS.join('|')})\\s*:?$`, 'i');

/** Rows at each end of the table a totals row may sit in: a spreadsheet puts it last, now and then first. */
const LAST_ROWS = 2;
const FIRST_ROWS = 1;

export interface TotalsRow {
  /** The cell that names it, as written. */
  label: string;
  /** Which end of the table it sat at. */
  end: 'first' | 'last';
  /** A total that adds up the others, or a note under the table ("Source: SAP; provisional figures"). */
  kind: 'total' | 'note';
}

/** A sentence in one cell, the row's other cells empty: a note, not a record. */
const isNote = (cells: string[]) =>
  cells.length >= 3 &&
  cells.filter((cell) => cell !== '').length === 1 &&
  /\p{L}{2,}[^\p{L}]+\p{L}{2,}[^\p{L}]+\p{L}{2,}/u.test(cells.find((cell) => cell !== '')!);

/**
 * A spreadsheet's "Total" row at the bottom (or top) of the table, with every field filled: it adds up the
 * rows above it and would double every sum. Also a note in the last rows, written in one cell with the
 * others empty ("Source: SAP BW; December still provisional;;;;;"), which no footer check sees (it has
 * every field). Recognised by a cell named like a total (in any column — in a
 * month column it is simply an unreadable date) and by a number that equals the sum of that column over the
 * other rows (within 1%). Removed from the raw table; the caller types the table again so that no count,
 * example or warning remembers it.
 */
export async function dropTotalsRows(
  connection: DuckDBConnection,
  rawTable: string,
  typedTable: string,
  rawColumns: string[],
  columns: TypedColumn[],
): Promise<TotalsRow[]> {
  const raw = quoteIdent(rawTable);
  const cells = rawColumns.map((column, i) => `${quoteIdent(column)} AS c${i}`).join(', ');
  const candidates = await queryRows(
    connection,
    `(SELECT rowid AS r, 'last' AS e, ${cells} FROM ${raw} ORDER BY rowid DESC LIMIT ${LAST_ROWS})
     UNION ALL (SELECT rowid AS r, 'first' AS e, ${cells} FROM ${raw} ORDER BY rowid LIMIT ${FIRST_ROWS})`,
  );
  const numeric = columns.filter((column) => column.parse.type === 'integer' || column.parse.type === 'number');
  const found: (TotalsRow & { rowid: number })[] = [];
  for (const row of candidates) {
    const cells = rawColumns.map((_, i) => String(row[`c${i}`] ?? '').trim());
    if (found.some((f) => f.rowid === Number(row.r))) continue;
    if (row.e === 'last' && isNote(cells)) {
      found.push({ rowid: Number(row.r), label: cells.find((cell) => cell !== '')!, end: 'last', kind: 'note' });
      continue;
    }
    const label = cells.find((cell) => TOTALS_NAMES.test(cell));
    if (!label) continue;
    // The typed table keeps the raw table's order: its row at this position is the candidate.
    const position = Number(
      (await queryOne(connection, `SELECT count(*) AS n FROM ${raw} WHERE rowid < ${Number(row.r)}`)).n,
    );
    const sums = numeric.map((column, i) => {
      const c = quoteIdent(column.name);
      return `sum(${c}) FILTER (WHERE rowid = ${position}) AS t${i}, sum(${c}) FILTER (WHERE rowid <> ${position}) AS o${i}`;
    });
    const totals = await queryOne(connection, `SELECT ${sums.join(', ')} FROM ${quoteIdent(typedTable)}`);
    const adds = numeric.some((_, i) => {
      const total = Number(totals[`t${i}`]);
      const others = Number(totals[`o${i}`]);
      return totals[`t${i}`] !== null && others !== 0 && Math.abs(total - others) <= 0.01 * Math.abs(others);
    });
    if (adds) found.push({ rowid: Number(row.r), label, end: row.e === 'first' ? 'first' : 'last', kind: 'total' });
  }
  if (found.length > 0)
    await connection.run(`DELETE FROM ${raw} WHERE rowid IN (${found.map((f) => f.rowid).join(', ')})`);
  return found.map(({ label, end, kind }) => ({ label, end, kind }));
}

/** Drops, on a reload, the totals rows a reading found: as many rows at each end as it counted there. */
export async function dropCountedTotalsRows(
  connection: DuckDBConnection,
  rawTable: string,
  counted: { first: number; last: number },
): Promise<void> {
  const raw = quoteIdent(rawTable);
  for (const [end, rows] of [
    ['DESC', counted.last],
    ['', counted.first],
  ] as const) {
    if (rows > 0)
      await connection.run(
        `DELETE FROM ${raw} WHERE rowid IN (SELECT rowid FROM ${raw} ORDER BY rowid ${end} LIMIT ${rows})`,
      );
  }
}
