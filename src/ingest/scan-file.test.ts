import { describe, expect, it } from 'vitest';
import type { Dialect } from './parse-records.ts';
import { scanChunks } from './scan-file.ts';

const comma: Dialect = { delimiter: ',', quote: '"', escape: '"' };

/** The same text cut into chunks of `size` bytes (1 forces the byte-by-byte path everywhere). */
const chunked = (text: string, size: number) => {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
};

const plainRows = (count: number) => Array.from({ length: count }, (_, i) => `${i},North,${i * 2}.5\n`).join('');

describe('scanChunks', () => {
  // Plain records are counted by a fast path; quotes, CRs and odd records fall back to the byte loop.
  const cases: { name: string; text: string; expected: Record<string, unknown> }[] = [
    {
      name: 'plain records',
      text: `id,region,value\n${plainRows(50)}`,
      expected: { dataRecords: 50, fieldCount: 3, problem: null, lineEnding: 'LF' },
    },
    {
      name: 'a short record deep among plain ones',
      text: `id,region,value\n${plainRows(30)}31,South\n${plainRows(5)}`,
      expected: { dataRecords: 36, problem: { kind: 'field_count', line: 32, found: 2, expected: 3 } },
    },
    {
      name: 'a quoted field with a line break and a delimiter between plain records',
      text: `id,region,value\n${plainRows(10)}11,"South,\nEast",3\n${plainRows(10)}`,
      expected: { dataRecords: 21, problem: null },
    },
    {
      name: 'a bad record after a quoted line break',
      text: `id,region,value\n1,"a\nb",2\n${plainRows(3)}x,y,z,w\n`,
      expected: { dataRecords: 5, problem: { kind: 'field_count', line: 7, found: 4, expected: 3 } },
    },
    {
      name: 'CRLF line endings',
      text: `id,region,value\r\n${plainRows(8).replaceAll('\n', '\r\n')}`,
      expected: { dataRecords: 8, problem: null, lineEnding: 'CRLF' },
    },
    {
      name: 'blank lines and an empty last field',
      text: `id,region,value\n${plainRows(4)}\n\n5,West,\n${plainRows(2)}`,
      expected: { dataRecords: 7, problem: null },
    },
    {
      name: 'a footer below plain records',
      text: `id,region,value\n${plainRows(12)}Total rows: 12\n`,
      expected: { dataRecords: 12, footerRecords: 1, footerLine: 14, problem: null },
    },
  ];
  for (const { name, text, expected } of cases) {
    it(`reads ${name} the same in any chunking`, async () => {
      const whole = await scanChunks([Buffer.from(text, 'utf8')], comma);
      expect(whole).toMatchObject(expected);
      for (const size of [1, 2, 7, 64]) expect(await scanChunks(chunked(text, size), comma)).toEqual(whole);
    });
  }
});
