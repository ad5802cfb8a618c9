import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/duckdb.ts';
import { AppError } from '../errors.ts';
import { loadRawTable } from './load-raw.ts';
import { parseExpression, rawColumnName } from './parse-expressions.ts';
import { prepareSource } from './source-file.ts';
import type { CsvReading } from './types.ts';

/** Loads the same file again from a stored reading (no sniffing, same types): used when a session is reloaded after a restart. */
export async function reloadCsv(
  connection: DuckDBConnection,
  filePath: string,
  reading: CsvReading,
  tableName: string,
): Promise<void> {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const rawTable = `__ingest_raw_${suffix}`;
  const typedTable = `__ingest_typed_${suffix}`;
  const source = await prepareSource(filePath, reading.format);
  try {
    const rowCount = await loadRawTable(connection, source.path, reading.format, rawTable);
    if (rowCount !== reading.rowCount) {
      throw new AppError(
        'unreadable_file',
        `The stored file no longer matches its session (${rowCount} rows instead of ${reading.rowCount}). Upload the file again.`,
      );
    }
    const select = reading.columns
      .map((column) => `${parseExpression(rawColumnName(column.index), column.parse)} AS ${quoteIdent(column.name)}`)
      .join(',\n  ');
    await connection.run(`CREATE TABLE ${quoteIdent(typedTable)} AS SELECT ${select} FROM ${quoteIdent(rawTable)}`);
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(tableName)}`);
    await connection.run(`ALTER TABLE ${quoteIdent(typedTable)} RENAME TO ${quoteIdent(tableName)}`);
  } catch (error) {
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(typedTable)}`).catch(() => undefined);
    throw error;
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(rawTable)}`).catch(() => undefined);
    await source.remove();
  }
}
