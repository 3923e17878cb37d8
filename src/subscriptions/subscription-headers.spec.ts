import { randomBytes } from 'node:crypto';
import { MASKED_VALUE } from '../common/http-headers';
import { isSealed, SecretBox } from '../common/secret-box';
import { maskHeaders, nextHeaders, openHeaders, plainHeaderNames, sealAll } from './subscription-headers';

const box = new SecretBox(randomBytes(32));

describe('subscription headers', () => {
  it('seals every value on create and opens them again', () => {
    const { headers, problems } = nextHeaders(box, {}, { Authorization: 'Bearer a', 'X-Tenant': 'acme' });
    expect(problems).toEqual([]);
    expect(Object.values(headers).every(isSealed)).toBe(true);
    expect(openHeaders(box, headers)).toEqual({ Authorization: 'Bearer a', 'X-Tenant': 'acme' });
    expect(maskHeaders(headers)).toEqual({ Authorization: MASKED_VALUE, 'X-Tenant': MASKED_VALUE });
  });

  it('patches by name: a value replaces (any letter case), null removes, the mask keeps, the rest stays', () => {
    const stored = nextHeaders(box, {}, { Authorization: 'old', 'X-Keep': 'k', 'X-Gone': 'g', 'X-Other': 'o' }).headers;
    const { headers, problems } = nextHeaders(box, stored, {
      authorization: 'new',
      'X-Keep': MASKED_VALUE,
      'X-Gone': null,
    });
    expect(problems).toEqual([]);
    expect(openHeaders(box, headers)).toEqual({ authorization: 'new', 'X-Keep': 'k', 'X-Other': 'o' });
    expect(headers['X-Keep']).toBe(stored['X-Keep']);
    expect(headers['X-Other']).toBe(stored['X-Other']);
  });

  it('names a mask with nothing stored to keep', () => {
    expect(nextHeaders(box, {}, { 'X-A': MASKED_VALUE }).problems).toEqual([
      { field: 'headers.X-A', message: expect.stringMatching(/send the value itself/) },
    ]);
  });

  it('reads plain values of rows written before sealing, and seals them on the next write', () => {
    const legacy = { 'X-Legacy': 'plain', 'X-Sealed': box.seal('s') };
    expect(plainHeaderNames(legacy)).toEqual(['X-Legacy']);
    expect(openHeaders(box, legacy)).toEqual({ 'X-Legacy': 'plain', 'X-Sealed': 's' });
    const sealed = sealAll(box, legacy);
    expect(plainHeaderNames(sealed)).toEqual([]);
    expect(sealed['X-Sealed']).toBe(legacy['X-Sealed']);
    expect(plainHeaderNames(nextHeaders(box, legacy, {}).headers)).toEqual([]);
  });

  it('throws when a value was sealed under another key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => openHeaders(box, { 'X-A': other.seal('x') })).toThrow('cannot decrypt secret');
  });
});
