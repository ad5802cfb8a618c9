import { datePattern, isPatternFormat } from '../../ingest/date-formats.ts';
import { escapeRegex } from '../../ingest/parse-expressions.ts';
import type { ColumnInfo, ColumnParse, CsvFormat } from '../../ingest/types.ts';
import type { TimeField } from '../../insights/types.ts';
import type { StoredStory } from '../../sessions/types.ts';

/** One look for every chart, ours or the model's: dark background, 10×6 in at 150 dpi (1500×900 px). */
export const chartStyle = [
  'Chart style (matplotlib): figure background and axes background #141414, text, ticks and spines #e6e6e6,',
  'grid #333333, first series colour #4e9bff then #ffb454, #7bd88f, #ff6b6b; figsize=(10, 6), dpi=150,',
  'a clear title and axis labels with units; save with fig.savefig(path, dpi=150, facecolor="#141414") and close the figure.',
].join(' ');

export interface DatasetFacts {
  filePath: string;
  fileName: string;
  rowCount: number;
  sampleRows: number;
  grounding: string;
  /** How we read the file and each column: the model loads it the same way. */
  format: CsvFormat;
  columns: readonly ColumnInfo[];
  /** The time axis, when columns are read as one (Unix time, serial days, year + month, date + time of day). */
  time?: Pick<TimeField, 'name' | 'numeric' | 'clock'> | null;
}

/**
 * The pandas code that reads the file as we did: its delimiter, decimal mark, encoding, the lines around the
 * table, a wide table melted into one row per period (the facts name the long table's columns), and each
 * column that pandas would leave as text made what we read it as: numbers written with a currency, a unit
 * (converted to the column's unit), a percent sign or accounting brackets; placeholder codes as missing;
 * dates in the formats we found, quarters and ISO weeks included.
 */
export function readCode(
  path: string,
  format: CsvFormat,
  columns: readonly ColumnInfo[] = [],
  time?: Pick<TimeField, 'name' | 'numeric' | 'clock'> | null,
): string {
  const options = [JSON.stringify(path)];
  if (format.delimiter !== ',') options.push(`sep=${JSON.stringify(format.delimiter)}`);
  if (format.decimal === ',') options.push('decimal=","');
  if (format.thousands) options.push(`thousands=${JSON.stringify(format.thousands)}`);
  if (format.encoding === 'windows-1252') options.push('encoding="cp1252"');
  if (format.skipLines > 0) options.push(`skiprows=${format.skipLines}`);
  if (format.footerLines) options.push(`skipfooter=${format.footerLines}`, 'engine="python"');
  if (format.nullMarkers.length > 0) options.push(`na_values=${JSON.stringify(format.nullMarkers)}`);
  const lines = [`df = pd.read_csv(${options.join(', ')})`];
  const conversions = columns.filter((column) => column.index >= 0).flatMap((column) => columnConversion(column));
  if (conversions.length > 0) lines.unshift(...PYTHON_READERS, '');
  lines.push(...conversions, ...timeConversion(time));
  const wide = format.wide;
  if (wide) {
    const periodColumns = JSON.stringify(wide.columns.map((column) => column.name));
    // Columns among the periods that name none (a transition quarter), or a total beside them.
    if (wide.leftOut) lines.push(`df = df.drop(columns=${JSON.stringify(wide.leftOut.map((column) => column.name))})`);
    if (wide.yearColumn) {
      const months = JSON.stringify(
        Object.fromEntries(wide.columns.map((column) => [column.name, Number(column.period)])),
      );
      lines.push(
        `df = df.melt(id_vars=[c for c in df.columns if c not in ${periodColumns}], value_vars=${periodColumns}, var_name="__month", value_name=${JSON.stringify(wide.valueColumn)}).dropna(subset=[${JSON.stringify(wide.valueColumn)}])`,
        `df[${JSON.stringify(wide.periodColumn)}] = pd.to_datetime(dict(year=df[${JSON.stringify(wide.yearColumn.name)}], month=df["__month"].map(${months}), day=1))`,
        `df = df.drop(columns=["__month", ${JSON.stringify(wide.yearColumn.name)}])`,
      );
    } else {
      const periods = JSON.stringify(Object.fromEntries(wide.columns.map((column) => [column.name, column.period])));
      lines.push(
        `df = df.melt(id_vars=[c for c in df.columns if c not in ${periodColumns}], value_vars=${periodColumns}, var_name=${JSON.stringify(wide.periodColumn)}, value_name=${JSON.stringify(wide.valueColumn)}).dropna(subset=[${JSON.stringify(wide.valueColumn)}])`,
        `df[${JSON.stringify(wide.periodColumn)}] = pd.to_datetime(df[${JSON.stringify(wide.periodColumn)}].map(${periods}))`,
      );
    }
  }
  return lines.join('\n');
}

/** Two small readers the per-column lines call: numbers written with affixes, and dates in given formats. */
const PYTHON_READERS = [
  'def read_numbers(values, pattern, decimal=".", thousands=None, factors=None, brackets=False):',
  '    text = values.astype("string").str.strip()',
  '    parts = text.str.extract(pattern)',
  '    digits = parts["digits"].str.strip()',
  '    if thousands: digits = digits.str.replace(thousands, "", regex=True)',
  '    if decimal == ",": digits = digits.str.replace(",", ".", regex=False)',
  '    number = pd.to_numeric(digits, errors="coerce")',
  '    negative = (parts["sign"].fillna("") + parts["sign2"].fillna("")).str.contains("-")',
  '    if brackets: negative = negative | text.str.startswith("(").fillna(False)',
  '    number = number.where(~negative.fillna(False), -number)',
  '    if factors: number = number * parts["unit"].str.lower().map(factors).astype("float64").fillna(1.0)',
  '    return number.astype("float64")',
  'def read_dates(values, formats, utc=False):',
  '    text = values.astype("string").str.strip()',
  '    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]" if utc else "datetime64[ns]")',
  '    for f in formats: out = out.fillna(pd.to_datetime(text, format=f, errors="coerce", utc=utc))',
  '    return out.dt.tz_convert(None) if utc else out',
  'def read_periods(values, pattern, year, part, unit):',
  '    found = values.astype("string").str.strip().str.extract(pattern)',
  '    if unit == "year":',
  '        y = pd.to_numeric(found[year - 1], errors="coerce")',
  '        y = y + (y < 100) * (2000 - 100 * (y >= 69))',
  '        return pd.to_datetime(dict(year=y, month=1, day=1), errors="coerce")',
  '    y, n = found[year - 1], found[part - 1]',
  '    if unit == "quarter": return pd.to_datetime(y + "-" + ((n.astype("float").astype("Int64") - 1) * 3 + 1).astype("string") + "-01", format="%Y-%m-%d", errors="coerce")',
  '    return pd.to_datetime(y + "-W" + n.str.zfill(2) + "-1", format="%G-W%V-%u", errors="coerce")',
];

/** A numeric column we read as time (Unix time, spreadsheet days, a year with its month) made a datetime. */
function timeConversion(time: Pick<TimeField, 'name' | 'numeric' | 'clock'> | null | undefined): string[] {
  if (time?.clock) {
    // A date with its time of day in a column beside it: one timestamp ("14:00" is 14:00:00).
    const clock = `df[${JSON.stringify(time.clock)}].astype("string").str.strip()`;
    return [
      `df[${JSON.stringify(time.name)}] = pd.to_datetime(df[${JSON.stringify(time.name)}]) + pd.to_timedelta(${clock}.where(${clock}.str.count(":") == 2, ${clock} + ":00"), errors="coerce")`,
    ];
  }
  const numeric = time?.numeric;
  if (!time || !numeric) return [];
  const name = JSON.stringify(time.name);
  if (numeric.epoch === 'days') return [`df[${name}] = pd.to_datetime(df[${name}], unit="D", origin="1899-12-30")`];
  if (numeric.epoch === 'yyyymmdd')
    return [
      `df[${name}] = pd.to_datetime(df[${name}].astype("Int64").astype("string"), format="%Y%m%d", errors="coerce")`,
    ];
  if (numeric.epoch)
    return [`df[${name}] = pd.to_datetime(df[${name}], unit="${numeric.epoch === 'seconds' ? 's' : 'ms'}")`];
  const month = numeric.month
    ? `df[${JSON.stringify(numeric.month)}]`
    : numeric.quarter
      ? `(df[${JSON.stringify(numeric.quarter)}] - 1) * 3 + 1`
      : null;
  return month ? [`df[${name}] = pd.to_datetime(dict(year=df[${name}], month=${month}, day=1))`] : [];
}

const NUMBER_TYPES = new Set(['integer', 'number']);

/** The lines that make one column what we read it as; none when pandas reads it so by itself. */
function columnConversion(column: ColumnInfo): string[] {
  const name = JSON.stringify(column.name);
  const parse = column.parse;
  const lines: string[] = [];
  if (NUMBER_TYPES.has(column.type)) {
    const affixed = parse.currency || parse.unit || parse.percent || parse.negativeParentheses || parse.bounds;
    if (affixed || column.invalidCount > 0 || parse.thousands || parse.decimal === ',') {
      lines.push(`if df[${name}].dtype == object: df[${name}] = ${numberReader(name, parse)}`);
    }
    if (parse.sentinels && parse.sentinels.length > 0) {
      lines.push(`df[${name}] = df[${name}].mask(df[${name}].isin(${JSON.stringify(parse.sentinels)}))`);
    }
  } else if ((column.type === 'date' || column.type === 'datetime') && parse.dateFormats?.length) {
    const patterned = parse.dateFormats.filter(isPatternFormat);
    if (patterned.length > 0) {
      // Each spelling in turn (FY2024 and FY24): a cell one misses, the next may read.
      const reads = patterned.map((format) => {
        const { regex, year, part, unit } = datePattern(format);
        return `read_periods(df[${name}], ${pythonRaw(regex)}, ${year}, ${part}, "${unit}")`;
      });
      lines.push(`df[${name}] = ${reads.reduce((combined, read) => `${combined}.fillna(${read})`)}`);
    } else {
      const formats = parse.dateFormats.map((format) => format.replaceAll('%-', '%'));
      const utc = formats.some((format) => format.includes('%z') || format.endsWith('Z'));
      lines.push(`df[${name}] = read_dates(df[${name}], ${JSON.stringify(formats)}${utc ? ', utc=True' : ''})`);
    }
  }
  return lines;
}

function numberReader(name: string, parse: ColumnParse): string {
  const currency = parse.currency ? `(?:${escapeRegex(parse.currency)})?` : '';
  const units = parse.unit ? [parse.unit, ...Object.keys(parse.unitFactors ?? {})] : [];
  const unit =
    units.length > 0
      ? `(?P<unit>(?i:${units
          .sort((a, b) => b.length - a.length)
          .map(escapeRegex)
          .join('|')}))?`
      : '(?P<unit>)';
  // A bound written for the value (`90+`, `<5`) reads as that number, as our reading does.
  const bounds = parse.bounds ? ['(?:<=|>=|<|>|≤|≥)?\\s*', '\\+?\\s*'] : ['', ''];
  const pattern =
    `^${bounds[0]}\\(?\\s*(?P<sign>[-+]?)\\s*${currency}\\s*(?P<sign2>[-+]?)\\s*` +
    `(?P<digits>[0-9][0-9.,' \u00a0\u202f]*(?:[eE][-+]?[0-9]+)?|[.,][0-9]+)\\s*${currency}\\s*${unit}\\s*%?\\s*\\)?${bounds[1]}$`;
  const args = [`df[${name}]`, pythonRaw(pattern)];
  if (parse.decimal === ',') args.push('decimal=","');
  if (parse.thousands)
    args.push(`thousands=${pythonRaw(parse.thousands === ' ' ? '[ \u00a0\u202f]' : escapeRegex(parse.thousands))}`);
  if (parse.unitFactors) args.push(`factors=${JSON.stringify(parse.unitFactors)}`);
  if (parse.negativeParentheses) args.push('brackets=True');
  return `read_numbers(${args.join(', ')})`;
}

/** A Python raw string literal (regular expressions keep their backslashes). */
const pythonRaw = (text: string) => `r"${text.replaceAll('"', '\\x22')}"`;

function dataSection(data: DatasetFacts): string {
  const lines = [
    `The user's CSV is already in the container at exactly this path: ${data.filePath}`,
    `(original name ${data.fileName}). Load it with the python tool exactly as we read it (the facts below use this table):`,
    readCode(data.filePath, data.format, data.columns, data.time),
  ];
  if (data.format.wide)
    lines.push(
      `The file has one column per ${data.format.wide.granularity}; the code above turns it into one row per ${data.format.wide.granularity}.`,
    );
  if (data.rowCount > data.sampleRows)
    lines.push(
      `The file has ${data.rowCount} rows: for exploration and row-level statistics use a random sample of ${data.sampleRows} rows (df.sample(n=${data.sampleRows}, random_state=0)); compute totals and group sums on the full data.`,
    );
  lines.push('', 'What we already know about the data:', data.grounding);
  return lines.join('\n');
}

/** Phase 1: three story angles as JSON. */
export function discoveryInstructions(data: DatasetFacts, steeringPrompt: string | undefined): string {
  return [
    'You are a data journalist. Use the python tool to check the data, then propose exactly three distinct story angles.',
    dataSection(data),
    '',
    steeringPrompt
      ? `The user steers the analysis: "${steeringPrompt}". Prefer angles that serve this.`
      : 'No steering from the user: pick the three most newsworthy, well-supported angles.',
    'Start from the candidate facts (they are verified); confirm or extend them with short pandas code. Do not draw charts yet.',
    'Every number in a title or summary must come from the facts above or from your own code output, written the same way.',
    'Answer with JSON only, matching the schema: {"stories": [three objects]}. Each story: title (a headline with the key number),',
    'summary (two sentences with real numbers), kind (one of trend, peak, change_point, spike, seasonality, leader, concentration,',
    'segment_difference, correlation, distribution, overview), chartTypes (1–3 of line, bar, scatter, histogram, heatmap, area),',
    'columns (the columns used), strength (strong, moderate or weak), keyNumbers (label and value as written), factIds (ids of the facts used, may be empty).',
  ].join('\n');
}

/** Phase 2: the deep dive on one story. */
export function deepDiveInstructions(data: DatasetFacts): string {
  return [
    'You are a data journalist writing one data story. Use the python tool for every number and chart.',
    dataSection(data),
    '',
    'Make 2 to 4 charts that support the story, each saved as a PNG under /mnt/data with a descriptive file name.',
    chartStyle,
    'If a subset of rows is the evidence (one region, one period), save it as a CSV under /mnt/data.',
    'Then write the story in Markdown: a headline (# …), a lead paragraph with the key number, context, the evidence,',
    'a contrast or comparison, and caveats. Embed each chart as ![short title](sandbox:/mnt/data/<file>.png) and link the',
    'dataset as [rows behind the story](sandbox:/mnt/data/<file>.csv). Quote numbers exactly as the facts above or your code output write them.',
  ].join('\n');
}

export function deepDiveInput(story: StoredStory): string {
  return [
    `Write the deep dive for this story: "${story.title}".`,
    `Summary: ${story.summary}`,
    `Columns: ${story.columns.join(', ')}. Suggested charts: ${story.chartTypes.join(', ') || 'your choice'}.`,
    `Evidence: ${JSON.stringify(story.evidence)}`,
  ].join('\n');
}

/** The one repair round: the numbers we could not trace. */
export function repairInput(untraced: string[]): string {
  return [
    `These numbers in your story match neither the verified facts nor any output of your code: ${untraced.join(', ')}.`,
    'Check each with the python tool. Then write the whole story again in the same Markdown format, keeping the same',
    'chart and dataset links (do not make new charts), and quote only numbers that the facts or your code output write the same way.',
  ].join('\n');
}
