import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'qs';
import { ApiError } from '../../common/api-error';
import { subscriptionChallenge } from './whatsapp.handshake';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'providers', 'whatsapp');

/** The query of the verify-get fixture, parsed as the app's `extended` query parser does. */
function fixtureQuery(): Record<string, unknown> {
  const line = readFileSync(join(FIXTURES, 'verify-get.request'), 'utf8').split(' ')[1];
  return parse(line.slice(line.indexOf('?') + 1));
}

function refusal(query: Record<string, unknown>, config: Record<string, unknown>): ApiError {
  try {
    subscriptionChallenge(query, config);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a refusal');
}

describe('subscriptionChallenge (Meta webhook verification)', () => {
  it('answers the verify-get fixture with its challenge (dotted keys stay as they are)', () => {
    const query = fixtureQuery();
    expect(query).toEqual({
      'hub.mode': 'subscribe',
      'hub.challenge': '1158201444',
      'hub.verify_token': 'meatyhamhock',
    });
    expect(subscriptionChallenge(query, { verify_token: 'meatyhamhock' })).toBe(
      readFileSync(join(FIXTURES, 'responses', 'verify-get-ok.body'), 'utf8').trim(),
    );
  });

  it.each([
    ['a wrong token', { verify_token: 'another-token' }, {}, /hub.verify_token does not match/],
    ['a token of another length', { verify_token: 'meatyhamhock-longer' }, {}, /hub.verify_token does not match/],
    [
      'no token sent',
      { verify_token: 'meatyhamhock' },
      { 'hub.verify_token': undefined },
      /hub.verify_token does not match/,
    ],
    [
      'a token sent twice',
      { verify_token: 'meatyhamhock' },
      { 'hub.verify_token': ['meatyhamhock', 'x'] },
      /does not match/,
    ],
    ['another mode', { verify_token: 'meatyhamhock' }, { 'hub.mode': 'unsubscribe' }, /hub.mode must be "subscribe"/],
    ['no challenge', { verify_token: 'meatyhamhock' }, { 'hub.challenge': '' }, /hub.challenge is missing/],
    ['a source without config.verify_token', {}, {}, /no config.verify_token/],
  ])('refuses %s with 403 FORBIDDEN', (_case, config, override, message) => {
    const error = refusal({ ...fixtureQuery(), ...override }, config);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(message);
  });
});
