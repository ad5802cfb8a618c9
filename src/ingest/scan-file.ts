import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Dialect } from './parse-records.ts';
import type { CsvFormat } from './types.ts';

export type RecordProblem =
  | { kind: 'field_count'; line: number; found: number; expected: number }
  | { kind: 'unterminated_quote'; line: number };

export interface FileScan {
  /** Every byte sequence is valid UTF-8. */
  utf8: boolean;
  /** A NUL byte was found: the file is binary. */
  hasNul: boolean;
  headerFields: number;
  /** Blank lines before the header. */
  linesBeforeHeader: number;
  /** Fields per record to read (the header's count, less a blank trailing header field). */
  fieldCount: number;
  /** Records after the header; blank lines are skipped unless the file has a single column. */
  dataRecords: number;
  lineEnding: CsvFormat['lineEnding'];
  /** The first record that does not fit, or an unterminated quote. */
  problem: RecordProblem | null;
  /**
   * Records below the table (a "Total rows: 1999" or "Report end" line): a run of at most
   * `MAX_FOOTER_RECORDS` records at the very end, each with fewer fields than the header. They are not
   * counted in `dataRecords`; `footerLine` is where they start.
   */
  footerRecords: number;
  footerLine: number | null;
}

/** Short lines at the end of a file that may be a report's footer rather than a broken table. */
const MAX_FOOTER_RECORDS = 10;

const LF = 0x0a;
const CR = 0x0d;
const CHUNK_BYTES = 1 << 20;
// Byte classes: one table lookup per byte keeps the scan of a 50 MB file at a few hundred milliseconds.
const ORDINARY = 0;
const DELIMITER = 1;
const QUOTE = 2;
const NEWLINE = 3;
const ESCAPE = 4;

/**
 * Reads the whole file once: validates UTF-8, looks for NUL bytes and counts the fields of every record with
 * the sniffed dialect (same rules as `parse-records.ts`, on bytes, which is safe because every byte that
 * matters is ASCII in both UTF-8 and windows-1252). This is what lets a bad line deep in a large file be
 * reported by number, and what checks the row count DuckDB loads.
 */
export function scanFile(filePath: string, dialect: Dialect, options: ScanOptions = {}): Promise<FileScan> {
  return scanChunks(createReadStream(filePath, { highWaterMark: CHUNK_BYTES }), dialect, options);
}

export interface ScanOptions {
  /** Lines above the table to pass over (a report's title): the header is the first record after them. */
  preambleLines?: number;
}

/** `scanFile` over any sequence of byte chunks (the file's head alone, for a first guess). */
export async function scanChunks(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer>,
  dialect: Dialect,
  options: ScanOptions = {},
): Promise<FileScan> {
  const preambleLines = options.preambleLines ?? 0;
  const delimiter = dialect.delimiter.charCodeAt(0);
  const quote = dialect.quote.charCodeAt(0);
  const escapeByte = dialect.escape.charCodeAt(0);
  const escapeIsQuote = escapeByte === quote;
  const kinds = new Uint8Array(256);
  kinds[LF] = NEWLINE;
  kinds[CR] = NEWLINE;
  kinds[delimiter] = DELIMITER;
  if (!escapeIsQuote) kinds[escapeByte] = ESCAPE;
  kinds[quote] = QUOTE;

  let utf8 = true;
  let utf8Carry: Buffer | null = null;
  let first = true;

  // Parser state: one record at a time.
  let inQuotes = false;
  let quoteJustClosed = false; // the previous byte closed a quoted field (or is a doubled quote's first half)
  let escaping = false;
  let fieldHasContent = false;
  let fieldQuoted = false;
  let fields = 1;
  let previousCR = false;
  let line = 1;
  let recordLine = 1;

  let headerFields = 0;
  let headerLastEmpty = false;
  let linesBeforeHeader = 0;
  let dataRecords = 0;
  let badForHeader: RecordProblem | null = null;
  let badForTrimmedHeader: RecordProblem | null = null;
  // The current run of short records (fewer fields than the header) and the line it started on.
  let shortRun = 0;
  let shortRunLine = 0;
  const endings = { LF: 0, CRLF: 0, CR: 0 };

  const fits = (expected: number, count: number, lastEmpty: boolean) =>
    count === expected || (count === expected + 1 && lastEmpty);

  const endRecord = () => {
    const lastEmpty = !fieldHasContent && !fieldQuoted;
    const blank = fields === 1 && lastEmpty;
    if (headerFields === 0) {
      if (!blank && recordLine > preambleLines) {
        headerFields = fields;
        headerLastEmpty = lastEmpty && fields > 1;
        linesBeforeHeader = recordLine - 1;
      }
    } else if (!blank || headerFields === 1) {
      // DuckDB skips blank lines, except in a one-column file where they are empty values.
      dataRecords++;
      const fitsHeader = fits(headerFields, fields, lastEmpty);
      if (!badForHeader && !fitsHeader) {
        badForHeader = { kind: 'field_count', line: recordLine, found: fields, expected: headerFields };
      }
      if (fitsHeader || fields > headerFields) {
        shortRun = 0;
      } else {
        if (shortRun === 0) shortRunLine = recordLine;
        shortRun++;
      }
      if (headerLastEmpty && !badForTrimmedHeader && !fits(headerFields - 1, fields, lastEmpty)) {
        badForTrimmedHeader = { kind: 'field_count', line: recordLine, found: fields, expected: headerFields - 1 };
      }
    }
    fields = 1;
    fieldHasContent = false;
    fieldQuoted = false;
    quoteJustClosed = false;
  };

  for await (const raw of chunks) {
    let chunk = raw as Buffer;
    if (chunk.includes(0)) {
      return {
        utf8,
        hasNul: true,
        headerFields,
        linesBeforeHeader,
        fieldCount: headerFields,
        dataRecords,
        lineEnding: 'LF',
        problem: null,
        footerRecords: 0,
        footerLine: null,
      };
    }
    if (utf8) {
      const joined: Buffer = utf8Carry ? Buffer.concat([utf8Carry, chunk]) : chunk;
      const end = completeUtf8Length(joined);
      utf8 = isUtf8(joined.subarray(0, end));
      utf8Carry = end < joined.length ? joined.subarray(end) : null;
    }
    let start = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    chunk = chunk.subarray(start);
    const bytes = chunk;
    let nextQuote = -1;
    let nextCR = -1;
    /**
     * Whole records with no quote and no CR, from `from` (the start of a record) to the chunk's last LF:
     * counted with native searches and a tight loop over local variables, which is most of a clean file.
     * Returns where the byte-by-byte loop resumes.
     */
    const skipPlainRecords = (from: number): number => {
      // Locals, not the closure's variables, inside the per-byte loop.
      const data = bytes;
      const separator = delimiter;
      let position = from;
      for (;;) {
        const lf = bytes.indexOf(LF, position);
        if (lf < 0) return position;
        if (nextQuote < position && nextQuote !== bytes.length) {
          nextQuote = bytes.indexOf(quote, position);
          if (nextQuote < 0) nextQuote = bytes.length;
        }
        if (nextCR < position && nextCR !== bytes.length) {
          nextCR = bytes.indexOf(CR, position);
          if (nextCR < 0) nextCR = bytes.length;
        }
        if (nextQuote < lf || nextCR < lf) return position;
        let count = 1;
        let lastDelimiter = position - 1;
        for (let at = position; at < lf; at++) {
          if (data[at] === separator) {
            count++;
            lastDelimiter = at;
          }
        }
        fields = count;
        fieldHasContent = lf > lastDelimiter + 1;
        endRecord();
        endings.LF++;
        line++;
        recordLine = line;
        position = lf + 1;
      }
    };

    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      const kind = kinds[byte]!;
      if (previousCR) {
        previousCR = false;
        if (byte === LF) {
          if (!inQuotes) {
            endings.CR--;
            endings.CRLF++;
          }
          continue;
        }
      }
      if (inQuotes) {
        if (escaping) {
          escaping = false;
        } else if (kind === ESCAPE) {
          escaping = true;
        } else if (kind === QUOTE) {
          inQuotes = false;
          quoteJustClosed = true;
        } else if (byte === LF) {
          line++;
        } else if (byte === CR) {
          line++;
          previousCR = true;
        }
        continue;
      }
      if (kind === ORDINARY) {
        // Most bytes are ordinary field text: skip the whole run in a tight loop.
        while (index + 1 < chunk.length && kinds[chunk[index + 1]!] === ORDINARY) index++;
        fieldHasContent = true;
        quoteJustClosed = false;
      } else if (kind === QUOTE) {
        if (quoteJustClosed && escapeIsQuote) {
          // A doubled quote inside a quoted field: back inside the quotes.
          inQuotes = true;
          quoteJustClosed = false;
        } else if (!fieldHasContent && !fieldQuoted) {
          inQuotes = true;
          fieldQuoted = true;
        } else {
          fieldHasContent = true;
        }
      } else if (kind === DELIMITER) {
        quoteJustClosed = false;
        fields++;
        fieldHasContent = false;
        fieldQuoted = false;
      } else if (kind === NEWLINE) {
        endRecord();
        line++;
        recordLine = line;
        if (byte === CR) {
          endings.CR++;
          previousCR = true;
        } else {
          endings.LF++;
          index = skipPlainRecords(index + 1) - 1;
        }
      } else {
        // The escape character outside quotes is ordinary text.
        fieldHasContent = true;
        quoteJustClosed = false;
      }
    }
  }
  if (utf8Carry) utf8 = false;

  let problem: RecordProblem | null = null;
  if (inQuotes) {
    problem = { kind: 'unterminated_quote', line: recordLine };
  } else if (fields > 1 || fieldHasContent || fieldQuoted) {
    endRecord();
  }
  let fieldCount = headerFields;
  // A footer: the only records that do not fit are a short run at the very end, below a table of several rows.
  // (Assigned in `endRecord`: TypeScript cannot see that through the closure.)
  const firstMisfit = badForHeader as RecordProblem | null;
  const footer =
    problem === null &&
    firstMisfit !== null &&
    shortRun > 0 &&
    shortRun <= MAX_FOOTER_RECORDS &&
    firstMisfit.line === shortRunLine &&
    dataRecords - shortRun >= 2 &&
    headerFields > 1;
  if (footer) {
    dataRecords -= shortRun;
  } else if (headerLastEmpty && !badForTrimmedHeader) {
    fieldCount = headerFields - 1;
  } else {
    problem ??= badForHeader;
  }

  const lineEnding = (['LF', 'CRLF', 'CR'] as const).reduce((best, ending) =>
    endings[ending] > endings[best] ? ending : best,
  );
  return {
    utf8,
    hasNul: false,
    headerFields,
    linesBeforeHeader,
    fieldCount,
    dataRecords,
    lineEnding,
    problem,
    footerRecords: footer ? shortRun : 0,
    footerLine: footer ? shortRunLine : null,
  };
}

/** Length of the prefix that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  let index = bytes.length - 1;
  let continuation = 0;
  while (index >= 0 && continuation < 3 && (bytes[index]! & 0xc0) === 0x80) {
    index--;
    continuation++;
  }
  if (index < 0) return bytes.length;
  const lead = bytes[index]!;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return needed > bytes.length - index ? index : bytes.length;
}
