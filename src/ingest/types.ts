/** What a cell holds once parsed. Numbers are DOUBLE in the loaded table; `integer` says every value was whole. */
export type ValueType = 'integer' | 'number' | 'date' | 'datetime' | 'boolean' | 'text';

/** How one column's text cells become values. Stored with the session so a reload needs no sniffing. */
export interface ColumnParse {
  type: ValueType;
  /** Decimal mark of numeric text (`12,50` → `,`). */
  decimal?: '.' | ',';
  /** Thousands separator found in numeric text (`"1,234"`), removed before casting. */
  thousands?: ',' | '.' | ' ' | "'";
  /** Values carried a `%` sign; the number kept is the one written (45.2 for `45.2%`). */
  percent?: boolean;
  /** Currency symbol or code stripped from the values (`$`, `€`, `EUR`…). */
  currency?: string;
  /** Unit written after the values and stripped (`kg` in `12 kg`), in the column's most common spelling. */
  unit?: string;
  /**
   * Other units of the same quantity found in the column, each with its size in `unit` (`{"g": 0.001}` in a
   * column of `kg`): their values are converted.
   */
  unitFactors?: Record<string, number>;
  /** Accounting negatives: `(123)` is read as -123. */
  negativeParentheses?: boolean;
  /** Negatives written with the minus after the number (`123,45-`). */
  negativeTrailing?: boolean;
  /** Some cells write a bound instead of the value (`90+`, `>100`, `<5`): each is read as its bound. */
  bounds?: boolean;
  /** strptime formats tried in order (several when the column mixes formats). */
  dateFormats?: string[];
  /** Text spellings of true and false for boolean columns (`Yes`/`No`, `true`/`false`, `Y`/`N`). */
  trueValues?: string[];
  falseValues?: string[];
  /** Cell texts read as missing in this column (`N/A`, `-`, `.`, `null`, …; the empty cell is always missing). */
  nullMarkers: string[];
  /** Numeric placeholder codes read as missing (`-999`, `9999`): repeated, far outside the other values. */
  sentinels?: number[];
}

/** A file with one column per period, read as one row per (row, period): see `reshape.ts`. */
export interface WideLayout {
  granularity: 'year' | 'quarter' | 'month' | 'day';
  /** Names of the two columns the reading adds: the period (a date) and the value. */
  periodColumn: string;
  valueColumn: string;
  valueType: 'integer' | 'number';
  /**
   * The columns read as periods: header, position in the file, how its cells parse, and the period's first
   * day — or, with `yearColumn`, the month's number ("03"), its year being on each row.
   */
  columns: { name: string; index: number; parse: ColumnParse; period: string }[];
  /** A "year, Jan, Feb, … Dec" table: the column holding each row's year (merged into the period). */
  yearColumn?: { name: string; index: number; parse: ColumnParse };
  /**
   * Numeric columns left out of the reading: one among the period columns that names no period (the US
   * budget's "TQ", a transition quarter between 1976 and 1977), or a total beside them (it would count
   * everything twice).
   */
  leftOut?: { name: string; index: number }[];
}

export interface ColumnInfo {
  /** Header as written (trimmed); blank or repeated headers get `column_N` / `name_2`. */
  name: string;
  /** 0-based position in the file; -1 for the period and value columns of a wide file (`format.wide`). */
  index: number;
  type: ValueType;
  parse: ColumnParse;
  /** Cells that are missing after parsing: empty, a null marker or a sentinel. */
  nullCount: number;
  /** Non-empty cells that did not parse as `type` and were read as missing (counted in nullCount too). */
  invalidCount: number;
  /** Cells written as a bound (`90+`, `>100`, `<5`) and read as that number; absent when none. */
  bounded?: { count: number; example: string; atMost: boolean };
  distinctCount: number;
  /** Up to three example values as text (first distinct non-missing values in file order). */
  examples: string[];
}

export interface CsvFormat {
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
  delimiter: ',' | ';' | '\t' | '|';
  quote: '"' | "'" | '';
  /** Character that escapes a quote inside a quoted field: the quote itself (`""`, RFC 4180) or a backslash. */
  escape: '"' | "'" | '\\' | '';
  /** Fields per record as read back (a trailing empty field after the last delimiter is not counted). */
  fieldCount: number;
  /** Lines before the header row (blank, or a report's title and notes), skipped when reading. */
  skipLines: number;
  /** Records below the table (a total or a note with fewer fields), skipped when reading; absent = 0. */
  footerLines?: number;
  /** Rows with every cell empty, left out of the table; absent = 0. */
  emptyRows?: number;
  /** A spreadsheet's "Total" rows (and notes written in one cell) at the top or bottom of the table, left out; absent = none. */
  totalsRows?: { first: number; last: number };
  /** One column per period, read as one row per (row, period); absent for an ordinary table. */
  wide?: WideLayout;
  lineEnding: 'LF' | 'CRLF' | 'CR';
  header: true;
  /** Dominant decimal mark of numeric columns. */
  decimal: '.' | ',';
  /** Dominant thousands separator, or null when none was seen. */
  thousands: string | null;
  /** Per date/datetime column: the formats its values were read with. */
  dateFormats: Record<string, string[]>;
  /** Every null marker seen in the file (besides the empty cell). */
  nullMarkers: string[];
}

export interface IngestWarning {
  code:
    | 'large_file'
    | 'sampled_analysis'
    | 'missing_values'
    | 'duplicate_rows'
    | 'invalid_values'
    | 'sentinel_values'
    | 'ambiguous_dates'
    | 'renamed_columns'
    | 'encoding_guessed'
    | 'skipped_lines'
    | 'wide_table'
    | 'formula_cells'
    | 'converted_units'
    | 'bounded_values'
    | 'year_periods';
  message: string;
  column?: string;
}

/** How we read a CSV: everything the upload answer reports, and the plan to load it again. */
export interface CsvReading {
  format: CsvFormat;
  columns: ColumnInfo[];
  rowCount: number;
  /** Number of rows that are exact duplicates of an earlier row. */
  duplicateRows: number;
  warnings: IngestWarning[];
}
