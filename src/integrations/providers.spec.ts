import {
  ingestPathOf,
  PROVIDER_DEFINITIONS,
  PROVIDER_ISSUED_SCHEMES,
  PROVIDERS,
  providerDefinition,
} from './providers';

const source = (provider: (typeof PROVIDERS)[number], over: Partial<Parameters<typeof ingestPathOf>[0]> = {}) => ({
  id: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i',
  tenantId: 'ten_01jd8x4m2k7q9w3e5r6t8y0u1i',
  provider,
  scheme: providerDefinition(provider).defaultScheme,
  config: {},
  ...over,
});

describe('the provider list (each provider folder’s definition)', () => {
  it('lists every provider once, in the order of the API’s provider enum', () => {
    expect(PROVIDERS).toEqual(['generic', 'kommo', 'yclients', 'slack', 'telegram', 'whatsapp', 'github', 'stripe']);
    expect(new Set(PROVIDER_DEFINITIONS.map((p) => p.id)).size).toBe(PROVIDER_DEFINITIONS.length);
  });

  it('gives each provider its default verification scheme', () => {
    expect(Object.fromEntries(PROVIDER_DEFINITIONS.map((p) => [p.id, p.defaultScheme]))).toEqual({
      generic: 'hmac-sha256',
      kommo: 'url-token',
      yclients: 'url-token',
      slack: 'slack',
      telegram: 'telegram',
      whatsapp: 'whatsapp',
      github: 'github',
      stripe: 'stripe',
    });
  });

  it('knows the schemes whose secret the provider issues', () => {
    expect([...PROVIDER_ISSUED_SCHEMES].sort()).toEqual(['kommo-chats', 'slack', 'stripe', 'whatsapp']);
  });

  it('declares a shared route for the providers that post every account to one URL', () => {
    const shared = PROVIDER_DEFINITIONS.filter((p) => p.sharedRoute !== undefined).map((p) => [p.id, p.sharedRoute]);
    expect(shared).toEqual([
      ['kommo', '/api/v1/integrations/kommo/webhook'],
      ['yclients', '/api/v1/integrations/yclients/webhook'],
      ['slack', '/api/v1/integrations/slack/events'],
    ]);
  });

  it('tells each source where to post', () => {
    expect(ingestPathOf(source('generic'))).toBe('/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i');
    expect(ingestPathOf(source('stripe'))).toBe('/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i');
    expect(ingestPathOf(source('telegram'))).toBe('/api/v1/integrations/telegram/src_01jd8x4m2k7q9w3e5r6t8y0u1i');
    expect(ingestPathOf(source('whatsapp'))).toBe('/api/v1/integrations/whatsapp/src_01jd8x4m2k7q9w3e5r6t8y0u1i');
    expect(ingestPathOf(source('slack'))).toBe(
      '/api/v1/integrations/slack/events?source_id=src_01jd8x4m2k7q9w3e5r6t8y0u1i',
    );
    expect(ingestPathOf(source('yclients'))).toBe('/api/v1/integrations/yclients/webhook');
    expect(ingestPathOf(source('yclients', { scheme: 'none' }))).toBe('/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i');
    expect(ingestPathOf(source('kommo', { config: { subdomain: 'examplecorp' } }))).toBe(
      '/api/v1/integrations/kommo/webhook',
    );
  });
});
