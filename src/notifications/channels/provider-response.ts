import { HOOKHUB_VERSION } from '../../common/version';
import type { SendResult } from '../../common/http-sender';
import type { ChannelResult } from './channel';

/** How long one provider call may take before it counts as a (retryable) timeout. */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;

/** Headers every provider call carries. */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  'user-agent': `Hookhub/${HOOKHUB_VERSION}`,
};

/** The provider's answer: parsed JSON when it is JSON, else its text; null when empty. */
export function parseResponse(result: SendResult): unknown {
  const text = result.responseBody;
  if (text.trim() === '') return null;
  if (/^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text; // cut at 4 KiB, or not JSON after all
    }
  }
  return text;
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterHeaderMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A message we did not even try to send (missing or malformed credentials or target): permanent. */
export function notSent(error: string): ChannelResult {
  return { ok: false, retryable: false, httpStatus: null, response: null, error };
}

/**
 * The result of an attempt that got no usable HTTP answer, or null when it did: timeouts and connection errors are
 * retryable; a refused address, an invalid URL and a redirect are not (they need a fix, not another try).
 */
export function transportFailure(result: SendResult): ChannelResult | null {
  if (result.errorKind === null || result.errorKind === 'http_status') return null;
  const retryable = result.errorKind === 'timeout' || result.errorKind === 'connection';
  return {
    ok: false,
    retryable,
    httpStatus: result.httpStatus,
    response: result.httpStatus === null ? null : parseResponse(result),
    error: result.error,
  };
}

/** 429 and 5xx are worth another try; other 4xx are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
