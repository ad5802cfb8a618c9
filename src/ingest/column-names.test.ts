import { describe, expect, it } from 'vitest';
import { assignColumnNames } from './column-names.ts';

describe('assignColumnNames', () => {
  it('trims, names blanks by position and numbers repeats case-insensitively', () => {
    const { names, renames } = assignColumnNames([' id ', '', 'Name', 'name', 'name_2', 'NAME', '\uFEFF']);
    expect(names).toEqual(['id', 'column_2', 'Name', 'name_3', 'name_2', 'NAME_4', 'column_7']);
    expect(renames.map((rename) => rename.name)).toEqual(['column_2', 'name_3', 'NAME_4', 'column_7']);
  });

  it('does not take a name that a later header uses', () => {
    expect(assignColumnNames(['', 'column_1']).names).toEqual(['column_1_2', 'column_1']);
  });
});
