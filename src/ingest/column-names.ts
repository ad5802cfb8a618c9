export interface ColumnRename {
  /** 0-based position. */
  index: number;
  /** The header as written (trimmed); empty when blank. */
  original: string;
  name: string;
}

/**
 * Makes header names usable as column names: trimmed, blank → `column_N` (1-based position), repeats →
 * `name_2`, `name_3`. Repeats are found case-insensitively because SQL identifiers are.
 */
export function assignColumnNames(header: string[]): { names: string[]; renames: ColumnRename[] } {
  const trimmed = header.map((name) => name.replace(/^\uFEFF/, '').trim());
  const taken = new Set(trimmed.filter(Boolean).map((name) => name.toLowerCase()));
  const seen = new Set<string>();
  const renames: ColumnRename[] = [];
  const names = trimmed.map((original, index) => {
    let name = original;
    if (name === '') {
      name = uniqueName(`column_${index + 1}`, taken, seen, 1);
    } else if (seen.has(name.toLowerCase())) {
      name = uniqueName(original, taken, seen, 2);
    }
    seen.add(name.toLowerCase());
    taken.add(name.toLowerCase());
    if (name !== original) renames.push({ index, original, name });
    return name;
  });
  return { names, renames };
}

function uniqueName(base: string, taken: Set<string>, seen: Set<string>, firstSuffix: number): string {
  const free = (name: string) => !seen.has(name.toLowerCase()) && !taken.has(name.toLowerCase());
  if (firstSuffix === 1 && free(base)) return base;
  for (let suffix = Math.max(firstSuffix, 2); ; suffix++) {
    const name = `${base}_${suffix}`;
    if (free(name)) return name;
  }
}

/**
 * A column that is the code of a text column beside it: `Agency code` (or `Agency`) next to `Agency name`,
 * `… description` or `… label`. Names are compared lower-cased, with underscores as spaces.
 */
export function isCodeOfNamed(name: string, otherNames: readonly string[]): boolean {
  const normal = (text: string) =>
    text
      .trim()
      .toLowerCase()
      .replace(/[_\s]+/g, ' ');
  const stem = normal(name).replace(/\s+(code|id|number|no)$/, '');
  const others = new Set(otherNames.map(normal));
  return ['name', 'description', 'label'].some((suffix) => others.has(`${stem} ${suffix}`));
}
