import { decodeCursor, encodeCursor } from './event-cursor';

describe('event log cursor', () => {
  const position = { at: '2025-01-09T12:00:05.123456Z', id: 'evt_01jd8x4m2k7q9w3e5r6t8y0u1i' };

  it('gives back the position it was made from', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('keeps microseconds, so rows of the same millisecond are told apart', () => {
    const a = decodeCursor(encodeCursor({ ...position, at: '2025-01-09T12:00:05.123001Z' }));
    const b = decodeCursor(encodeCursor({ ...position, at: '2025-01-09T12:00:05.123002Z' }));
    expect(a?.at).not.toEqual(b?.at);
  });

  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['too long', 'A'.repeat(401)],
    ['no id', b64('2025-01-09T12:00:05.123456Z')],
    ['milliseconds only', b64('2025-01-09T12:00:05.123Z evt_01jd8x4m2k7q9w3e5r6t8y0u1i')],
    ['a time zone offset', b64('2025-01-09T12:00:05.123456+01:00 evt_01jd8x4m2k7q9w3e5r6t8y0u1i')],
    ['no such day', b64('2025-02-30T12:00:05.123456Z evt_01jd8x4m2k7q9w3e5r6t8y0u1i')],
    ['an id with SQL in it', b64("2025-01-09T12:00:05.123456Z evt_1'--")],
    ['an id without prefix', b64('2025-01-09T12:00:05.123456Z 01jd8x4m2k7q9w3e5r6t8y0u1i')],
    ['a third part', b64('2025-01-09T12:00:05.123456Z evt_01jd8x4m2k7q9w3e5r6t8y0u1i x')],
  ])('refuses %s', (_, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
