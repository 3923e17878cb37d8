import { isValidEventType } from '../../subscriptions/event-pattern';
import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';
import { decimalAmounts } from './stripe.amounts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objectOf = (value: unknown): Json => (isObject(value) ? value : {});

/** A non-empty string, or a finite number as text. */
const str = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : null;

/** `created`: unix seconds on snapshot events, ISO-8601 on v2 thin events; null when unreadable. */
function timeOf(value: unknown): Date | null {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** v2 "thin" events name the object in `related_object` instead of carrying it in `data.object`. */
const THIN_EVENT = 'v2.core.event';

interface StripeEntity {
  type: string | null;
  id: string | null;
  /** The object itself (snapshot events), for its amounts. */
  object: Json | null;
}

/**
 * Stripe events (snapshot `Event` objects, and v2 thin events) through /ingest/{source_id}: the event type is
 * `stripe.<type>`, deduplicated on the event `id`, about `data.object` (its `object` type and `id`), ordered by
 * `created`. Amounts stay Stripe's integers; decimal strings are added beside them under `hookhub.amounts`.
 */
export class StripeNormalizer implements ProviderNormalizer {
  dedupKey(request: InboundRequest): string | null {
    return str(objectOf(request.payload).id);
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    if (!isObject(request.payload)) throw new Error('the Stripe payload is not a JSON object');
    const event = request.payload;
    const type = typeOf(event);
    const id = str(event.id);
    if (!id) throw new Error('no id: a Stripe event carries its id (evt_…) in "id"');
    const account = str(event.account) ?? connectedAccountOf(event) ?? 'platform';
    const entity = entityOf(event);
    const occurredAt = timeOf(event.created);
    const money = entity.object ? decimalAmounts(entity.object) : null;
    const changed = Object.keys(objectOf(objectOf(event.data).previous_attributes));
    return [
      {
        eventType: `stripe.${type}`,
        eventSubtype: null,
        entityType: entity.type,
        entityId: entity.id,
        entityKey: entity.type && entity.id ? `stripe:${account}:${entity.type}:${entity.id}` : null,
        occurredAt,
        data: {
          ...event,
          hookhub: {
            account,
            ...(money?.amounts
              ? { currency: money.currency, currency_exponent: money.exponent, amounts: money.amounts }
              : {}),
          },
        },
        context: {
          stripe_event_id: id,
          stripe_account: account,
          livemode: typeof event.livemode === 'boolean' ? event.livemode : null,
          api_version: str(event.api_version),
          occurred_at: occurredAt?.toISOString() ?? null,
          ...(changed.length > 0 ? { changed_fields: changed } : {}),
          ...(money && !money.amounts
            ? { amounts_not_converted: `no known Stripe exponent for currency "${money.currency}"` }
            : {}),
        },
      },
    ];
  }
}

function typeOf(event: Json): string {
  const type = str(event.type);
  if (!type) throw new Error('no type: a Stripe event names what happened in "type" (e.g. payment_intent.succeeded)');
  if (!isValidEventType(`stripe.${type}`)) {
    throw new Error(`"${type}" is not a Stripe event type (lowercase dot-separated words such as charge.refunded)`);
  }
  return type;
}

/** A v2 thin event names a connected account in `context` (`acct_…`). */
function connectedAccountOf(event: Json): string | null {
  const context = str(event.context);
  return event.object === THIN_EVENT && context?.startsWith('acct_') ? context : null;
}

/** The object the event is about: `data.object` of a snapshot event, `related_object` of a thin one. */
function entityOf(event: Json): StripeEntity {
  if (event.object === THIN_EVENT) {
    const related = objectOf(event.related_object);
    return { type: str(related.type), id: str(related.id), object: null };
  }
  const object = objectOf(event.data).object;
  if (!isObject(object)) {
    throw new Error('no data.object: a Stripe event carries the object it is about in data.object');
  }
  return { type: str(object.object), id: str(object.id), object };
}
