import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { AppError } from '../errors.ts';

/** A plain JS value from a query: numbers for every numeric type, ISO strings for dates and timestamps. */
export type Cell = number | string | boolean | null | Cell[];
export type Row = Record<string, Cell>;

export interface Database {
  connection: DuckDBConnection;
  close(): void;
}

/** An in-memory DuckDB with its own connection. `threads` caps the worker threads DuckDB may use. */
export async function openDatabase(options: { threads?: number; memoryLimit?: string } = {}): Promise<Database> {
  const settings: Record<string, string> = { threads: String(options.threads ?? 2) };
  if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', settings);
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The settings of `openDatabase` for a memory limit in MB (none when undefined). */
export const databaseLimits = (memoryMb: number | undefined) =>
  memoryMb === undefined ? {} : { memoryLimit: `${memoryMb}MB` };

/** DuckDB hit its memory limit: the server is busy, not the input broken. */
export const isOutOfMemory = (error: unknown) =>
  /Out of Memory/i.test(error instanceof Error ? error.message : String(error));

/** The 503 for DuckDB running out of memory `task` ("to read this file", "for this analysis"). */
export function outOfMemoryError(error: unknown, task: string): AppError {
  return new AppError(
    'unavailable',
    `The server does not have enough free memory ${task} right now. Try again in a few minutes, or upload a smaller extract.`,
    { cause: error, retryable: true, retryAfterSeconds: 60 },
  );
}

function toCell(value: unknown, type: string): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return type === 'DATE' ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (Array.isArray(value)) return value.map((item) => toCell(item, ''));
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** Runs a query and returns its rows as plain objects (see `Cell`). */
export async function queryRows<T extends Row = Row>(
  connection: DuckDBConnection,
  sql: string,
  params?: DuckDBValue[],
): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, params);
  const types = reader.columnTypes().map((type) => type.toString());
  const names = reader.columnNames();
  return reader.getRowObjectsJS().map((raw) => {
    const row: Row = {};
    names.forEach((name, index) => {
      row[name] = toCell(raw[name], types[index] ?? '');
    });
    return row as T;
  });
}

/** Runs a query expected to return one row. */
export async function queryOne<T extends Row = Row>(
  connection: DuckDBConnection,
  sql: string,
  params?: DuckDBValue[],
): Promise<T> {
  const rows = await queryRows<T>(connection, sql, params);
  if (!rows[0]) throw new Error(`query returned no rows: ${sql.slice(0, 120)}`);
  return rows[0];
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
