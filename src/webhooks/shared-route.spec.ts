import { ApiError } from '../common/api-error';
import { notVerified, refuseUnverifiedOnSharedRoute, sharedCandidates, SharedLookup } from './shared-route';
import type { Source } from './source.entity';

const source = (id: string, over: Partial<Source> = {}): Source =>
  ({ id, tenantId: 'ten_a', provider: 'yclients', scheme: 'url-token', active: true, config: {}, ...over }) as Source;

const lookup: SharedLookup = {
  provider: 'yclients',
  matches: [{ key: 'company_id', value: '307626' }],
  notFound: 'No YClients source is configured for company_id=307626.',
};

function errorOf(run: () => unknown): { status: number; code: string; message: string; details: unknown[] } {
  try {
    run();
  } catch (error) {
    const e = error as ApiError;
    return { status: e.getStatus(), code: e.code, message: e.message, details: e.details };
  }
  throw new Error('expected an ApiError');
}

describe('sharedCandidates', () => {
  it('keeps the active sources that verify something, in the order found', () => {
    const found = [
      source('src_a'),
      source('src_b', { active: false }),
      source('src_c', { scheme: 'none' }),
      source('src_d', { tenantId: 'ten_b' }),
    ];
    const candidates = sharedCandidates(found, lookup);
    expect(candidates.provider).toBe('yclients');
    expect(candidates.sources.map((s) => s.id)).toEqual(['src_a', 'src_d']);
  });

  it('answers 404 when nothing matches, hinting at /ingest/{source_id} when only `none` sources do', () => {
    expect(errorOf(() => sharedCandidates([], lookup))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      message: lookup.notFound,
    });
    const onlyNone = errorOf(() => sharedCandidates([source('src_n', { scheme: 'none' })], lookup));
    expect(onlyNone).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(onlyNone.message).toMatch(/reachable only at \/api\/v1\/ingest\/\{source_id\}/);
  });

  it('answers 403 when every match is disabled, without naming a source', () => {
    const e = errorOf(() => sharedCandidates([source('src_a', { active: false })], lookup));
    expect(e).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(e.message).toBe('The yclients source for company_id=307626 is disabled.');
  });

  it('drops the sources the request contradicts before deciding', () => {
    const found = [source('src_twin', { config: { account_id: '2' } })];
    const e = errorOf(() =>
      sharedCandidates(found, { ...lookup, accepts: (s) => s.config.account_id === '1', notFound: 'no account 1' }),
    );
    expect(e).toMatchObject({ status: 404, message: 'no account 1' });
  });
});

describe('notVerified', () => {
  it('is 401 INVALID_SIGNATURE naming each distinct reason once', () => {
    const e = notVerified([
      "token query parameter does not match the source's secret",
      "token query parameter does not match the source's secret",
      'missing X-Signature header',
    ]);
    expect(e.getStatus()).toBe(401);
    expect(e.code).toBe('INVALID_SIGNATURE');
    expect(e.message).toBe(
      "The request is not verified: token query parameter does not match the source's secret; missing X-Signature header.",
    );
  });
});

describe('refuseUnverifiedOnSharedRoute', () => {
  it('refuses `none` for a provider with a shared route, naming verification.scheme and the reason', () => {
    const e = errorOf(() => refuseUnverifiedOnSharedRoute('kommo', 'none', '/api/v1/integrations/kommo/webhook'));
    expect(e).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(e.details).toEqual([
      {
        field: 'verification.scheme',
        message: expect.stringMatching(/"none" is not allowed for kommo sources: .*shared by every tenant/),
      },
    ]);
  });

  it('allows any other scheme, and `none` for a provider without a shared route', () => {
    expect(() => refuseUnverifiedOnSharedRoute('kommo', 'url-token', '/x')).not.toThrow();
    expect(() => refuseUnverifiedOnSharedRoute('generic', 'none', undefined)).not.toThrow();
  });
});
