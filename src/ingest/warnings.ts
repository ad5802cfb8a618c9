import type { ColumnRename } from './column-names.ts';
import type { TypedColumn } from './column-plan.ts';
import type { ColumnStats } from './column-stats.ts';
import { isYearPeriodFormat } from './date-formats.ts';
import type { CsvFormat, IngestWarning, WideLayout } from './types.ts';

const count = (value: number) => value.toLocaleString('en-US');
const percent = (part: number, whole: number) => {
  const share = (100 * part) / whole;
  return part > 0 && share < 0.05 ? '<0.1%' : `${share.toFixed(1)}%`;
};
const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 39)}…` : text}"`;
const plural = (value: number, one: string, many: string) => `${count(value)} ${value === 1 ? one : many}`;

export function largeFileWarning(sizeBytes: number): IngestWarning {
  const megabytes = (sizeBytes / 1024 / 1024).toFixed(1);
  return { code: 'large_file', message: `The file is ${megabytes} MB; analysis may take longer.` };
}

export function sampledAnalysisWarning(rowCount: number, sampleRows: number): IngestWarning {
  return {
    code: 'sampled_analysis',
    message:
      `The file has ${count(rowCount)} rows: totals use every row; correlations and distributions use a ` +
      `repeatable sample of ${count(sampleRows)} rows.`,
  };
}

export function preambleWarning(lines: number, firstLine: string): IngestWarning {
  return {
    code: 'skipped_lines',
    message:
      `${plural(lines, 'line', 'lines')} above the table (${quoted(firstLine)}) ${lines === 1 ? 'was' : 'were'} not data and ` +
      `${lines === 1 ? 'was' : 'were'} skipped: the header is line ${lines + 1}.`,
  };
}

export function footerWarning(records: number, firstLine: number): IngestWarning {
  return {
    code: 'skipped_lines',
    message:
      `${plural(records, 'line', 'lines')} below the table, from line ${firstLine}, ` +
      `${records === 1 ? 'has' : 'have'} fewer fields than the header (a total or a note, not data) and ` +
      `${records === 1 ? 'was' : 'were'} skipped.`,
  };
}

export function totalsRowsWarning(labels: string[]): IngestWarning {
  const rows = labels.length;
  return {
    code: 'skipped_lines',
    message:
      `${plural(rows, 'row', 'rows')} named ${labels.map(quoted).join(' and ')} ${rows === 1 ? 'adds' : 'add'} up the other rows ` +
      `(a spreadsheet's total, not data) and ${rows === 1 ? 'was' : 'were'} left out so that nothing is counted twice.`,
  };
}

export function notesWarning(notes: string[]): IngestWarning {
  const rows = notes.length;
  return {
    code: 'skipped_lines',
    message: `${plural(rows, 'line', 'lines')} below the table (${notes.map(quoted).join(', ')}) ${rows === 1 ? 'is a note' : 'are notes'}, not data, and ${rows === 1 ? 'was' : 'were'} skipped.`,
  };
}

export function emptyRowsWarning(rows: number): IngestWarning {
  return {
    code: 'skipped_lines',
    message: `${plural(rows, 'row has', 'rows have')} every cell empty and ${rows === 1 ? 'was' : 'were'} left out.`,
  };
}

export function wideTableWarning(wide: WideLayout, wideRows: number, longRows: number): IngestWarning {
  const first = wide.columns[0]!.name;
  const last = wide.columns[wide.columns.length - 1]!.name;
  return {
    code: 'wide_table',
    message:
      `The file has one column per ${wide.granularity} (${quoted(first)} to ${quoted(last)}, ${count(wide.columns.length)} columns): ` +
      `it was read as one row per ${wide.granularity} for each of its ${count(wideRows)} rows (${count(longRows)} rows with a value), ` +
      `the numbers in a column named ${quoted(wide.valueColumn)} and the ${wide.granularity} in ${quoted(wide.periodColumn)}.` +
      (wide.leftOut
        ? ` ${wide.leftOut.map((column) => quoted(column.name)).join(', ')} ${wide.leftOut.length === 1 ? 'names' : 'name'} no ${wide.granularity} and ${wide.leftOut.length === 1 ? 'was' : 'were'} left out.`
        : ''),
  };
}

export function encodingGuessedWarning(): IngestWarning {
  return {
    code: 'encoding_guessed',
    message:
      'The file is not valid UTF-8, so it was read as Windows-1252 (Western European). If accented letters ' +
      'look wrong, save the file as "CSV UTF-8" and upload it again.',
  };
}

export function renamedColumnsWarning(renames: ColumnRename[]): IngestWarning {
  const described = renames.map(({ index, original, name }) =>
    original === '' ? `column ${index + 1} has no name → ${name}` : `repeated ${quoted(original)} → ${name}`,
  );
  return { code: 'renamed_columns', message: `Some column names were renamed: ${described.join('; ')}.` };
}

export function duplicateRowsWarning(duplicates: number, rowCount: number): IngestWarning {
  return {
    code: 'duplicate_rows',
    message:
      `${plural(duplicates, 'row is an exact duplicate', 'rows are exact duplicates')} of an earlier row ` +
      `(${percent(duplicates, rowCount)}); they are kept.`,
  };
}

export function missingValuesWarning(
  column: string,
  parts: { empty: number; markers: number; markerSpellings: string[]; sentinels: number; invalid: number },
  rowCount: number,
): IngestWarning {
  const missing = parts.empty + parts.markers + parts.sentinels + parts.invalid;
  const onlyEmpty = missing === parts.empty;
  let message = `${column} is ${onlyEmpty ? 'empty' : 'missing'} in ${plural(missing, 'row', 'rows')} (${percent(missing, rowCount)})`;
  if (!onlyEmpty) {
    const details: string[] = [];
    if (parts.empty > 0) details.push(`${count(parts.empty)} empty`);
    if (parts.markers > 0)
      details.push(`${count(parts.markers)} written as ${parts.markerSpellings.map(quoted).join(' or ')}`);
    if (parts.sentinels > 0) details.push(`${count(parts.sentinels)} placeholder codes`);
    if (parts.invalid > 0) details.push(`${count(parts.invalid)} unreadable`);
    message += `: ${details.join(', ')}`;
  }
  return { code: 'missing_values', message: `${message}.`, column };
}

const TYPE_NOUNS: Record<string, string> = {
  integer: 'numbers',
  number: 'numbers',
  date: 'dates',
  datetime: 'dates and times',
  boolean: 'yes/no values',
};

export function invalidValuesWarning(
  column: string,
  type: string,
  invalid: number,
  example: string | null,
): IngestWarning {
  const instance = example === null ? '' : ` (for example ${quoted(example)})`;
  return {
    code: 'invalid_values',
    message: `${column}: ${plural(invalid, 'cell', 'cells')}${instance} could not be read as ${TYPE_NOUNS[type] ?? 'values'} and ${invalid === 1 ? 'is' : 'are'} treated as missing.`,
    column,
  };
}

export function boundedValuesWarning(
  column: string,
  bounded: { count: number; example: string; atMost: boolean },
): IngestWarning {
  return {
    code: 'bounded_values',
    message:
      `${column}: ${plural(bounded.count, 'cell is', 'cells are')} written as a bound (like ${quoted(bounded.example)}) rather than a value; ` +
      `${bounded.count === 1 ? 'it is' : 'each is'} read as the bound itself, so ${bounded.atMost ? 'low values of this column are overstated' : 'high values of this column are understated'}.`,
    column,
  };
}

export function sentinelWarning(column: string, sentinels: { code: number; count: number }[]): IngestWarning {
  const described = sentinels.map(({ code, count: cells }) => `${plural(cells, 'cell holds', 'cells hold')} ${code}`);
  return {
    code: 'sentinel_values',
    message: `${column}: ${described.join(' and ')}, read as missing values.`,
    column,
  };
}

export function ambiguousDatesWarning(
  column: string,
  reading: { dayFirst: boolean; byOrder: boolean; example: string | null },
): IngestWarning {
  const instance = reading.example ? ` like ${quoted(reading.example)}` : '';
  const chosen = reading.dayFirst ? 'day first (dd/mm/yyyy)' : 'month first (mm/dd/yyyy)';
  const why = reading.byOrder ? ', which keeps the rows in date order' : '';
  return {
    code: 'ambiguous_dates',
    message: `${column}: dates${instance} could be day-first or month-first and no value settles it; read as ${chosen}${why}.`,
    column,
  };
}

export function formulaCellsWarning(column: string, cells: number, example: string | null): IngestWarning {
  const instance = example ? ` (for example ${quoted(example)})` : '';
  return {
    code: 'formula_cells',
    message:
      `${column}: ${plural(cells, 'cell starts', 'cells start')} like a spreadsheet formula${instance}; ` +
      'kept as text, and neutralized when exported.',
    column,
  };
}

export function convertedUnitsWarning(column: string, unit: string, factors: Record<string, number>): IngestWarning {
  const others = Object.keys(factors);
  const sizes = Object.entries(factors).map(
    ([other, factor]) => `1 ${other} = ${Number(factor.toPrecision(10))} ${unit}`,
  );
  return {
    code: 'converted_units',
    message:
      `${column}: values are written in ${[unit, ...others].join(' and ')}; those in ${others.join(' and ')} ` +
      `were converted to ${unit} (${sizes.join(', ')}).`,
    column,
  };
}

/** Fiscal and split years (FY2024, 2023/24) stand for one year: say which, in the column's own spelling. */
export function yearPeriodsWarning(column: string, format: string): IngestWarning {
  const spelled = format.replace('%Y', '2023').replace('%y', '23').replace('%n', '24').replace('%N', '2024');
  const split = /%[nN]/.test(format);
  return {
    code: 'year_periods',
    message: split
      ? `${column}: values like ${quoted(spelled)} run into the next year; each is read as the year it starts in (${spelled} as 2023) and named as written.`
      : `${column}: fiscal years like ${quoted(spelled)} are read as the year they name (${spelled} as 2023) and named as written.`,
    column,
  };
}

/** Every warning of a reading: file-level first, then each column's in column order. */
export function collectWarnings(reading: {
  sizeBytes: number;
  largeFileBytes: number;
  rowCount: number;
  sampleRows: number;
  encoding: CsvFormat['encoding'];
  /** Lines skipped above the header, and the first of them (a report's title). */
  preamble: { lines: number; firstLine: string } | null;
  /** Short records skipped below the table, and the line they start on. */
  footer: { lines: number; firstLine: number } | null;
  /** Rows left out because every cell was empty. */
  emptyRows: number;
  totalsRows: string[];
  notes: string[];
  renames: ColumnRename[];
  duplicateRows: number;
  columns: (TypedColumn & ColumnStats)[];
}): IngestWarning[] {
  const { rowCount } = reading;
  const warnings: IngestWarning[] = [];
  if (reading.sizeBytes >= reading.largeFileBytes) warnings.push(largeFileWarning(reading.sizeBytes));
  if (rowCount > reading.sampleRows) warnings.push(sampledAnalysisWarning(rowCount, reading.sampleRows));
  if (reading.preamble) warnings.push(preambleWarning(reading.preamble.lines, reading.preamble.firstLine));
  if (reading.footer) warnings.push(footerWarning(reading.footer.lines, reading.footer.firstLine));
  if (reading.emptyRows > 0) warnings.push(emptyRowsWarning(reading.emptyRows));
  if (reading.totalsRows.length > 0) warnings.push(totalsRowsWarning(reading.totalsRows));
  if (reading.notes.length > 0) warnings.push(notesWarning(reading.notes));
  if (reading.encoding === 'windows-1252') warnings.push(encodingGuessedWarning());
  if (reading.renames.length > 0) warnings.push(renamedColumnsWarning(reading.renames));
  if (reading.duplicateRows > 0) warnings.push(duplicateRowsWarning(reading.duplicateRows, rowCount));
  for (const column of reading.columns) warnings.push(...columnWarnings(column, rowCount));
  return warnings;
}

function columnWarnings(column: TypedColumn & ColumnStats, rowCount: number): IngestWarning[] {
  const warnings: IngestWarning[] = [];
  const sentinelCells = column.sentinels.reduce((sum, finding) => sum + finding.count, 0);
  if (column.nonNullCount < rowCount) {
    warnings.push(
      missingValuesWarning(
        column.name,
        {
          empty: column.emptyCount,
          markers: column.markerCount,
          markerSpellings: column.parse.nullMarkers,
          sentinels: sentinelCells,
          invalid: column.invalidCount,
        },
        rowCount,
      ),
    );
  }
  if (column.invalidCount > 0) {
    warnings.push(invalidValuesWarning(column.name, column.parse.type, column.invalidCount, column.invalidExample));
  }
  if (column.sentinels.length > 0) warnings.push(sentinelWarning(column.name, column.sentinels));
  if (column.bounded) warnings.push(boundedValuesWarning(column.name, column.bounded));
  if (column.ambiguousDates) {
    warnings.push(ambiguousDatesWarning(column.name, column.ambiguousDates));
  }
  if (column.parse.unit && column.parse.unitFactors && column.parse.type !== 'text') {
    warnings.push(convertedUnitsWarning(column.name, column.parse.unit, column.parse.unitFactors));
  }
  const yearFormat = (column.parse.dateFormats ?? []).find(isYearPeriodFormat);
  if (yearFormat && column.parse.type === 'date') warnings.push(yearPeriodsWarning(column.name, yearFormat));
  if (column.formulaCount > 0)
    warnings.push(formulaCellsWarning(column.name, column.formulaCount, column.formulaExample));
  return warnings;
}
