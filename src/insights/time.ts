import type { Granularity } from './types.ts';

const secondsPer: Record<Granularity, number> = {
  minute: 60,
  hour: 3600,
  day: 86_400,
  week: 7 * 86_400,
  month: 30.44 * 86_400,
  quarter: 91.3 * 86_400,
  year: 365.25 * 86_400,
};

export const granularities: Granularity[] = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

/** Calendar days in the month or quarter starting at `iso`. */
export function daysInPeriod(iso: string, granularity: 'month' | 'quarter'): number {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7)) - 1;
  const months = granularity === 'quarter' ? 3 : 1;
  return Math.round((Date.UTC(year, month + months, 1) - Date.UTC(year, month, 1)) / 86_400_000);
}

/** `a` is a finer step than `b` (hour than day). */
/** Periods in a year, for the granularities a yearly rhythm is read at. */
export const PERIODS_A_YEAR: Partial<Record<string, number>> = { month: 12, week: 52, quarter: 4 };

export const finer = (a: Granularity, b: Granularity) => granularities.indexOf(a) < granularities.indexOf(b);

/** The spacing of a time column from the median gap between its distinct values (in seconds). */
export function detectGranularity(medianGapSeconds: number): Granularity {
  let best: Granularity = 'day';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const granularity of granularities) {
    const distance = Math.abs(Math.log(Math.max(medianGapSeconds, 1) / secondsPer[granularity]));
    if (distance < bestDistance) {
      best = granularity;
      bestDistance = distance;
    }
  }
  return best;
}

/** Seconds between two ISO time values of a time column (read as UTC, so no daylight-saving step). */
export function spanSeconds(min: string, max: string): number {
  return (Date.parse(`${max.replace(' ', 'T')}Z`) - Date.parse(`${min.replace(' ', 'T')}Z`)) / 1000;
}

/** Number of buckets of a granularity in a span (approximate; used to choose a granularity). */
export function bucketsIn(spanSeconds: number, granularity: Granularity): number {
  return Math.floor(spanSeconds / secondsPer[granularity]) + 1;
}

/**
 * The granularity for trend and change-point analysis: the finest one at or above the data's own
 * spacing with at most `maxPoints` buckets (weeks only for data spanning under about two years).
 */
export function analysisGranularity(native: Granularity, spanSeconds: number, maxPoints = 100): Granularity {
  // The data's own weeks, months or quarters are kept up to 200 of them (ten years of monthly prices)
  // rather than grouped coarser: three years of weekly sales summed into months would make a five-week
  // month look 25% busier than a four-week one.
  if (
    (native === 'week' || native === 'month' || native === 'quarter') &&
    bucketsIn(spanSeconds, native) <= 2 * maxPoints
  )
    return native;
  const start = granularities.indexOf(native);
  for (const granularity of granularities.slice(start)) {
    if (granularity === 'minute') continue;
    if (granularity === 'week' && bucketsIn(spanSeconds, 'month') >= 12) continue;
    if (bucketsIn(spanSeconds, granularity) <= maxPoints) return granularity;
  }
  return 'year';
}

/** One granularity finer, for the same data (never below the data's own spacing). */
export function truncSql(granularity: Granularity, timestampSql: string): string {
  return `date_trunc('${granularity}', ${timestampSql})`;
}

export const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const monthName = (index: number) => monthNames[index] ?? String(index + 1);
export const shortMonthName = (index: number) => (monthNames[index] ?? String(index + 1)).slice(0, 3);
/** ISO weekday 1 = Monday … 7 = Sunday. */
export const weekdayName = (isoWeekday: number) => weekdayNames[isoWeekday - 1] ?? String(isoWeekday);

/** How a bucket start (ISO timestamp text) reads in a sentence at a granularity. */
export function periodLabel(iso: string, granularity: Granularity): string {
  const year = iso.slice(0, 4);
  const month = Number(iso.slice(5, 7)) - 1;
  const day = Number(iso.slice(8, 10));
  const time = iso.slice(11, 16);
  switch (granularity) {
    case 'year':
      return year;
    case 'quarter':
      return `Q${Math.floor(month / 3) + 1} ${year}`;
    case 'month':
      return `${monthName(month)} ${year}`;
    case 'week':
      return `the week of ${monthName(month)} ${day}, ${year}`;
    case 'day':
      return `${monthName(month)} ${day}, ${year}`;
    default:
      return `${monthName(month)} ${day}, ${year} ${time}`;
  }
}

/** Short label for chart axes and tables. */
export function periodKey(iso: string, granularity: Granularity): string {
  switch (granularity) {
    case 'year':
      return iso.slice(0, 4);
    case 'quarter':
      return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
    case 'month':
      return iso.slice(0, 7);
    case 'week':
    case 'day':
      return iso.slice(0, 10);
    default:
      return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }
}

/** Name of the period unit in prose ("month", "day"). */
export function unitName(granularity: Granularity, plural = false): string {
  return plural ? `${granularity}s` : granularity;
}

/** Adds whole units of a granularity to an ISO timestamp (UTC). */
export function addPeriods(iso: string, granularity: Granularity, count: number): string {
  const date = new Date(`${iso.slice(0, 19).replace(' ', 'T')}Z`);
  switch (granularity) {
    case 'year':
      date.setUTCFullYear(date.getUTCFullYear() + count);
      break;
    case 'quarter':
      date.setUTCMonth(date.getUTCMonth() + 3 * count);
      break;
    case 'month':
      date.setUTCMonth(date.getUTCMonth() + count);
      break;
    case 'week':
      date.setUTCDate(date.getUTCDate() + 7 * count);
      break;
    case 'day':
      date.setUTCDate(date.getUTCDate() + count);
      break;
    case 'hour':
      date.setUTCHours(date.getUTCHours() + count);
      break;
    case 'minute':
      date.setUTCMinutes(date.getUTCMinutes() + count);
      break;
  }
  return date.toISOString().slice(0, 19);
}

/** Whole periods between two ISO timestamps (month count from 2020-01 to 2020-04 is 3). */
export function periodsBetween(fromIso: string, toIso: string, granularity: 'month' | 'year'): number {
  const months =
    (Number(toIso.slice(0, 4)) - Number(fromIso.slice(0, 4))) * 12 +
    Number(toIso.slice(5, 7)) -
    Number(fromIso.slice(5, 7));
  return granularity === 'month' ? months : Math.floor(months / 12);
}

/**
 * A period's label as the file spells a year (`FY%Y` → "FY2024", `%Y/%n` → "2023/24", `%Y-%N` →
 * "2019-2020"); any other label, and any label without a spelling, unchanged.
 */
export function spellYear(label: string, spelling: string | undefined): string {
  // A year, or a run of them ("2010–2011", a window of two).
  if (!spelling || !/^\d{4}(–\d{4})?$/.test(label)) return label;
  return label
    .split('–')
    .map((text) => {
      const year = Number(text);
      return spelling
        .replace('%Y', String(year))
        .replace('%y', String(year % 100).padStart(2, '0'))
        .replace('%n', String((year + 1) % 100).padStart(2, '0'))
        .replace('%N', String(year + 1));
    })
    .join(' – ');
}

/** The same month or quarter a year before `period` (a series' period key), or null for other granularities. */
/** Two dates a year apart, give or take a week (Christmas week 2023 and Christmas week 2024). */
export function aYearApart(a: string, b: string): boolean {
  const days =
    Math.abs(Date.parse(`${a.slice(0, 10)}T00:00:00Z`) - Date.parse(`${b.slice(0, 10)}T00:00:00Z`)) / 86_400_000;
  return days >= 357 && days <= 371;
}

export function sameTimeLastYear(period: string, granularity: Granularity): string | null {
  if (granularity !== 'month' && granularity !== 'quarter') return null;
  const year = Number(period.slice(0, 4));
  return Number.isFinite(year) ? `${String(year - 1).padStart(4, '0')}${period.slice(4)}` : null;
}
