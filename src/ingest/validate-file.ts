import { open } from 'node:fs/promises';
import { AppError } from '../errors.ts';

/** Bytes read from the start of the file to recognise binary formats and sniff the dialect. */
export const HEAD_BYTES = 256 * 1024;

const SAVE_AS_CSV = 'Export your data as CSV (comma- or semicolon-separated text) and upload that.';

export interface FileHead {
  sizeBytes: number;
  /** The first `HEAD_BYTES` bytes (all of a smaller file). */
  head: Buffer;
  /** True when `head` holds the whole file. */
  complete: boolean;
  /** The file starts with a UTF-8 byte order mark. */
  bom: boolean;
}

/** Reads the start of the file and rejects what cannot be a CSV: empty files and known binary formats. */
export async function readFileHead(filePath: string): Promise<FileHead> {
  const handle = await open(filePath, 'r').catch((error: unknown) => {
    throw new AppError('invalid_request', 'The uploaded file could not be opened; upload it again.', { cause: error });
  });
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    rejectBinary(head);
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    const complete = bytesRead >= size;
    if (complete && isBlank(bom ? head.subarray(3) : head)) {
      throw new AppError(
        'unreadable_file',
        'The file is empty. Upload a CSV with a header row and at least one data row.',
      );
    }
    return { sizeBytes: size, head, complete, bom };
  } finally {
    await handle.close();
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

interface BinarySignature {
  /** The bytes a file of this kind starts with. */
  magic: number[];
  message: (head: Buffer) => string;
}

const looksLike =
  (what: string, action = SAVE_AS_CSV) =>
  () =>
    `This looks like ${what}, not a CSV. ${action}`;

const SIGNATURES: BinarySignature[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], message: looksLike('a PNG image') },
  { magic: [0xff, 0xd8, 0xff], message: looksLike('a JPEG image') },
  { magic: [0x47, 0x49, 0x46, 0x38], message: looksLike('a GIF image') },
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], message: looksLike('a PDF document') },
  {
    magic: [0x50, 0x4b, 0x03, 0x04],
    message: (head) =>
      isSpreadsheetZip(head)
        ? 'This looks like an Excel workbook (.xlsx), not a CSV. Open it in Excel, Numbers or LibreOffice, ' +
          'save it with "Save As" → "CSV (comma-separated)", and upload the .csv file.'
        : looksLike('a ZIP archive', 'Unzip it and upload the CSV file inside.')(),
  },
  { magic: [0x50, 0x4b, 0x05, 0x06], message: looksLike('an empty ZIP archive', 'Upload the CSV file itself.') },
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    message: looksLike(
      'a legacy Excel workbook (.xls)',
      'Open it in Excel or LibreOffice, save it with "Save As" → "CSV (comma-separated)", and upload that.',
    ),
  },
  { magic: [0x1f, 0x8b], message: looksLike('a gzip-compressed file', 'Decompress it and upload the CSV inside.') },
  { magic: [0x50, 0x41, 0x52, 0x31], message: looksLike('a Parquet file') },
  { magic: [...Buffer.from('SQLite format 3\0')], message: looksLike('an SQLite database') },
  {
    magic: [0xff, 0xfe],
    message: () =>
      'This file is saved as UTF-16 text, which we cannot read. Save it again as "CSV UTF-8" and upload that.',
  },
  {
    magic: [0xfe, 0xff],
    message: () =>
      'This file is saved as UTF-16 text, which we cannot read. Save it again as "CSV UTF-8" and upload that.',
  },
];

function isSpreadsheetZip(head: Buffer): boolean {
  const text = head.toString('latin1');
  return text.includes('[Content_Types].xml') || text.includes('xl/') || text.includes('docProps/');
}

function rejectBinary(head: Buffer): void {
  for (const signature of SIGNATURES) {
    if (head.length < signature.magic.length) continue;
    if (signature.magic.every((byte, index) => head[index] === byte)) {
      throw new AppError('unsupported_file', signature.message(head));
    }
  }
  if (head.includes(0)) throw binaryContentError();
}

/** A NUL byte never appears in CSV text: the file is binary (or UTF-16, which we do not read). */
export function binaryContentError(): AppError {
  return new AppError(
    'unsupported_file',
    `This file contains binary data (NUL bytes), so it is not a CSV text file. ${SAVE_AS_CSV}`,
  );
}
