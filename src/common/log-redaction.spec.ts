import { isSecretParameter, LOG_REDACTED, redactQuery, redactUrl, serializeRequest } from './log-redaction';

const TOKEN = 's3cr3t-T0ken';

describe('redactUrl', () => {
  it.each([
    ['token', `/api/v1/integrations/kommo/webhook?token=${TOKEN}`],
    ['an upper-case name', `/x?TOKEN=${TOKEN}`],
    ['a percent-encoded name (%74oken)', `/x?%74oken=${TOKEN}`],
    ['an upper-case percent-encoded name (%54OKEN)', `/x?%54OKEN=${TOKEN}`],
    ['a double-encoded name (%2574oken)', `/x?%2574oken=${TOKEN}`],
    ['a triple-encoded name', `/x?%252574oken=${TOKEN}`],
    ['a %u-encoded name', `/x?%u0074oken=${TOKEN}`],
    ['hub.verify_token', `/x?hub.mode=subscribe&hub.verify_token=${TOKEN}&hub.challenge=1`],
    ['hub%2Everify_token', `/x?hub%2Everify_token=${TOKEN}`],
    ['hub.verify%5Ftoken', `/x?hub.verify%5Ftoken=${TOKEN}`],
    ['a bracketed name', `/x?token[]=${TOKEN}`],
    ['an encoded bracketed name', `/x?token%5B0%5D=${TOKEN}`],
    ['a nested name', `/x?auth[token]=${TOKEN}`],
    ['a name with + for spaces', `/x?my+token=${TOKEN}`],
    ['a second parameter after ;', `/x?a=1;token=${TOKEN}`],
    ['a parameter after a second ?', `/x?a=1?token=${TOKEN}`],
    ['a repeated parameter', `/x?token=${TOKEN}&token=${TOKEN}`],
    ['a value with =', `/x?token=${TOKEN}=${TOKEN}`],
    [
      'secret, api_key, password and signature',
      `/x?secret=${TOKEN}&api_key=${TOKEN}&password=${TOKEN}&sig=1&signature=${TOKEN}`,
    ],
  ])('hides the value of %s', (_name, url) => {
    const redacted = redactUrl(url);
    expect(redacted).not.toContain(TOKEN);
    expect(redacted).toContain(LOG_REDACTED);
  });

  it('keeps the path, the other parameters and the names as sent', () => {
    expect(redactUrl(`/api/v1/x?limit=5&%74oken=${TOKEN}&event_type=a.b`)).toBe(
      `/api/v1/x?limit=5&%74oken=${LOG_REDACTED}&event_type=a.b`,
    );
    expect(redactUrl('/api/v1/webhooks?limit=5&offset=10')).toBe('/api/v1/webhooks?limit=5&offset=10');
    expect(redactUrl('/health')).toBe('/health');
    expect(redactUrl('/x?token')).toBe('/x?token');
  });

  it('does not throw on malformed percent-encoding', () => {
    expect(redactUrl(`/x?%E0%A4%A=1&%=2&token%=${TOKEN}`)).not.toContain(TOKEN);
  });
});

describe('redactQuery', () => {
  it('hides secret parameters at any depth, by their decoded name, and keeps the rest', () => {
    expect(
      redactQuery({
        token: TOKEN,
        '%74oken': TOKEN,
        TOKEN: [TOKEN],
        'hub.verify_token': TOKEN,
        auth: { token: TOKEN, keep: 'x' },
        list: [{ secret: TOKEN }],
        a: `1;token=${TOKEN}`,
        b: `1?%74oken=${TOKEN}`,
        limit: '5',
      }),
    ).toEqual({
      token: LOG_REDACTED,
      '%74oken': LOG_REDACTED,
      TOKEN: LOG_REDACTED,
      'hub.verify_token': LOG_REDACTED,
      auth: { token: LOG_REDACTED, keep: 'x' },
      list: [{ secret: LOG_REDACTED }],
      a: `1;token=${LOG_REDACTED}`,
      b: `1?%74oken=${LOG_REDACTED}`,
      limit: '5',
    });
    expect(redactQuery(undefined)).toBeUndefined();
  });

  it('is safe on deep objects', () => {
    let deep: Record<string, unknown> = { token: TOKEN };
    for (let i = 0; i < 50; i += 1) deep = { a: deep };
    expect(JSON.stringify(redactQuery(deep))).not.toContain(TOKEN);
  });
});

describe('isSecretParameter', () => {
  it.each(['limit', 'offset', 'event_type', 'hub.challenge', 'hub.mode', 'source_id'])('lets %s through', (name) => {
    expect(isSecretParameter(name)).toBe(false);
  });
});

describe('serializeRequest', () => {
  it('redacts the url, the query and header values', () => {
    const req = serializeRequest({
      url: `/x?%74oken=${TOKEN}`,
      query: { token: TOKEN },
      headers: { 'content-type': 'application/json', 'x-shop-key': TOKEN },
    });
    expect(JSON.stringify(req)).not.toContain(TOKEN);
    expect(req).toMatchObject({ headers: { 'content-type': 'application/json', 'x-shop-key': '[Redacted]' } });
  });
});
