import { ApiError } from '../common/api-error';
import { ingestOutcomeOf, nameLabel, notificationOutcomeOf, oneOfLabel, statusClassOf } from './outcomes';

describe('ingest outcomes', () => {
  it.each([
    ['INVALID_SIGNATURE', 'unauthorized'],
    ['RATE_LIMITED', 'rate_limited'],
    ['VALIDATION_FAILED', 'invalid'],
    ['INVALID_JSON', 'invalid'],
    ['PAYLOAD_TOO_LARGE', 'invalid'],
    ['UNSUPPORTED_MEDIA_TYPE', 'invalid'],
    ['NOT_FOUND', 'not_found'],
    ['FORBIDDEN', 'forbidden'],
    ['SERVICE_UNAVAILABLE', 'unavailable'],
    ['INTERNAL', 'error'],
  ] as const)('counts %s as %s', (code, outcome) => {
    expect(ingestOutcomeOf(new ApiError(code, 'x'))).toBe(outcome);
  });

  it('counts anything that is not an ApiError as error', () => {
    expect(ingestOutcomeOf(new Error('connection reset'))).toBe('error');
    expect(ingestOutcomeOf('text')).toBe('error');
  });
});

describe('status classes of delivery attempts', () => {
  it.each([
    [200, null, '2xx'],
    [204, null, '2xx'],
    [302, 'redirect', '3xx'],
    [410, 'http_status', '4xx'],
    [503, 'http_status', '5xx'],
    [null, 'timeout', 'timeout'],
    [null, 'connection', 'network'],
    [null, 'refused_address', 'refused'],
    [null, 'invalid_url', 'refused'],
    [null, 'body_too_large', 'unsent'],
    [null, 'render_failed', 'unsent'],
    [null, null, 'network'],
    [999, 'http_status', 'network'],
  ])('HTTP %s with error %s is %s', (httpStatus, errorKind, statusClass) => {
    expect(statusClassOf({ httpStatus, errorKind })).toBe(statusClass);
  });
});

describe('bounded labels', () => {
  it('keeps short lower-case names and turns anything else into other', () => {
    expect(nameLabel('kommo')).toBe('kommo');
    expect(nameLabel('https://example.com/hook')).toBe('other');
    expect(nameLabel('A'.repeat(10))).toBe('other');
    expect(nameLabel('x'.repeat(40))).toBe('other');
    expect(nameLabel(undefined)).toBe('other');
  });

  it('keeps only the listed values', () => {
    expect(oneOfLabel('success', ['success', 'dead'])).toBe('success');
    expect(oneOfLabel('sending', ['success', 'dead'])).toBe('other');
  });

  it('names a notification queued again after a send retrying', () => {
    expect(notificationOutcomeOf('queued')).toBe('retrying');
    expect(notificationOutcomeOf('sent')).toBe('sent');
    expect(notificationOutcomeOf('skipped')).toBe('skipped');
    expect(notificationOutcomeOf('sending')).toBe('other');
  });
});
