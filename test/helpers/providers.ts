import { createHmac } from 'node:crypto';

/** A PHP `http_build_query` body as Kommo writes it: keys with brackets percent-encoded, spaces as `+`. */
export function kommoForm(pairs: Record<string, string>): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return Object.entries(pairs)
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');
}

/** Slack's signature headers for `raw` (`v0=` HMAC-SHA256 of `v0:<ts>:<body>`), signed at `ts` (now by default). */
export function slackSignature(
  raw: string | Buffer,
  secret: string,
  ts = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${ts}:`).update(raw).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': `v0=${signature}` };
}
