import type { DuckDBConnection } from '@duckdb/node-api';
import { isOutOfMemory, outOfMemoryError, quoteIdent, quoteLiteral } from '../db/duckdb.ts';
import { AppError } from '../errors.ts';
import { rawColumnName } from './parse-expressions.ts';
import type { CsvFormat } from './types.ts';

/**
 * Largest record DuckDB will read, in bytes. Its default of 2 MB rejects long text cells, but asking for more
 * up front makes every read allocate buffers that large (1 GiB and +60% time on a 50 MB file), so the larger
 * limit is only used when a record needs it.
 */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** How `loadRawTable` may read other than "every field as VARCHAR, every row". */
export interface LoadOptions {
  /** Only the first rows. */
  limit?: number;
  /** DuckDB's type for each field (`typed-load.ts`); VARCHAR when absent. */
  types?: string[];
  /** strptime formats DuckDB's reader applies to DATE and TIMESTAMP fields. */
  dateFormat?: string;
  timestampFormat?: string;
}

/**
 * Loads every field of a UTF-8 CSV as VARCHAR (as written) into `rawTable`, columns `c0…cN` in file order.
 * Everything is set explicitly, so DuckDB's sniffer cannot second-guess the dialect. The line ending is left
 * to DuckDB on purpose: an explicit `new_line='\r\n'` with strict mode reads zero rows (DuckDB 1.5.6).
 */
export async function loadRawTable(
  connection: DuckDBConnection,
  utf8Path: string,
  format: Pick<CsvFormat, 'delimiter' | 'quote' | 'escape' | 'fieldCount' | 'skipLines' | 'footerLines'>,
  rawTable: string,
  load: LoadOptions = {},
): Promise<number> {
  // Short lines below the table (`scan-file.ts`): read padded with NULLs, then dropped.
  const footer = format.footerLines ?? 0;
  const columns = Array.from(
    { length: format.fieldCount },
    (_, index) => `${quoteLiteral(rawColumnName(index))}: ${quoteLiteral(load.types?.[index] ?? 'VARCHAR')}`,
  ).join(', ');
  const options = [
    'auto_detect = false',
    'header = true',
    // `?? 0`: readings stored before `skipLines` existed have none.
    `skip = ${format.skipLines ?? 0}`,
    `delim = ${quoteLiteral(format.delimiter)}`,
    `quote = ${quoteLiteral(format.quote)}`,
    `escape = ${quoteLiteral(format.escape)}`,
    `null_padding = ${footer > 0}`,
    `columns = {${columns}}`,
    ...(load.dateFormat ? [`dateformat = ${quoteLiteral(load.dateFormat)}`] : []),
    ...(load.timestampFormat ? [`timestampformat = ${quoteLiteral(load.timestampFormat)}`] : []),
  ].join(', ');
  const sql = (strict: boolean, longLines: boolean) =>
    `CREATE OR REPLACE TABLE ${quoteIdent(rawTable)} AS SELECT * FROM read_csv(${quoteLiteral(utf8Path)}, ${options}, ` +
    `strict_mode = ${strict}${longLines ? `, max_line_size = ${MAX_LINE_BYTES}` : ''})` +
    (load.limit === undefined ? '' : ` LIMIT ${load.limit}`);
  let longLines = false;
  for (let strict = true; ; ) {
    try {
      await connection.run(sql(strict, longLines));
      break;
    } catch (error) {
      const message = String(error);
      if (!longLines && /Maximum line size/i.test(message)) {
        longLines = true;
      } else if (strict && /state machine reached an invalid state/.test(message)) {
        // Strict mode cannot read a file that mixes line endings (LF and CRLF). The field counts were already
        // checked line by line (`scan-file.ts`) and the caller compares row counts, so a lenient read is safe.
        strict = false;
      } else {
        throw csvReaderError(error);
      }
    }
  }
  if (footer > 0) {
    await connection.run(
      `DELETE FROM ${quoteIdent(rawTable)} WHERE rowid >= (SELECT count(*) FROM ${quoteIdent(rawTable)}) - ${footer}`,
    );
  }
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(rawTable)}`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** Turns a DuckDB CSV error into a message that says which line to fix. */
export function csvReaderError(error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  // Running out of memory says nothing about the file: the server is busy, not the CSV broken.
  if (isOutOfMemory(error)) {
    return outOfMemoryError(error, 'to read this file');
  }
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const where = line ? `Line ${line}` : 'The file';
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  let detail: string;
  if (columns) {
    detail = `${where} has ${columns[2]} fields, but the header has ${columns[1]}. Check that values containing the delimiter are quoted.`;
  } else if (/unterminated quote/i.test(message)) {
    detail = `${where} has a quoted value that is not closed properly. Check the quotes on that line (a quote inside a quoted value must be doubled: "").`;
  } else if (/Maximum line size/i.test(message)) {
    detail = `${where} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB.`;
  } else {
    const firstLine = message.split('\n').find((text) => text.trim() !== '') ?? 'unknown error';
    detail = `${where} could not be read (${firstLine.replace(/^[A-Za-z ]+Error: /, '').slice(0, 200)}).`;
  }
  return new AppError('unreadable_file', `We could not read this CSV: ${detail} Fix the file and upload it again.`, {
    cause: error,
  });
}
