import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { decodeCursor, encodeCursor, keysetOf, KeysetQuery, MAX_OFFSET, PageQuery } from './pagination';

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

describe('keyset cursors', () => {
  const position = { at: '2025-01-09T12:00:05.123456Z', id: 'dlv_01jd8x4m2k7q9w3e5r6t8y0u1i' };

  it('round-trips a position through an opaque base64url string', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['', 'empty'],
    ['not a cursor', 'not base64url'],
    ['abc=', 'padded'],
    [Buffer.from('hello').toString('base64url'), 'not a position'],
    [Buffer.from('2025-01-09T12:00:05.123Z dlv_1').toString('base64url'), 'milliseconds only'],
    [Buffer.from('2025-02-30T12:00:05.123456Z dlv_1').toString('base64url'), 'no such day'],
    [Buffer.from('2025-01-09T25:00:05.123456Z dlv_1').toString('base64url'), 'no such hour'],
    [Buffer.from('2025-01-09T12:00:05.123456Z DLV_1').toString('base64url'), 'not an id'],
    [Buffer.from("2025-01-09T12:00:05.123456Z dlv_1' OR 1=1").toString('base64url'), 'trailing text'],
    [Buffer.from('2025-01-09T12:00:05.123456Z dlv_1 x').toString('base64url'), 'three parts'],
    ['A'.repeat(401), 'too long'],
  ])('refuses %p (%s)', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  it('validates the cursor and limit of a keyset query', () => {
    const check = (query: Record<string, unknown>) =>
      validateSync(plainToInstance(KeysetQuery, query)).map((e) => e.property);
    expect(check({ cursor: encodeCursor(position), limit: '5' })).toEqual([]);
    expect(check({ cursor: 'nope' })).toEqual(['cursor']);
    expect(check({ cursor: ['a', 'b'] })).toEqual(['cursor']);
    expect(check({ limit: '0' })).toEqual(['limit']);
  });

  it('reads the page asked for: the first one without a cursor', () => {
    expect(keysetOf({})).toEqual({ limit: 20, after: null });
    expect(keysetOf({ limit: 5, cursor: encodeCursor(position) })).toEqual({ limit: 5, after: position });
  });
});
