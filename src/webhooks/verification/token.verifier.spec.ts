import { verifierFor } from './index';
import type { VerificationInput } from './index';
import { fixtureInput, loadFixture, tamper, verificationInput } from './testing/provider-fixtures';

const failed = (reason: string | RegExp): unknown => ({ ok: false, reason: expect.stringMatching(reason) });

describe('telegram (X-Telegram-Bot-Api-Secret-Token equals the secret)', () => {
  const verifier = verifierFor('telegram');
  const update = loadFixture('telegram', 'update-message-command');
  const SECRET_TOKEN = 'tg-Secret_Token-123';

  it('accepts the update carrying the secret token', () => {
    expect(verifier.verify(fixtureInput(update, SECRET_TOKEN))).toEqual({ ok: true });
  });

  it('does not sign the body: a changed body with the right token is still accepted', () => {
    expect(verifier.verify(fixtureInput(update, SECRET_TOKEN, { rawBody: tamper(update.body) }))).toEqual({
      ok: true,
    });
  });

  it('rejects a wrong secret without revealing either token', () => {
    const result = verifier.verify(fixtureInput(update, 'tg-Secret_Token-124'));
    expect(result).toEqual(failed('^X-Telegram-Bot-Api-Secret-Token header does not match the source.s secret$'));
    expect(JSON.stringify(result)).not.toMatch(/tg-Secret_Token-12[34]/);
  });

  it.each([
    ['a prefix of it', 'tg-Secret'],
    ['it with a suffix', 'tg-Secret_Token-1234'],
    ['other case', 'TG-SECRET_TOKEN-123'],
  ])('rejects %s', (_case, token) => {
    const input = fixtureInput(update, SECRET_TOKEN);
    input.headers['x-telegram-bot-api-secret-token'] = token;
    expect(verifier.verify(input)).toEqual(failed('does not match'));
  });

  it('rejects a missing header', () => {
    const input = fixtureInput(update, SECRET_TOKEN);
    delete input.headers['x-telegram-bot-api-secret-token'];
    expect(verifier.verify(input)).toEqual(failed('^missing X-Telegram-Bot-Api-Secret-Token header$'));
  });

  it('rejects a header sent twice', () => {
    const input = fixtureInput(update, SECRET_TOKEN);
    input.headers['x-telegram-bot-api-secret-token'] = [SECRET_TOKEN, SECRET_TOKEN];
    expect(verifier.verify(input)).toEqual(failed('sent more than once'));
  });
});

describe('shared-token (a header equals the secret)', () => {
  const verifier = verifierFor('shared-token');
  const SECRET = 'b6f1c0d2-shared';
  const withHeaders = (headers: VerificationInput['headers'], header: string | null = null): VerificationInput =>
    verificationInput({ headers, header, secret: SECRET, rawBody: Buffer.from('{}') });

  it('reads X-Webhook-Token by default', () => {
    expect(verifier.verify(withHeaders({ 'x-webhook-token': SECRET }))).toEqual({ ok: true });
  });

  it('reads the header the source names, whatever its case', () => {
    expect(verifier.verify(withHeaders({ 'x-api-token': SECRET }, 'X-Api-Token'))).toEqual({ ok: true });
    expect(verifier.verify(withHeaders({ 'x-webhook-token': SECRET }, 'X-Api-Token'))).toEqual(
      failed('^missing X-Api-Token header$'),
    );
  });

  it('rejects a wrong secret', () => {
    expect(verifier.verify(withHeaders({ 'x-webhook-token': 'b6f1c0d2-other' }))).toEqual(
      failed('^X-Webhook-Token header does not match the source.s secret$'),
    );
  });

  it('rejects a missing or empty header', () => {
    expect(verifier.verify(withHeaders({}))).toEqual(failed('^missing X-Webhook-Token header$'));
    expect(verifier.verify(withHeaders({ 'x-webhook-token': '' }))).toEqual(failed('X-Webhook-Token header is empty'));
  });

  it('never accepts an empty secret, even against an empty header', () => {
    const input = { ...withHeaders({ 'x-webhook-token': '' }), secret: '' };
    expect(verifier.verify(input)).toEqual(failed('no secret is configured'));
  });
});

describe('url-token (?token= equals the secret)', () => {
  const verifier = verifierFor('url-token');
  const SECRET = 'kommo-url-secret-42';
  const withQuery = (query: Record<string, unknown>): VerificationInput =>
    verificationInput({ query, secret: SECRET, rawBody: Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bid%5D=1') });

  it('accepts the right token', () => {
    expect(verifier.verify(withQuery({ token: SECRET }))).toEqual({ ok: true });
  });

  it('rejects a wrong token', () => {
    expect(verifier.verify(withQuery({ token: 'kommo-url-secret-43' }))).toEqual(
      failed('^token query parameter does not match the source.s secret$'),
    );
  });

  it('rejects a missing token, including one sent in a header instead', () => {
    expect(verifier.verify(withQuery({}))).toEqual(failed('^missing token query parameter$'));
    expect(verifier.verify({ ...withQuery({}), headers: { 'x-webhook-token': SECRET } })).toEqual(
      failed('missing token query parameter'),
    );
  });

  it.each([
    ['repeated', { token: [SECRET, SECRET] }, 'given more than once'],
    ['nested', { token: { a: SECRET } }, 'malformed'],
    ['a number', { token: 42 }, 'malformed'],
  ])('rejects a token that is %s', (_case, query, reason) => {
    expect(verifier.verify(withQuery(query))).toEqual(failed(reason));
  });
});

describe('none', () => {
  it('accepts anything, with no secret', () => {
    expect(verifierFor('none').verify(verificationInput())).toEqual({ ok: true });
  });
});
