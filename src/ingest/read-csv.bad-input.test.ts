import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../db/duckdb.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { readCsv } from './read-csv.ts';
import { ingestScratch } from './test-scratch.ts';

const scratch = ingestScratch('bad');

const manyRows = (count: number) => Array.from({ length: count }, (_, index) => `${index},x${index},${index * 2}`);

const CASES: { name: string; content: string | Buffer; code: ErrorCode; says: RegExp[] }[] = [
  { name: 'an empty file', content: '', code: 'unreadable_file', says: [/file is empty/, /header row/] },
  { name: 'only whitespace', content: '  \n\t\r\n \n', code: 'unreadable_file', says: [/file is empty/] },
  {
    name: 'a header without data rows',
    content: 'a,b,c\n',
    code: 'unreadable_file',
    says: [/has a header row but no data rows/],
  },
  {
    name: 'PNG bytes named .csv',
    content: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]),
    code: 'unsupported_file',
    says: [/looks like a PNG image, not a CSV/, /Export your data as CSV/],
  },
  {
    name: 'an Excel workbook',
    content: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('[Content_Types].xml')]),
    code: 'unsupported_file',
    says: [/Excel workbook/, /Save As/, /CSV/],
  },
  {
    name: 'a ZIP archive',
    content: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('data/sales.csv')]),
    code: 'unsupported_file',
    says: [/ZIP archive/, /Unzip/],
  },
  {
    name: 'a gzip file',
    content: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4]),
    code: 'unsupported_file',
    says: [/gzip/, /Decompress/],
  },
  { name: 'a PDF', content: '%PDF-1.7\n%âãÏÓ\n', code: 'unsupported_file', says: [/PDF document/] },
  {
    name: 'UTF-16 text',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]),
    code: 'unsupported_file',
    says: [/UTF-16/, /UTF-8/],
  },
  { name: 'NUL bytes in text', content: 'a,b\n1,x\u0000y\n', code: 'unsupported_file', says: [/binary data/, /CSV/] },
  {
    name: 'NUL bytes far past the start',
    content: `a,b,c\n${manyRows(40_000).join('\n')}\n1,\u0000,2\n`,
    code: 'unsupported_file',
    says: [/binary data/],
  },
  {
    name: 'a row with too few fields',
    content: 'a,b,c\n1,2,3\n4,5\n6,7,8\n',
    code: 'unreadable_file',
    says: [/line 3 has 2 fields, but the header has 3/, /quote values that contain the delimiter/],
  },
  {
    name: 'a row with too many fields deep in the file',
    content: `a,b,c\n${manyRows(20_000).join('\n')}\n1,2,3,4\n`,
    code: 'unreadable_file',
    says: [/line 20002 has 4 fields, but the header has 3/],
  },
  {
    name: 'a quote that is never closed',
    content: 'a,b\n1,x\n2,"open\n3,y\n',
    code: 'unreadable_file',
    says: [/line 3 opens a quoted value/, /never closed/],
  },
  {
    name: 'text after a closing quote',
    content: 'a,b\n1,x\n2,"q"r\n',
    code: 'unreadable_file',
    says: [/Line 3/, /quote/],
  },
  {
    name: 'prose without any delimiter',
    content:
      'Dear team, here are the numbers we discussed.\nThanks again for all the help on this project last week.\n',
    code: 'unreadable_file',
    says: [/delimiter/],
  },
  {
    name: 'lines of prose that are not one column of data',
    content: 'Notes from the meeting on Monday\nWe agreed to ship the new pricing page next quarter after review\n',
    code: 'unreadable_file',
    says: [/could not find a delimiter/, /header/],
  },
];

describe('readCsv rejects what it cannot read', () => {
  it.each(CASES)('rejects $name with $code and says what to do', async ({ name, content, code, says }) => {
    const filePath = path.join(scratch.directory, `${name.replaceAll(' ', '-')}.csv`);
    writeFileSync(filePath, content);
    const error = await readCsv(scratch.database.connection, filePath, { tableName: 't' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    for (const phrase of says) expect((error as AppError).message).toMatch(phrase);

    // Nothing half-written, and the connection still works.
    const tables = await queryRows(scratch.database.connection, 'SELECT table_name FROM duckdb_tables()');
    expect(tables).toEqual([]);
    expect(await queryOne(scratch.database.connection, 'SELECT 41 + 1 AS answer')).toEqual({ answer: 42 });
  });

  it('rejects a file that does not exist as an invalid request', async () => {
    await expect(
      readCsv(scratch.database.connection, path.join(scratch.directory, 'missing.csv'), { tableName: 't' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('leaves an existing table alone when the new file is unreadable', async () => {
    await scratch.database.connection.run('CREATE TABLE kept AS SELECT 1 AS x');
    const filePath = path.join(scratch.directory, 'ragged-again.csv');
    writeFileSync(filePath, 'a,b\n1\n');
    await expect(readCsv(scratch.database.connection, filePath, { tableName: 'kept' })).rejects.toBeInstanceOf(
      AppError,
    );
    expect(await queryOne(scratch.database.connection, 'SELECT x FROM kept')).toEqual({ x: 1 });
    await scratch.database.connection.run('DROP TABLE kept');
  });
});
