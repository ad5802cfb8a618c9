import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/duckdb.ts';
import { AppError } from '../errors.ts';
import { assignColumnNames } from './column-names.ts';
import { type ColumnStats, columnStats, countDuplicateRows, dropEmptyRows } from './column-stats.ts';
import { describeFormat } from './describe-format.ts';
import { loadRawTable } from './load-raw.ts';
import { rawColumnName } from './parse-expressions.ts';
import { type Dialect, isBlankRecord, parseRecords } from './parse-records.ts';
import { unpivotWide, valueNameFromFileName, wideLayout } from './reshape.ts';
import { type FileScan, scanChunks, scanFile } from './scan-file.ts';
import { sniffDialect } from './sniff-dialect.ts';
import { prepareSource, type SourceFile } from './source-file.ts';
import { dropTotalsRows, type TotalsRow } from './totals-rows.ts';
import { type TypedColumn, typeColumns } from './type-columns.ts';
import { confirmTypedLoad, planTypedLoad, type TypedLoadPlan } from './typed-load.ts';
import type { ColumnInfo, CsvFormat, CsvReading, WideLayout } from './types.ts';
import { binaryContentError, type FileHead, readFileHead } from './validate-file.ts';
import { collectWarnings, wideTableWarning } from './warnings.ts';
import { decodeWindows1252 } from './windows-1252.ts';

export interface ReadCsvOptions {
  /** Table to create (replaced if it exists) with one typed column per CSV column. */
  tableName: string;
  /** Files of at least this many bytes get a `large_file` warning. Default 15 MB. */
  largeFileBytes?: number;
  /** Above this many rows, row-level statistics use a sample (`sampled_analysis` warning). Default 500,000. */
  sampleRows?: number;
  /** The name the file was uploaded under: it may say what a wide file's numbers are (`reshape.ts`). */
  fileName?: string;
  /**
   * Files of at least this many bytes are loaded typed in one pass when clean (`typed-load.ts`); below it
   * the plan costs more than it saves. Default 4 MB; `Infinity` reads every file the careful way.
   */
  typedLoadBytes?: number;
}

const DEFAULT_LARGE_FILE_BYTES = 15 * 1024 * 1024;
const DEFAULT_SAMPLE_ROWS = 500_000;
const DEFAULT_TYPED_LOAD_BYTES = 4 * 1024 * 1024;

/** Validates a CSV on disk, detects how it is written, loads it into `tableName` with typed columns, returns how it was read. */
export async function readCsv(
  connection: DuckDBConnection,
  filePath: string,
  options: ReadCsvOptions,
): Promise<CsvReading> {
  const file = await readFileHead(filePath);
  const { dialect, preambleLines } = sniffDialect(
    file.head.subarray(file.bom ? 3 : 0).toString('latin1'),
    file.complete,
  );
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const tables = {
    rawTable: `__ingest_raw_${suffix}`,
    typedTable: `__ingest_typed_${suffix}`,
    headRaw: `__ingest_head_${suffix}`,
    headTyped: `__ingest_headtyped_${suffix}`,
  };
  const { rawTable, typedTable } = tables;
  const longTable = `__ingest_long_${suffix}`;
  const sources: SourceFile[] = [];
  // A large file is scanned here (JS, this thread) while DuckDB loads it (its own threads) as its head
  // suggests; the scan then confirms that layout, or the file is loaded again as the scan found it.
  const early = file.complete
    ? null
    : await loadAsHeadSuggests(connection, filePath, file, dialect, preambleLines, tables, sources, {
        typed: file.sizeBytes >= (options.typedLoadBytes ?? DEFAULT_TYPED_LOAD_BYTES),
      });
  try {
    const scan = await scanFile(filePath, dialect, { preambleLines });
    rejectUnreadable(scan, dialect);
    const encoding: CsvFormat['encoding'] = scan.utf8 ? 'utf-8' : 'windows-1252';
    const text = headText(file, encoding);
    const header = readHeader(text, dialect, preambleLines).slice(0, scan.fieldCount);
    while (header.length < scan.fieldCount) header.push('');
    const { names, renames } = assignColumnNames(header);
    const baseFormat = {
      delimiter: dialect.delimiter,
      quote: dialect.quote,
      escape: dialect.escape,
      fieldCount: scan.fieldCount,
      skipLines: scan.linesBeforeHeader,
      footerLines: scan.footerRecords,
    };
    const headLayoutHolds =
      early !== null &&
      scan.utf8 &&
      scan.footerRecords === 0 &&
      early.layout.fieldCount === scan.fieldCount &&
      early.layout.skipLines === scan.linesBeforeHeader;
    // The typed load of a clean file, when the whole table proves it clean (`typed-load.ts`).
    let typedColumns: TypedColumn[] | null = null;
    let rowCount: number;
    if (headLayoutHolds && early.typed) {
      const loaded = await early.rowCount.catch(() => -1);
      if (loaded === scan.dataRecords)
        typedColumns = await confirmTypedLoad(connection, typedTable, early.typed, names, loaded);
      rowCount = typedColumns ? loaded : await loadRawTable(connection, early.sourcePath, baseFormat, rawTable);
    } else if (headLayoutHolds) {
      // The very load the scan asks for: its result (or its error) stands.
      rowCount = await early.rowCount;
    } else {
      await early?.rowCount.catch(() => undefined);
      const source = await prepareSource(filePath, { encoding, bom: file.bom });
      sources.push(source);
      rowCount = await loadRawTable(connection, source.path, baseFormat, rawTable);
    }
    if (rowCount !== scan.dataRecords) {
      throw new AppError(
        'unreadable_file',
        `We could not read this CSV consistently: we counted ${scan.dataRecords} data rows, but the CSV reader found ${rowCount}. ` +
          'Check the file for unusual quoting or line breaks, export it again as CSV, and upload it again.',
      );
    }
    const { columns, emptyRows, totalsRows } = typedColumns
      ? { columns: typedColumns, emptyRows: 0, totalsRows: [] }
      : await typeCarefully(connection, tables, names, rowCount);
    rowCount -= emptyRows + totalsRows.length;
    const totalsFormat =
      totalsRows.length > 0
        ? {
            totalsRows: {
              first: totalsRows.filter((row) => row.end === 'first').length,
              last: totalsRows.filter((row) => row.end === 'last').length,
            },
          }
        : {};
    const stats = await columnStats(
      connection,
      typedTable,
      columns.map((column) => ({ name: column.name, type: column.parse.type })),
    );
    // A column with a distinct value in every row (an order id) already proves that no row repeats.
    const duplicateRows = stats.some((stat) => stat.distinctCount === rowCount)
      ? 0
      : await countDuplicateRows(connection, typedTable, rowCount);
    const wide = wideLayout(
      columns.map((column) => ({ ...column, type: column.parse.type })),
      (options.fileName && valueNameFromFileName(options.fileName)) || undefined,
    );
    const table = wide
      ? await readAsLong(connection, typedTable, longTable, columns, wide)
      : {
          name: typedTable,
          rowCount,
          infos: columns.map((column, position) => columnInfo(column, stats[position]!, rowCount)),
        };
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(options.tableName)}`);
    await connection.run(`ALTER TABLE ${quoteIdent(table.name)} RENAME TO ${quoteIdent(options.tableName)}`);

    const infos = table.infos;
    const format = describeFormat(
      { ...baseFormat, ...(emptyRows > 0 ? { emptyRows } : {}), ...totalsFormat, ...(wide ? { wide } : {}) },
      { encoding, bom: file.bom, lineEnding: scan.lineEnding },
      infos,
    );
    const warnings = collectWarnings({
      sizeBytes: file.sizeBytes,
      largeFileBytes: options.largeFileBytes ?? DEFAULT_LARGE_FILE_BYTES,
      rowCount,
      sampleRows: options.sampleRows ?? DEFAULT_SAMPLE_ROWS,
      encoding,
      preamble: preambleLines > 0 ? { lines: preambleLines, firstLine: firstLineOf(text) } : null,
      footer: scan.footerLine ? { lines: scan.footerRecords, firstLine: scan.footerLine } : null,
      emptyRows,
      totalsRows: totalsRows.filter((row) => row.kind === 'total').map((row) => row.label),
      notes: totalsRows.filter((row) => row.kind === 'note').map((row) => row.label),
      renames,
      duplicateRows,
      columns: columns.map((column, position) => ({ ...column, ...stats[position]! })),
    });
    if (wide) warnings.unshift(wideTableWarning(wide, rowCount, table.rowCount));
    return { format, columns: infos, rowCount: table.rowCount, duplicateRows, warnings };
  } catch (error) {
    // The scan may fail while DuckDB is still loading: let that finish before the connection is used again.
    await early?.rowCount.catch(() => undefined);
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(typedTable)}`).catch(() => undefined);
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(longTable)}`).catch(() => undefined);
    throw error;
  } finally {
    // Never return while DuckDB is still loading into a table we are about to drop.
    await early?.rowCount.catch(() => undefined);
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(rawTable)}`).catch(() => undefined);
    for (const source of sources) await source.remove();
  }
}

/**
 * The careful reading: every field loaded as text is typed (`type-columns.ts`), with rows that are blank
 * or a "Total" adding up the others left out.
 */
async function typeCarefully(
  connection: DuckDBConnection,
  tables: { rawTable: string; typedTable: string },
  names: string[],
  rowCount: number,
): Promise<{ columns: TypedColumn[]; emptyRows: number; totalsRows: TotalsRow[] }> {
  const { rawTable, typedTable } = tables;
  const rawColumns = names.map((_, index) => rawColumnName(index));
  // Rows with every cell empty (a spreadsheet's ",,,,," lines) hold nothing: left out, and said so.
  const emptyRows = await dropEmptyRows(connection, rawTable, rawColumns);
  const typing = { rawTable, typedTable, columns: names.map((name, index) => ({ index, name })) };
  let columns = await typeColumns(connection, { ...typing, rowCount: rowCount - emptyRows });
  // A "Total" row that adds up the others: dropped, and the rest typed again without it.
  const totalsRows = await dropTotalsRows(connection, rawTable, typedTable, rawColumns, columns);
  if (totalsRows.length > 0) {
    columns = await typeColumns(connection, { ...typing, rowCount: rowCount - emptyRows - totalsRows.length });
  }
  return { columns, emptyRows, totalsRows };
}

/**
 * Starts loading the file with the layout its head shows (UTF-8, header position, field count): typed when
 * the head's columns allow it (`typed-load.ts`), else as raw text. Null when the head already says that
 * guess would be wasted. The caller awaits `rowCount`.
 */
async function loadAsHeadSuggests(
  connection: DuckDBConnection,
  filePath: string,
  file: FileHead,
  dialect: Dialect,
  preambleLines: number,
  tables: { rawTable: string; typedTable: string; headRaw: string; headTyped: string },
  sources: SourceFile[],
  load: { typed: boolean },
): Promise<{
  layout: { fieldCount: number; skipLines: number };
  rowCount: Promise<number>;
  typed: TypedLoadPlan | null;
  sourcePath: string;
} | null> {
  // Up to the last line break: a multi-byte character is never cut there.
  const lastLineBreak = file.head.lastIndexOf(0x0a);
  if (lastLineBreak < 0) return null;
  const head = await scanChunks([file.head.subarray(0, lastLineBreak + 1)], dialect, { preambleLines });
  if (head.hasNul || !head.utf8 || head.headerFields === 0) return null;
  const layout = { fieldCount: head.fieldCount, skipLines: head.linesBeforeHeader };
  const source = await prepareSource(filePath, { encoding: 'utf-8', bom: file.bom });
  sources.push(source);
  const format = { ...dialect, ...layout };
  const typed = load.typed ? await planTypedLoad(connection, source.path, format, tables) : null;
  const rowCount = typed
    ? loadRawTable(connection, source.path, format, tables.typedTable, typed.load)
    : loadRawTable(connection, source.path, format, tables.rawTable);
  // Observed by the caller; this keeps an early failure from counting as unhandled meanwhile.
  rowCount.catch(() => undefined);
  return { layout, rowCount, typed, sourcePath: source.path };
}

function rejectUnreadable(scan: FileScan, dialect: Dialect): void {
  if (scan.hasNul) throw binaryContentError();
  if (scan.headerFields === 0) {
    throw new AppError(
      'unreadable_file',
      'The file is empty. Upload a CSV with a header row and at least one data row.',
    );
  }
  const problem = scan.problem;
  if (problem?.kind === 'unterminated_quote') {
    throw new AppError(
      'unreadable_file',
      `We could not read this CSV: line ${problem.line} opens a quoted value (${dialect.quote}) that is never closed. ` +
        'Close or remove that quote and upload the file again.',
    );
  }
  if (problem?.kind === 'field_count') {
    const delimiter = dialect.delimiter === '\t' ? 'tab' : `"${dialect.delimiter}"`;
    throw new AppError(
      'unreadable_file',
      `We could not read this CSV: line ${problem.line} has ${fields(problem.found)}, but the header has ${problem.expected} ` +
        `(fields are separated by ${delimiter}). Make every row have the same number of fields — quote values that ` +
        'contain the delimiter — and upload the file again.',
    );
  }
  if (scan.dataRecords === 0) {
    throw new AppError(
      'unreadable_file',
      'The file has a header row but no data rows. Upload a CSV with at least one row of data under the header.',
    );
  }
}

const fields = (count: number) => (count === 1 ? '1 field' : `${count} fields`);

function columnInfo(column: TypedColumn, stat: ColumnStats, rowCount: number): ColumnInfo {
  return {
    name: column.name,
    index: column.index,
    type: column.parse.type,
    parse: column.parse,
    nullCount: rowCount - stat.nonNullCount,
    invalidCount: column.invalidCount,
    ...(column.bounded ? { bounded: column.bounded } : {}),
    distinctCount: stat.distinctCount,
    examples: stat.examples,
  };
}

/**
 * A wide file as one row per (row, period) in `longTable` (the typed table is dropped): the other columns
 * as read, then the period and the value. Their statistics are those of the long table.
 */
async function readAsLong(
  connection: DuckDBConnection,
  typedTable: string,
  longTable: string,
  columns: TypedColumn[],
  wide: WideLayout,
): Promise<{ name: string; rowCount: number; infos: ColumnInfo[] }> {
  // The year of a "year, Jan … Dec" table is in the period now.
  const kept = columns.filter(
    (column) =>
      !wide.columns.some((period) => period.index === column.index) &&
      column.index !== wide.yearColumn?.index &&
      !wide.leftOut?.some((left) => left.index === column.index),
  );
  const rowCount = await unpivotWide(
    connection,
    typedTable,
    longTable,
    wide,
    kept.map((column) => column.name),
  );
  await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(typedTable)}`);
  const added: TypedColumn[] = [
    { ...generatedColumn(wide.periodColumn), parse: { type: 'date', nullMarkers: [] } },
    { ...generatedColumn(wide.valueColumn), parse: { type: wide.valueType, nullMarkers: [] } },
  ];
  const all = [...kept, ...added];
  const stats = await columnStats(
    connection,
    longTable,
    all.map((column) => ({ name: column.name, type: column.parse.type })),
  );
  return {
    name: longTable,
    rowCount,
    infos: all.map((column, position) => columnInfo(column, stats[position]!, rowCount)),
  };
}

const generatedColumn = (name: string) => ({
  index: -1,
  name,
  invalidCount: 0,
  invalidExample: null,
  emptyCount: 0,
  markerCount: 0,
  sentinels: [],
  ambiguousDates: null,
});

/** The file's head as text, in its encoding (without a byte order mark). */
function headText(file: FileHead, encoding: CsvFormat['encoding']): string {
  const bytes = file.head.subarray(file.bom ? 3 : 0);
  return encoding === 'utf-8' ? bytes.toString('utf8') : decodeWindows1252(bytes);
}

/** The first non-blank line of the file, as text (what a skipped preamble starts with). */
function firstLineOf(text: string): string {
  // Without the empty cells a spreadsheet pads a title row with ("Sales report,,,,,").
  return (
    text
      .split(/\r\n|\n|\r/)
      .find((line) => line.trim() !== '')
      ?.replace(/[,;\t|\s]+$/, '')
      .trim() ?? ''
  );
}

/** The header's fields: the first non-blank record below the preamble. */
function readHeader(text: string, dialect: Dialect, preambleLines: number): string[] {
  const { records } = parseRecords(text, dialect, 50 + preambleLines);
  return records.find((record) => !isBlankRecord(record) && record.line > preambleLines)?.fields ?? [];
}
