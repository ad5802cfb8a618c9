import type { ColumnInfo, CsvFormat } from './types.ts';

/** The file-level format: how the file is written plus the dominant number marks and every date format. */
export function describeFormat(
  dialect: Pick<
    CsvFormat,
    'delimiter' | 'quote' | 'escape' | 'fieldCount' | 'skipLines' | 'footerLines' | 'emptyRows' | 'totalsRows' | 'wide'
  >,
  file: Pick<CsvFormat, 'encoding' | 'bom' | 'lineEnding'>,
  columns: ColumnInfo[],
): CsvFormat {
  const numeric = columns.filter((column) => column.type === 'integer' || column.type === 'number');
  // Integer columns only vote when they prove a decimal comma (`1.234` thousands in a `12,5` file).
  const decimal =
    mostCommon(
      numeric.flatMap((column) =>
        column.type === 'number' || column.parse.decimal === ',' ? [column.parse.decimal ?? '.'] : [],
      ),
    ) ?? '.';
  const thousands = mostCommon(numeric.flatMap((column) => (column.parse.thousands ? [column.parse.thousands] : [])));
  const dateFormats: Record<string, string[]> = {};
  for (const column of columns) {
    if (column.parse.dateFormats && (column.type === 'date' || column.type === 'datetime')) {
      dateFormats[column.name] = column.parse.dateFormats;
    }
  }
  const nullMarkers = [...new Set(columns.flatMap((column) => column.parse.nullMarkers))];
  return {
    encoding: file.encoding,
    bom: file.bom,
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    escape: dialect.escape,
    fieldCount: dialect.fieldCount,
    skipLines: dialect.skipLines,
    ...(dialect.footerLines ? { footerLines: dialect.footerLines } : {}),
    ...(dialect.emptyRows ? { emptyRows: dialect.emptyRows } : {}),
    ...(dialect.totalsRows ? { totalsRows: dialect.totalsRows } : {}),
    ...(dialect.wide ? { wide: dialect.wide } : {}),
    lineEnding: file.lineEnding,
    header: true,
    decimal: decimal as CsvFormat['decimal'],
    thousands: thousands ?? null,
    dateFormats,
    nullMarkers,
  };
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
