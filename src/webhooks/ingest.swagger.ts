import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiQuery } from '@nestjs/swagger';

/**
 * The headers (and `?token=`) a source's verification reads, by scheme; which one a request needs
 * depends on the `verification.scheme` of its source. All are optional in the document: the source
 * decides which one is required.
 */
const SIGNATURE_HEADERS: { name: string; description: string }[] = [
  {
    name: 'X-Webhook-Signature',
    description:
      'hmac-sha256: `sha256=<hex HMAC-SHA256(secret, "<X-Webhook-Timestamp>.<raw body>")>`; hmac-sha256-body: ' +
      '`sha256=<hex HMAC-SHA256(secret, raw body)>`. The source’s `verification.header` may name another header.',
  },
  {
    name: 'X-Webhook-Timestamp',
    description: 'hmac-sha256: Unix seconds of the signature, within the source’s `tolerance_s` (default 300).',
  },
  { name: 'webhook-id', description: 'standard-webhooks: the message id, signed with the timestamp and body.' },
  { name: 'webhook-timestamp', description: 'standard-webhooks: Unix seconds, within `tolerance_s`.' },
  {
    name: 'webhook-signature',
    description: 'standard-webhooks: `v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")>`.',
  },
  { name: 'X-Hub-Signature-256', description: 'github: `sha256=<hex HMAC-SHA256(secret, raw body)>`.' },
  {
    name: 'Stripe-Signature',
    description: 'stripe: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.',
  },
  {
    name: 'X-Slack-Signature',
    description: 'slack: `v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<raw body>")>`.',
  },
  { name: 'X-Slack-Request-Timestamp', description: 'slack: Unix seconds, within 5 minutes.' },
  { name: 'X-Telegram-Bot-Api-Secret-Token', description: 'telegram: equals the secret (setWebhook’s secret_token).' },
  { name: 'X-Signature', description: 'kommo-chats: `<hex HMAC-SHA1(channel secret, raw body)>`.' },
  {
    name: 'X-Webhook-Token',
    description: 'shared-token: equals the secret. The source’s `verification.header` may name another header.',
  },
];

/** Generic senders: what names the event type and what deduplicates a request. */
const GENERIC_HEADERS: { name: string; description: string }[] = [
  {
    name: 'X-Webhook-Event',
    description: 'The event type when the body has no `event_type` or `type` (generic sources).',
  },
  {
    name: 'X-Webhook-Event-ID',
    description: 'The sender’s id of this webhook: a second request with the same id is a duplicate (generic sources).',
  },
  {
    name: 'Idempotency-Key',
    description: 'Used like X-Webhook-Event-ID when that header is absent (generic sources).',
  },
];

/** Documents every header and the `?token=` a source's verification may read, and the generic ones. */
export function ApiIngestVerification(): MethodDecorator {
  return applyDecorators(
    ...[...SIGNATURE_HEADERS, ...GENERIC_HEADERS].map((header) => ApiHeader({ ...header, required: false })),
    ApiQuery({
      name: 'token',
      required: false,
      description: 'url-token: equals the secret (the `ingest_url` of such a source carries it).',
    }),
  );
}
