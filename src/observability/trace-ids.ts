import { createHash } from 'node:crypto';

/**
 * W3C trace ids from Hookhub's own trace id (the request id, `X-Request-ID`, stored as `trace_id` on
 * inbound events, events and deliveries). Every stage of one webhook derives the same ids from the
 * row it works on, so the request span, the processing span and the delivery attempt spans form one
 * trace without any column or job field of their own, in whichever process each runs.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALL_ZEROS = /^0+$/;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The 32-hex-digit trace id of a Hookhub trace id: a UUID (what Hookhub generates when the client sends
 * no `X-Request-ID`) is its own hex digits, so the request id finds the trace in a tracing backend; any
 * other text is hashed (SHA-256, first 16 bytes).
 */
export function traceIdOf(hookhubTraceId: string): string {
  if (UUID.test(hookhubTraceId)) {
    const hex = hookhubTraceId.replace(/-/g, '').toLowerCase();
    if (!ALL_ZEROS.test(hex)) return hex;
  }
  return digest(`trace:${hookhubTraceId}`).slice(0, 32);
}

/** The 16-hex-digit span id of the HTTP request span that started a Hookhub trace: the parent of later stages. */
export function requestSpanIdOf(hookhubTraceId: string): string {
  return digest(`span:${hookhubTraceId}`).slice(0, 16);
}

/** `traceparent` as W3C Trace Context writes it (version 00). */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A `traceparent` header's ids, or null when it is malformed, all zeros, or of the forbidden version ff. */
export function parseTraceparent(
  header: string | undefined,
): { traceId: string; spanId: string; sampled: boolean } | null {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return null;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}
