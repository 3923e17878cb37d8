import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MAX_OFFSET, PageQuery } from './pagination';

function problems(query: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(PageQuery, query)).map((e) => e.property);
}

describe('PageQuery', () => {
  it.each([
    [{}, []],
    [{ limit: '1', offset: '0' }, []],
    [{ limit: '100', offset: String(MAX_OFFSET) }, []],
    [{ offset: '007' }, []],
    [{ offset: '99999999999999999999' }, ['offset']],
    [{ offset: String(MAX_OFFSET + 1) }, ['offset']],
    [{ offset: '1e3' }, ['offset']],
    [{ offset: '0x10' }, ['offset']],
    [{ offset: '-1' }, ['offset']],
    [{ offset: ' 1' }, ['offset']],
    [{ offset: '' }, ['offset']],
    [{ offset: ['1', '2'] }, ['offset']],
    [{ limit: '101' }, ['limit']],
    [{ limit: '0' }, ['limit']],
    [{ limit: '1.5' }, ['limit']],
    [{ limit: 'Infinity' }, ['limit']],
    [{ limit: '9'.repeat(400) }, ['limit']],
  ])('%p → problems with %p', (query, expected) => {
    expect(problems(query)).toEqual(expected);
  });
});
