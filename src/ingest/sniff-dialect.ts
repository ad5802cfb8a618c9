import { AppError } from '../errors.ts';
import { type Dialect, isBlankRecord, type ParsedRecord, parseRecords } from './parse-records.ts';

const DELIMITERS: Dialect['delimiter'][] = [',', ';', '\t', '|'];
const SNIFF_RECORDS = 200;

export interface SniffedDialect {
  dialect: Dialect;
  /** No delimiter was found and the lines look like one column of values. */
  singleColumn: boolean;
  /**
   * Lines before the header that are not part of the table (a report's title, "Generated on …"): the
   * header is the first line of a consistent block of records; 0 when it is the first non-blank line.
   */
  preambleLines: number;
}

/** Non-blank lines above the table that a report may carry (title, date, filters). */
const MAX_PREAMBLE_RECORDS = 10;
/** Share of data records that must agree with a header found below a preamble. */
const PREAMBLE_CONSISTENCY = 0.9;

interface Candidate {
  dialect: Dialect;
  /** The record read as the header. */
  header: ParsedRecord | null;
  headerFields: number;
  /** Share of sampled data records whose field count agrees with the header. */
  consistency: number;
  /** The first sampled record that disagrees. */
  firstMismatch: ParsedRecord | null;
}

/**
 * Chooses delimiter, quote and escape from the start of the file. Each candidate splits the sample; the
 * winner is the one whose records agree with the header's field count, then the one with more columns.
 * DuckDB's own sniffer is not used: it silently picks odd dialects on small or quirky files, and the whole
 * file is checked against the chosen dialect afterwards (`scan-file.ts`), so a wrong guess cannot pass.
 * `text` is the head decoded byte for byte (latin1): every character that matters here is ASCII.
 */
export function sniffDialect(text: string, complete: boolean): SniffedDialect {
  const hasDoubleQuote = text.includes('"');
  // `\"` inside quotes and no RFC 4180 `""` (other than a backslash-escaped quote before a closing one).
  const escapeChar: Dialect['escape'] = /\\"/.test(text) && !/(^|[^\\])""/.test(text) ? '\\' : '"';
  const candidates: Candidate[] = [];
  for (const delimiter of DELIMITERS) {
    candidates.push(evaluate(text, complete, { delimiter, quote: '"', escape: escapeChar }));
    // A single quote is a quote character only in files that never use double quotes.
    if (!hasDoubleQuote && text.includes("'")) {
      candidates.push(evaluate(text, complete, { delimiter, quote: "'", escape: "'" }));
    }
  }
  const usable = candidates
    .filter((candidate) => candidate.headerFields >= 2)
    .sort(
      (a, b) =>
        b.consistency - a.consistency ||
        b.headerFields - a.headerFields ||
        DELIMITERS.indexOf(a.dialect.delimiter) - DELIMITERS.indexOf(b.dialect.delimiter) ||
        (a.dialect.quote === '"' ? -1 : 1),
    );
  const best = usable[0];
  if (best && best.consistency >= PREAMBLE_CONSISTENCY && !(best.header && titleLike(best.header)))
    return { dialect: best.dialect, singleColumn: false, preambleLines: 0 };
  const belowPreamble = findPreamble(
    text,
    complete,
    candidates.map((candidate) => candidate.dialect),
  );
  if (belowPreamble) return { ...belowPreamble, singleColumn: false };
  if (best && best.consistency >= 0.5) return { dialect: best.dialect, singleColumn: false, preambleLines: 0 };

  const records = sampleRecords(text, complete, { delimiter: ',', quote: '"', escape: escapeChar });
  if (!best && looksLikeOneColumn(records)) {
    return { dialect: { delimiter: ',', quote: '"', escape: escapeChar }, singleColumn: true, preambleLines: 0 };
  }
  if (best?.firstMismatch) {
    const delimiter = best.dialect.delimiter === '\t' ? 'tabs' : `"${best.dialect.delimiter}"`;
    const found = best.firstMismatch.fields.length;
    throw new AppError(
      'unreadable_file',
      `We could not find a consistent delimiter in this file: split by ${delimiter}, the header has ` +
        `${best.headerFields} fields but line ${best.firstMismatch.line} has ${found === 1 ? '1 field' : `${found} fields`}. ` +
        'Make every row have the same number of fields (quote values that contain the delimiter), ' +
        'or export the data as CSV again, and upload it.',
    );
  }
  throw new AppError(
    'unreadable_file',
    'We could not find a delimiter in this file: its lines are not split into the same number of fields by commas, ' +
      'semicolons, tabs or | characters. Make sure the first line is a header with one name per column, ' +
      'export the data as CSV, and upload it again.',
  );
}

function sampleRecords(text: string, complete: boolean, dialect: Dialect): ParsedRecord[] {
  const { records } = parseRecords(text, dialect, SNIFF_RECORDS + 1);
  // The last record of a truncated head may be cut in half.
  if (!complete && records.length > 1) records.pop();
  return records.filter((record) => !isBlankRecord(record));
}

/**
 * A table below a few lines of something else: for each dialect, the first record (among the first
 * `MAX_PREAMBLE_RECORDS`) whose following records agree with it, every line above it being shorter
 * (a title has fewer fields than the table). The fewest skipped lines win, then consistency, then columns.
 */
function findPreamble(
  text: string,
  complete: boolean,
  dialects: Dialect[],
): { dialect: Dialect; preambleLines: number } | null {
  let found: { dialect: Dialect; preambleLines: number; consistency: number; headerFields: number } | null = null;
  for (const dialect of dialects) {
    const records = sampleRecords(text, complete, dialect);
    for (let skip = 1; skip <= MAX_PREAMBLE_RECORDS && skip < records.length - 1; skip++) {
      // A short file shows its footer too ("Total;2230"): shorter lines at the end do not count against it.
      const body = records.slice(skip);
      const width = body[0]!.fields.length;
      let end = body.length;
      while (end > 2 && body.length - end < MAX_PREAMBLE_RECORDS && body[end - 1]!.fields.length < width) end--;
      // A second title line ("Export of 15.01.2025, client 100;;;;;") is no header either, whichever
      // delimiter reads it (split by its comma it would look like a header of two columns).
      if (titleLike(body[0]!) || paddedTitle(body[0]!.fields.join(dialect.delimiter))) continue;
      const candidate = evaluateRecords(body.slice(0, end), dialect);
      if (candidate.headerFields < 2 || candidate.consistency < PREAMBLE_CONSISTENCY) continue;
      // A header names columns: a line of numbers below a short first line is data of a table whose header
      // lacks columns (an error to report), not a table below a title.
      if (!body[0]!.fields.some((field) => /\p{L}/u.test(field))) continue;
      if (records.slice(0, skip).some((record) => record.fields.length >= candidate.headerFields && !titleLike(record)))
        break;
      const preambleLines = records[skip]!.line - 1;
      const better =
        !found ||
        preambleLines < found.preambleLines ||
        (preambleLines === found.preambleLines &&
          (candidate.consistency > found.consistency ||
            (candidate.consistency === found.consistency && candidate.headerFields > found.headerFields)));
      if (better)
        found = { dialect, preambleLines, consistency: candidate.consistency, headerFields: candidate.headerFields };
      break;
    }
  }
  return found ? { dialect: found.dialect, preambleLines: found.preambleLines } : null;
}

/**
 * A line that only holds a title as a spreadsheet writes it: one cell of text and the row's other cells
 * empty ("Sales report,,,,,,,,"), or nothing at all (",,,,,,,,").
 */
function titleLike(record: ParsedRecord): boolean {
  return record.fields.length >= 3 && record.fields.filter((field) => field.trim() !== '').length <= 1;
}

/** A line of text padded with two or more empty cells of some delimiter ("Export of 15.01.2025, client 100;;;;"). */
function paddedTitle(line: string): boolean {
  return [';', ',', '\t', '|'].some((delimiter) => {
    const text = line.trimEnd();
    let end = text.length;
    while (end > 0 && text[end - 1] === delimiter) end--;
    return text.length - end >= 2 && end > 0 && !text.slice(0, end).includes(delimiter);
  });
}

function evaluate(text: string, complete: boolean, dialect: Dialect): Candidate {
  return evaluateRecords(sampleRecords(text, complete, dialect), dialect);
}

function evaluateRecords(records: ParsedRecord[], dialect: Dialect): Candidate {
  const [header, ...data] = records;
  const headerFields = header?.fields.length ?? 0;
  if (!header || data.length === 0) {
    return {
      dialect,
      header: header ?? null,
      headerFields,
      consistency: headerFields >= 2 ? 1 : 0,
      firstMismatch: null,
    };
  }
  const headerTrailingBlank = header.lastFieldEmpty && headerFields > 1;
  const agrees = (record: ParsedRecord) => {
    const count = record.fields.length;
    if (count === headerFields) return true;
    if (count === headerFields + 1 && record.lastFieldEmpty) return true;
    return headerTrailingBlank && count === headerFields - 1;
  };
  const agreeing = data.filter(agrees).length;
  const firstMismatch = data.find((record) => !agrees(record)) ?? null;
  return { dialect, header, headerFields, consistency: agreeing / data.length, firstMismatch };
}

/** One column of short values (numbers, names, codes), not prose or a file with an unknown separator. */
function looksLikeOneColumn(records: ParsedRecord[]): boolean {
  const [header, ...data] = records;
  if (!header || data.length === 0) return false;
  const words = (value: string) => value.trim().split(/\s+/).filter(Boolean).length;
  const headerText = header.fields.join('');
  if (headerText.trim() === '' || headerText.length > 100 || words(headerText) > 6) return false;
  const shortValues = data.filter((record) => {
    const value = record.fields.join('');
    return value.length <= 100 && words(value) <= 6;
  }).length;
  return shortValues / data.length >= 0.95;
}
