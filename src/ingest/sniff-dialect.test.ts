import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { parseRecords } from './parse-records.ts';
import { sniffDialect } from './sniff-dialect.ts';

describe('sniffDialect', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1,5;2,5;3\n', ';'],
    ['a\tb\n1,5\t2\n', '\t'],
    ['a|b\n"x|y"|2\n', '|'],
    ['country,n\n"Hong Kong, China",1\nChina,2\n', ','],
  ])('finds the delimiter of %j', (text, delimiter) => {
    expect(sniffDialect(text, true).dialect.delimiter).toBe(delimiter);
  });

  it('prefers the delimiter whose rows agree with the header', () => {
    // Every row has one comma inside a decimal, but the header has none: semicolons it is.
    expect(sniffDialect('id;price;note\n1;2,5;a\n2;3,5;b\n', true).dialect.delimiter).toBe(';');
  });

  it('finds a table below a title and notes, and no preamble in a plain file', () => {
    const sniffed = sniffDialect(
      'Quarterly report\nFilters: region; all\n\nid;price;note\n1;2,5;a\n2;3,5;b\n3;1;c\n',
      true,
    );
    expect(sniffed).toMatchObject({ dialect: { delimiter: ';' }, preambleLines: 3 });
    expect(sniffDialect('a,b,c\n1,2,3\n4,5,6\n', true).preambleLines).toBe(0);
    // A first line as wide as the table is its header, not a title.
    expect(sniffDialect('x,y\n1,2\n3,4\n', true).preambleLines).toBe(0);
    // A header short of columns is not a title above a table whose first row of numbers would be the header.
    expect(() => sniffDialect('a,b\n1,2,3\n4,5,6\n7,8,9\n', true)).toThrow(AppError);
  });

  it('ignores a last line cut off by the end of the sample', () => {
    expect(sniffDialect('a,b,c\n1,2,3\n4,5,6\n7,', false).dialect.delimiter).toBe(',');
  });

  it('detects backslash-escaped quotes', () => {
    expect(sniffDialect('a,b\n1,"say \\"hi\\""\n', true).dialect.escape).toBe('\\');
  });

  it('accepts a single column of short values and rejects prose', () => {
    expect(sniffDialect('amount\n1\n2\n3\n', true).singleColumn).toBe(true);
    expect(() =>
      sniffDialect('Hello there my friend how are you doing\nI am fine thanks for asking me\n', true),
    ).toThrow(AppError);
  });
});

describe('parseRecords', () => {
  it('follows RFC 4180 quoting and reports line numbers', () => {
    const { records, complete } = parseRecords(
      'a,b\r\n1,"x\r\ny"\r\n2,"q ""w"""\r\n',
      { delimiter: ',', quote: '"', escape: '"' },
      10,
    );
    expect(complete).toBe(true);
    expect(records.map((record) => [record.line, record.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x\r\ny']],
      [4, ['2', 'q "w"']],
    ]);
  });
});
