const FALLBACK = 'upload.csv';
const MAX_CHARS = 200;
/** Characters that Windows forbids in names and that break `Content-Disposition` headers. */
const RESERVED = /[<>:"|?*]/g;

/** A display-safe version of an uploaded file name: basename only, no path separators, no `..`, no control characters, max 200 chars, never empty (fallback `upload.csv`). */
export function sanitizeFileName(name: string): string {
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/./gsu, (char) => (isUnsafe(char.codePointAt(0)!) ? '' : char))
    .replace(RESERVED, '_')
    .replace(/\.{2,}/g, '.')
    .trim()
    // A leading dot would hide the file; trailing dots and spaces are dropped by Windows anyway.
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (cleaned === '') return FALLBACK;
  return truncateKeepingExtension(cleaned, MAX_CHARS);
}

/**
 * C0/C1 control characters, and the invisible direction marks and overrides that can make a name display
 * as something else (a right-to-left override turns `evil[RLO]vsc.exe` into `evilexe.csv` on screen).
 */
function isUnsafe(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069)
  );
}

function truncateKeepingExtension(name: string, maxChars: number): string {
  const chars = Array.from(name);
  if (chars.length <= maxChars) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length === 0 || extension.length > 16) return chars.slice(0, maxChars).join('');
  const stem = Array.from(name.slice(0, dot));
  return (
    stem
      .slice(0, maxChars - extension.length)
      .join('')
      .trimEnd() + extension.join('')
  );
}
