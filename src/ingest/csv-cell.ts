/** Text a spreadsheet could run as a formula (OWASP "CSV injection"): it starts with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number written as text (`-5`, `+1.5`, `-1e3`): no spreadsheet reads it as a formula. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Turns a value into a CSV cell that no spreadsheet will execute: text starting with = + - @ TAB CR gets a leading apostrophe (numbers stay numbers), and quoting per RFC 4180. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
