import { quoteIdent, quoteLiteral } from '../db/duckdb.ts';
import { datePattern, hasUtcOffset, isPatternFormat } from './date-formats.ts';
import { isOneOf, listLiteral } from './sql-fragments.ts';
import type { ColumnParse } from './types.ts';

/** The raw table's column for the file's field at `index` (header names are untrusted, so never used raw). */
export function rawColumnName(index: number): string {
  return `c${index}`;
}

/** Words DuckDB's strptime turns into a date although no date is written. */
const SPECIAL_DATE_WORDS = ['infinity', '-infinity', 'epoch'];

/** `text` as a literal inside a regular expression (RE2 and Python alike). */
export const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * The SQL expression that turns a raw VARCHAR cell into its typed value, following `parse` exactly. It is
 * used for the first load and for reloads, so a stored reading always produces the same table.
 * `anyMarker` (lower case) replaces `parse.nullMarkers` on the first load, before the spellings are known.
 */
export function parseExpression(rawColumn: string, parse: ColumnParse, anyMarker?: string[]): string {
  const cell = `trim(${quoteIdent(rawColumn)})`;
  switch (parse.type) {
    case 'text': {
      const markers = anyMarker ?? parse.nullMarkers;
      if (markers.length === 0) return `NULLIF(${cell}, '')`;
      const isMarker = anyMarker ? isOneOf(`lower(${cell})`, anyMarker) : isOneOf(cell, markers);
      // Markers are short: testing the length first skips the list for most cells (twice as fast on 1M rows).
      const longest = Math.max(...markers.map((marker) => marker.length));
      return `CASE WHEN strlen(${cell}) > ${longest} THEN ${cell} WHEN ${isMarker} THEN NULL ELSE NULLIF(${cell}, '') END`;
    }
    case 'boolean': {
      const lower = (values: string[] | undefined) => [...new Set((values ?? []).map((value) => value.toLowerCase()))];
      const isTrue = isOneOf(`lower(${cell})`, lower(parse.trueValues));
      const isFalse = isOneOf(`lower(${cell})`, lower(parse.falseValues));
      return `CASE WHEN ${isTrue} THEN true WHEN ${isFalse} THEN false END`;
    }
    case 'date':
    case 'datetime': {
      // Quarters, ISO weeks and fiscal or split years are read by pattern (strptime has none of them): the
      // quarter's first day, the week's Monday (week 1 holds January 4th), January 1st of the year (a split
      // year's first, whose second part must be the next year), or NULL.
      const patternFormats = (parse.dateFormats ?? []).filter(isPatternFormat);
      if (patternFormats.length > 0) {
        const readings = patternFormats.map((format) => {
          const { regex, year, part, unit } = datePattern(format);
          const group = (n: number) => `CAST(regexp_extract(${cell}, ${quoteLiteral(regex)}, ${n}) AS INTEGER)`;
          // Two digits as strptime reads `%y`: 69–99 are 19xx, the rest 20xx.
          const fullYear = format.includes('%y')
            ? `(${group(year)} + CASE WHEN ${group(year)} >= 69 THEN 1900 ELSE 2000 END)`
            : group(year);
          const jan4 = `make_date(${group(year)}, 1, 4)`;
          const date =
            unit === 'quarter'
              ? `make_date(${group(year)}, (${group(part)} - 1) * 3 + 1, 1)`
              : unit === 'year'
                ? `make_date(${fullYear}, 1, 1)`
                : `CAST(${jan4} - CAST(isodow(${jan4}) - 1 AS INTEGER) + (${group(part)} - 1) * 7 AS DATE)`;
          const next = format.includes('%n') ? `(${group(year)} + 1) % 100` : `${group(year)} + 1`;
          const valid =
            unit === 'week'
              ? ` AND ${group(part)} BETWEEN 1 AND 53`
              : unit === 'year' && part > 0
                ? ` AND ${group(part)} = ${next}`
                : '';
          return `CASE WHEN regexp_full_match(${cell}, ${quoteLiteral(regex)})${valid} THEN ${date} END`;
        });
        const others = (parse.dateFormats ?? []).filter((format) => !isPatternFormat(format));
        if (others.length > 0)
          readings.push(parseExpression(rawColumn, { ...parse, type: 'date', dateFormats: others }, anyMarker));
        return readings.length === 1 ? readings[0]! : `coalesce(${readings.join(', ')})`;
      }
      // A time with an offset (`10:00+02:00`) is read as the local time written, the offset left aside: a shop
      // opens at 9 on its own clock, and a day of sales is its local day (in UTC, Paris's midnight is 22:00 the
      // day before, and a summer offset shifts every hour of the daily cycle). A `Z` is the time written too.
      const zoned = (parse.dateFormats ?? []).some((format) => hasUtcOffset(format) || format.endsWith('Z'));
      const formats = [
        ...new Set((parse.dateFormats ?? []).map((format) => (zoned ? format.replace(/(%z|Z)$/, '') : format))),
      ];
      const source = zoned ? `regexp_replace(${cell}, '(Z|z|[+-]\\d{2}:?\\d{2})$', '')` : cell;
      let parsed =
        formats.length === 1
          ? `try_strptime(${source}, ${quoteLiteral(formats[0]!)})`
          : `try_strptime(${source}, ${listLiteral(formats)})`;
      // A quicker reading first, for the cells it gives the same value (strptime already skips spaces around
      // the value; one `Z` format can be read as written): 2–3 times faster on a million rows. COALESCE runs
      // the full reading only for the cells the quick one left NULL.
      const quick = quickDateReading(rawColumn, parse.dateFormats ?? []);
      if (quick) parsed = `coalesce(${quick}, ${parsed})`;
      // DuckDB 1.5's strptime reads `infinity`, `-infinity` and `epoch` (any case, spaces around) as
      // 1900-01-01: those cells are not dates. The first character's code is tested first (cheap).
      const firstCodes = [...' \t-iIeE'].map((c) => c.charCodeAt(0)).join(', ');
      const isWord = `ascii(${quoteIdent(rawColumn)}) IN (${firstCodes}) AND ${isOneOf(`lower(${cell})`, SPECIAL_DATE_WORDS)}`;
      parsed = `CASE WHEN ${isWord} THEN NULL ELSE ${parsed} END`;
      return parse.type === 'date' ? `CAST(${parsed} AS DATE)` : parsed;
    }
    case 'integer':
    case 'number': {
      let value = numberExpression(quoteIdent(rawColumn), parse);
      for (const sentinel of parse.sentinels ?? []) value = `NULLIF(${value}, ${sentinel})`;
      return value;
    }
  }
}

/** `try_strptime` on the untrimmed cell, when it reads exactly as the full expression does; else null. */
function quickDateReading(rawColumn: string, formats: string[]): string | null {
  const [only] = formats;
  const zoned = formats.some((format) => hasUtcOffset(format) || format.endsWith('Z'));
  if (!zoned)
    return `try_strptime(${quoteIdent(rawColumn)}, ${formats.length === 1 ? quoteLiteral(only!) : listLiteral(formats)})`;
  // A literal `Z` is UTC wall time: the same TIMESTAMP as `+00:00` converted to UTC (a lower-case `z` falls through).
  if (formats.length === 1 && only!.endsWith('Z') && !hasUtcOffset(only!)) {
    return `try_strptime(${quoteIdent(rawColumn)}, ${quoteLiteral(only!)})`;
  }
  return null;
}

/** A number written as DuckDB's cast reads it: a point for decimals, nothing around it. */
export const isPlainNumber = (parse: ColumnParse) =>
  (parse.decimal ?? '.') === '.' &&
  !parse.thousands &&
  !parse.currency &&
  !parse.unit &&
  !parse.percent &&
  !parse.negativeParentheses &&
  !parse.negativeTrailing &&
  !parse.bounds;

function numberExpression(raw: string, parse: ColumnParse): string {
  const cell = `trim(${raw})`;
  if (isPlainNumber(parse)) {
    // DuckDB's cast reads `nan` and `inf` too; those are not numbers anyone wrote on purpose. The cast skips
    // white space around the number itself, so the raw cell goes in untrimmed (half the time on 1M rows).
    return `CASE WHEN isfinite(TRY_CAST(${raw} AS DOUBLE)) THEN TRY_CAST(${raw} AS DOUBLE) END`;
  }
  const decimal = escapeRegex(parse.decimal ?? '.');
  const thousands = parse.thousands === ' ' ? '[ \u00a0\u202f]' : parse.thousands ? escapeRegex(parse.thousands) : null;
  const digits = thousands
    ? `(?:[0-9]{1,3}(?:${thousands}[0-9]{3})+|[0-9]+)(?:${decimal}[0-9]*)?|${decimal}[0-9]+`
    : `[0-9]+(?:${decimal}[0-9]*)?|${decimal}[0-9]+`;
  const currency = parse.currency ? `(?:${escapeRegex(parse.currency)})?` : '';
  // The unit in any case ("12 KG" in a column of "kg"), or one convertible to it; a cell in another unit does not parse.
  const units = parse.unit ? [parse.unit, ...Object.keys(parse.unitFactors ?? {})] : [];
  const unitAlternatives = units
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex)
    .join('|');
  const unit = parse.unit ? `(?i:${unitAlternatives})?` : '';
  const percent = parse.percent ? '%?' : '';
  const open = parse.negativeParentheses ? '\\(?' : '';
  const close = `${parse.negativeParentheses ? '\\)?' : ''}${parse.negativeTrailing ? '-?' : ''}`;
  // A bound (`90+`, `<5`, `>= 100`) reads as the number it names.
  const boundBefore = parse.bounds ? '(?:<=|>=|<|>|≤|≥)?\\s*' : '';
  const boundAfter = parse.bounds ? '\\+?\\s*' : '';
  // Keeps sign + digits + exponent of a well-formed cell; anything else becomes '' (and so NULL).
  const pattern =
    `^\\s*${boundBefore}${open}\\s*([-+]?)\\s*${currency}\\s*([-+]?)\\s*(${digits})([eE][-+]?[0-9]+)?` +
    `\\s*${currency}${unit}\\s*${percent}\\s*${close}\\s*${boundAfter}$|^[\\s\\S]*$`;
  let text = `regexp_replace(${cell}, ${quoteLiteral(pattern)}, '\\1\\2\\3\\4')`;
  if (parse.thousands === ' ') text = `regexp_replace(${text}, '[ \u00a0\u202f]', '', 'g')`;
  else if (parse.thousands) text = `replace(${text}, ${quoteLiteral(parse.thousands)}, '')`;
  if (parse.decimal === ',') text = `replace(${text}, ',', '.')`;
  let value = `TRY_CAST(${text} AS DOUBLE)`;
  if (parse.negativeParentheses) value = `CASE WHEN starts_with(${cell}, '(') THEN -${value} ELSE ${value} END`;
  if (parse.negativeTrailing) value = `CASE WHEN ends_with(${cell}, '-') THEN -${value} ELSE ${value} END`;
  const factors = Object.entries(parse.unitFactors ?? {});
  if (factors.length > 0) {
    // The unit a cell is written in, then its size in the column's unit.
    const written = `lower(regexp_extract(${cell}, ${quoteLiteral(`(?i)(${unitAlternatives})\\s*%?\\s*\\)?\\s*$`)}, 1))`;
    const cases = factors.map(([name, factor]) => `WHEN ${quoteLiteral(name)} THEN ${factor}`).join(' ');
    value = `${value} * (CASE ${written} ${cases} ELSE 1 END)`;
  }
  return value;
}
