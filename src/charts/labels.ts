import { measureTextWidth } from './text-metrics.ts';

/**
 * Labels come from a CSV: any length, any script, markup, control characters. Vega draws them as text
 * (its SVG output escapes markup); here we only make them short and single-line enough to lay out.
 */

/** Longest label we draw, in user-perceived characters, before cutting it with an ellipsis. */
export const MAX_LABEL_CHARS = 40;

const ELLIPSIS = '\u2026';

/** One line of text: control characters and line breaks become spaces, runs of spaces collapse. */
export function cleanLabel(raw: unknown): string {
  const text = raw === null || raw === undefined ? '' : String(raw);
  const cleaned = text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return cleaned === '' ? '(blank)' : cleaned;
}

/** Grapheme clusters, so an emoji with modifiers or a letter with combining marks is never cut in half. */
function graphemes(text: string): string[] {
  // ASCII has one grapheme per character; building segments costs more than the rest of labelling.
  if (/^[\x20-\x7e]*$/.test(text)) return [...text];
  return Array.from(segmenter.segment(text), (segment) => segment.segment);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function truncateLabel(text: string, maxChars = MAX_LABEL_CHARS): string {
  const parts = graphemes(text);
  if (parts.length <= maxChars) return text;
  return (
    parts
      .slice(0, Math.max(1, maxChars - 1))
      .join('')
      .trimEnd() + ELLIPSIS
  );
}

/**
 * Clean, truncated labels that stay distinct: two long names that share their first 40 characters
 * would otherwise collapse into one bar. Duplicates get ` (2)`, ` (3)`…
 */
export function distinctDisplayLabels(rawLabels: readonly unknown[], maxChars = MAX_LABEL_CHARS): string[] {
  const seen = new Map<string, number>();
  return rawLabels.map((raw) => {
    const base = truncateLabel(cleanLabel(raw), maxChars);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    if (count === 1) return base;
    const suffix = ` (${count})`;
    const shortened = truncateLabel(cleanLabel(raw), maxChars - suffix.length);
    const candidate = shortened + suffix;
    seen.set(candidate, (seen.get(candidate) ?? 0) + 1);
    return candidate;
  });
}

/** Greedy word wrap to `maxWidthPx`; the last allowed line ends in an ellipsis when text remains. */
export function wrapText(
  text: string,
  maxWidthPx: number,
  fontSizePx: number,
  bold: boolean,
  maxLines: number,
): string[] {
  const words = cleanLabel(text).split(' ');
  const fits = (line: string) => measureTextWidth(line, fontSizePx, bold) <= maxWidthPx;
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate) || !current) {
      current = candidate;
      continue;
    }
    lines.push(current);
    current = word;
  }
  if (current) lines.push(current);
  const kept = lines.slice(0, maxLines).map((line) => fitLine(line, maxWidthPx, fontSizePx, bold));
  const lastIndex = kept.length - 1;
  if (lines.length > maxLines && lastIndex >= 0) {
    kept[lastIndex] = fitLine(`${kept[lastIndex]}${ELLIPSIS}`, maxWidthPx, fontSizePx, bold);
  }
  return kept;
}

/** Cut one line (a single very long word, say) so it fits, ending in an ellipsis. */
function fitLine(line: string, maxWidthPx: number, fontSizePx: number, bold: boolean): string {
  if (measureTextWidth(line, fontSizePx, bold) <= maxWidthPx) return line;
  const parts = graphemes(line.endsWith(ELLIPSIS) ? line.slice(0, -1) : line);
  while (parts.length > 1 && measureTextWidth(parts.join('') + ELLIPSIS, fontSizePx, bold) > maxWidthPx) parts.pop();
  return parts.join('').trimEnd() + ELLIPSIS;
}

/** Widest of `labels` in px at `fontSizePx`. */
export function widestLabelPx(labels: readonly string[], fontSizePx: number, bold = false): number {
  return labels.reduce((widest, label) => Math.max(widest, measureTextWidth(label, fontSizePx, bold)), 0);
}
