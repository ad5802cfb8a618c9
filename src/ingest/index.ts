export { csvCell } from './csv-cell.ts';
export { type ReadCsvOptions, readCsv } from './read-csv.ts';
export { reloadCsv } from './reload-csv.ts';
export { sanitizeFileName } from './sanitize-file-name.ts';
export type {
  ColumnInfo,
  ColumnParse,
  CsvFormat,
  CsvReading,
  IngestWarning,
  ValueType,
} from './types.ts';
