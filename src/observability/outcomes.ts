import { ApiError, ErrorCode } from '../common/api-error';

/**
 * The label values of Hookhub's series: each from a short, fixed list, so a series never holds an id,
 * a URL or a message (bounded cardinality, docs/observability.md).
 */

export const INGEST_OUTCOMES = [
  'accepted',
  'duplicate',
  'unauthorized',
  'rate_limited',
  'invalid',
  'not_found',
  'forbidden',
  'unavailable',
  'error',
] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

const INGEST_OUTCOME_OF_CODE: Partial<Record<ErrorCode, IngestOutcome>> = {
  INVALID_SIGNATURE: 'unauthorized',
  UNAUTHORIZED: 'unauthorized',
  RATE_LIMITED: 'rate_limited',
  VALIDATION_FAILED: 'invalid',
  INVALID_JSON: 'invalid',
  BAD_REQUEST: 'invalid',
  PAYLOAD_TOO_LARGE: 'invalid',
  UNSUPPORTED_MEDIA_TYPE: 'invalid',
  UNPROCESSABLE: 'invalid',
  NOT_FOUND: 'not_found',
  FORBIDDEN: 'forbidden',
  SERVICE_UNAVAILABLE: 'unavailable',
};

/** The outcome of an ingest request refused with `error`: by its error code; anything unexpected is `error`. */
export function ingestOutcomeOf(error: unknown): IngestOutcome {
  return (error instanceof ApiError && INGEST_OUTCOME_OF_CODE[error.code]) || 'error';
}

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** A provider or channel name as a label: the name itself (a short lower-case word), else `other`. */
export function nameLabel(name: unknown): string {
  return typeof name === 'string' && NAME.test(name) ? name : 'other';
}

/** A status as a label when it is one of `allowed`, else `other`. */
export function oneOfLabel<T extends string>(value: unknown, allowed: readonly T[]): T | 'other' {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : 'other';
}

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'timeout', 'network', 'refused', 'unsent'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/**
 * How an attempt's request ended: the class of the HTTP status answered, or, with no answer, `timeout`,
 * `network` (connection refused, reset, DNS), `refused` (Hookhub refused the address or the URL) or
 * `unsent` (the body could not be built or was too large).
 */
export function statusClassOf(result: { httpStatus: number | null; errorKind: string | null }): StatusClass {
  const { httpStatus, errorKind } = result;
  if (httpStatus !== null && httpStatus >= 100 && httpStatus <= 599) {
    return `${Math.floor(httpStatus / 100)}xx` as StatusClass;
  }
  if (errorKind === 'timeout') return 'timeout';
  if (errorKind === 'refused_address' || errorKind === 'invalid_url') return 'refused';
  if (errorKind === 'body_too_large' || errorKind === 'render_failed') return 'unsent';
  return 'network';
}

/** What a delivery attempt came to: the delivery's status after it. */
export const DELIVERY_OUTCOMES = ['success', 'retrying', 'dead'] as const;

/** What a processing run came to: the inbound event's status after it. */
export const INBOUND_OUTCOMES = ['completed', 'retrying', 'failed'] as const;

export const NOTIFICATION_OUTCOMES = ['sent', 'retrying', 'skipped', 'failed'] as const;

/** A notification's status after a send: `queued` again means a retry is scheduled. */
export function notificationOutcomeOf(status: unknown): (typeof NOTIFICATION_OUTCOMES)[number] | 'other' {
  return oneOfLabel(status === 'queued' ? 'retrying' : status, NOTIFICATION_OUTCOMES);
}
