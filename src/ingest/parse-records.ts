/** How fields are separated and quoted. */
export interface Dialect {
  delimiter: ',' | ';' | '\t' | '|';
  quote: '"' | "'";
  /** The quote itself (`""` escapes a quote, RFC 4180) or a backslash (`\"`). */
  escape: '"' | "'" | '\\';
}

export interface ParsedRecord {
  fields: string[];
  /** The last field is empty and unquoted (the line ends with a delimiter, or the line is blank). */
  lastFieldEmpty: boolean;
  /** 1-based physical line the record starts on. */
  line: number;
}

/**
 * Splits CSV text into records with the same rules DuckDB's strict reader applies: a quote opens a quoted
 * field only at the start of a field, quoted fields may hold delimiters and line breaks, and a record ends at
 * LF, CRLF or CR. Used on the head of the file (sniffing, header names); `scan-file.ts` counts the whole file.
 * `complete` is false when the text ends inside a quoted field.
 */
export function parseRecords(
  text: string,
  dialect: Dialect,
  maxRecords: number,
): { records: ParsedRecord[]; complete: boolean } {
  const records: ParsedRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let afterClosingQuote = false;
  let line = 1;
  let recordLine = 1;
  let position = 0;

  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
    afterClosingQuote = false;
  };
  const endRecord = () => {
    const lastFieldEmpty = field === '' && !quoted;
    endField();
    records.push({ fields, lastFieldEmpty, line: recordLine });
    fields = [];
  };

  while (position < text.length && records.length < maxRecords) {
    const char = text[position]!;
    position++;
    if (inQuotes) {
      if (dialect.escape !== dialect.quote && char === dialect.escape && position < text.length) {
        field += text[position];
        position++;
      } else if (char === dialect.quote) {
        if (dialect.escape === dialect.quote && text[position] === dialect.quote) {
          field += char;
          position++;
        } else {
          inQuotes = false;
          afterClosingQuote = true;
        }
      } else {
        if (char === '\n' || (char === '\r' && text[position] !== '\n')) line++;
        field += char;
      }
      continue;
    }
    if (char === dialect.quote && field === '' && !quoted && !afterClosingQuote) {
      inQuotes = true;
      quoted = true;
      continue;
    }
    if (char === dialect.delimiter) {
      endField();
      continue;
    }
    if (char === '\n' || char === '\r') {
      if (char === '\r' && text[position] === '\n') position++;
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    field += char;
  }
  if (records.length < maxRecords && (field !== '' || fields.length > 0 || quoted)) endRecord();
  return { records, complete: !inQuotes };
}

/** A blank line: DuckDB skips it when the file has more than one column. */
export function isBlankRecord(record: ParsedRecord): boolean {
  return record.fields.length === 1 && record.lastFieldEmpty;
}
