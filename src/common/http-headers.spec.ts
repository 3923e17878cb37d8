import { headerProblems, isReservedHeader, MASKED_VALUE, redactExtraHeaders } from './http-headers';

describe('headerProblems', () => {
  it('accepts RFC 9110 tokens and field values', () => {
    expect(
      headerProblems(
        { Authorization: 'Bearer a.b', "X-!#$%&'*+.^_`|~09": 'v', 'X-Inner': 'a \t b', 'X-Empty': '' },
        { patch: false },
      ),
    ).toEqual([]);
  });

  it.each([
    ['X Space', 'v'],
    ['X-Colon:', 'v'],
    ['', 'v'],
    ['X-Ä', 'v'],
    ['X-\r\n', 'v'],
    ['X-Ok', 'a\r\nInjected: 1'],
    ['X-Ok', '\u0000'],
    ['X-Ok', 'a\u007f'],
    ['X-Ok', ' lead'],
    ['X-Ok', 'trail\t'],
    ['X-Ok', 'ünïcode'],
    ['X-Ok', 'x'.repeat(2001)],
    ['X-Ok', 5],
    ['X-Ok', null],
    ['Content-Type', 'text/plain'],
    ['X-Webhook-Signature', 'sha256=forged'],
    ['Transfer-Encoding', 'chunked'],
  ])('refuses %p: %p, naming the header', (name, value) => {
    const problems = headerProblems({ [name]: value }, { patch: false });
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toMatch(/^headers\./);
  });

  it('allows null (remove) and the mask (keep) in a patch only', () => {
    expect(headerProblems({ 'X-A': null, 'X-B': MASKED_VALUE }, { patch: true })).toEqual([]);
    expect(headerProblems({ 'X-A': null, 'X-B': MASKED_VALUE }, { patch: false })).toHaveLength(2);
  });

  it('refuses a name given twice in two cases, and more than 50 headers', () => {
    expect(headerProblems({ 'X-A': '1', 'x-a': '2' }, { patch: false })).toEqual([
      { field: 'headers.x-a', message: expect.stringMatching(/twice/) },
    ]);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-${i}`, 'v']));
    expect(headerProblems(many, { patch: false })).toEqual([{ field: 'headers', message: 'at most 50 headers' }]);
  });
});

describe('redactExtraHeaders', () => {
  it("keeps Hookhub's own headers and hides every other value", () => {
    expect(
      redactExtraHeaders({
        'Content-Type': 'application/json',
        'X-Webhook-Signature': 'sha256=abc',
        'webhook-id': 'evt_1',
        'X-Delivery-ID': 'dlv_1',
        Authorization: 'Bearer secret',
        'X-Tenant': 'acme',
      }),
    ).toEqual({
      'Content-Type': 'application/json',
      'X-Webhook-Signature': 'sha256=abc',
      'webhook-id': 'evt_1',
      'X-Delivery-ID': 'dlv_1',
      Authorization: '[redacted]',
      'X-Tenant': '[redacted]',
    });
  });

  it('knows every header a delivery carries as its own', () => {
    for (const name of [
      'User-Agent',
      'X-Webhook-ID',
      'X-Webhook-Event',
      'X-Event-ID',
      'X-Delivery-Attempt',
      'X-Request-ID',
      'X-Webhook-Timestamp',
      'webhook-timestamp',
      'webhook-signature',
    ]) {
      expect({ name, reserved: isReservedHeader(name) }).toEqual({ name, reserved: true });
    }
  });
});
