import type { SendErrorKind, SendResult } from '../common/http-sender';
import { HOOKHUB_VERSION } from '../common/version';
import type { Event } from '../events/event.entity';
import type { Subscription } from '../subscriptions/subscription.entity';
import { batchEventType } from './batch-rules';
import { presetPayload, RenderedTooLarge, renderTemplateBody, TemplateEvent } from '../common/payload-template';
import { signatureHeaders } from '../common/signing';

export interface DeliveryRequestInput {
  subscription: Pick<Subscription, 'id' | 'headers' | 'payloadTemplate' | 'preset' | 'metadata' | 'signatureFormat'>;
  event: Pick<Event, 'id' | 'eventType' | 'data' | 'metadata' | 'createdAt'>;
  deliveryId: string;
  attempt: number;
  traceId: string | null;
  secrets: string[];
  /** Unix seconds of this attempt. */
  timestamp: number;
}

/** The envelope a subscriber receives (CONTRACT §4.2), before any template or preset. */
export function deliveryEnvelope(
  input: Pick<DeliveryRequestInput, 'event' | 'attempt'> & { subscription: Pick<Subscription, 'id'> },
): Record<string, unknown> {
  return {
    webhook_id: input.subscription.id,
    event_id: input.event.id,
    event_type: input.event.eventType,
    timestamp: input.event.createdAt.toISOString(),
    delivery_attempt: input.attempt,
    data: input.event.data,
    metadata: input.event.metadata,
  };
}

/** Why a body is not sent: over MAX_DELIVERY_BODY_BYTES, or a template that cannot be rendered. */
export type UnsendableKind = 'body_too_large' | 'render_failed';

/** What an attempt came to: the sender's result, or a body that was never sent (`UnsendableKind`). */
export type AttemptResult = SendResult<SendErrorKind | UnsendableKind>;

/** A delivery body that cannot be sent, whatever the attempt: the attempt is recorded with this error and the delivery is `dead`. */
export class UnsendableBody extends Error {
  constructor(
    message: string,
    readonly kind: UnsendableKind,
  ) {
    super(message);
    this.name = 'UnsendableBody';
  }
}

/** `5 MiB`, `87.9 MiB`, `2.2 KiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

function tooLarge(bytes: number, maxBytes: number): UnsendableBody {
  return new UnsendableBody(
    `the rendered body is ${formatBytes(bytes)} (${bytes} bytes), over the ${formatBytes(maxBytes)} cap (MAX_DELIVERY_BODY_BYTES)`,
    'body_too_large',
  );
}

/**
 * The body: one line of JSON, exactly the bytes that are signed; a template or preset replaces the
 * envelope. At most `maxBytes` bytes (MAX_DELIVERY_BODY_BYTES), else UnsendableBody, as for a template
 * that cannot be rendered; a template is measured before it is built, so an oversized one is never allocated.
 */
export function deliveryBody(input: DeliveryRequestInput, maxBytes = Number.POSITIVE_INFINITY): string {
  let body: string;
  try {
    body = renderBody(input, maxBytes);
  } catch (error) {
    if (error instanceof RenderedTooLarge) throw tooLarge(error.bytes, maxBytes);
    throw new UnsendableBody(`the body could not be rendered: ${(error as Error).message}`, 'render_failed');
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most bodies need no count
  if (body.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(body);
    if (bytes > maxBytes) throw tooLarge(bytes, maxBytes);
  }
  return body;
}

function renderBody(input: DeliveryRequestInput, maxBytes: number): string {
  const envelope = deliveryEnvelope(input);
  const { subscription } = input;
  if (!subscription.payloadTemplate && !subscription.preset) return JSON.stringify(envelope);
  const templateEvent = envelope as unknown as TemplateEvent;
  if (subscription.preset) {
    const chatId = subscription.metadata.chat_id;
    return JSON.stringify(
      presetPayload(subscription.preset, templateEvent, {
        chatId: typeof chatId === 'string' || typeof chatId === 'number' ? chatId : undefined,
      }),
    );
  }
  return renderTemplateBody(subscription.payloadTemplate, templateEvent, maxBytes);
}

/** Every header of §4.2; the subscription's extra headers first, so ours always win. */
export function deliveryHeaders(input: DeliveryRequestInput, body: string): Record<string, string> {
  return {
    ...input.subscription.headers,
    'Content-Type': 'application/json',
    'User-Agent': `Hookhub/${HOOKHUB_VERSION}`,
    'X-Webhook-ID': input.subscription.id,
    'X-Webhook-Event': input.event.eventType,
    'X-Event-ID': input.event.id,
    'X-Delivery-ID': input.deliveryId,
    'X-Delivery-Attempt': String(input.attempt),
    'X-Request-ID': input.traceId ?? input.deliveryId,
    ...signatureHeaders({
      secrets: input.secrets,
      eventId: input.event.id,
      timestamp: input.timestamp,
      body,
      format: input.subscription.signatureFormat,
    }),
  };
}

/** One request carrying several deliveries of a subscription (batch delivery). */
export interface BatchRequestInput {
  subscription: Pick<Subscription, 'id' | 'headers' | 'signatureFormat'>;
  /** The events of the batch's members, in batch order (the order they were published). */
  events: Pick<Event, 'id' | 'eventType' | 'data' | 'metadata' | 'createdAt'>[];
  batchId: string;
  attempt: number;
  secrets: string[];
  /** Unix seconds of this attempt. */
  timestamp: number;
}

/**
 * Each member's part of a batch body: its envelope as one line of JSON, exactly the body it would be
 * sent alone with at this attempt (its `delivery_attempt` included).
 */
export function batchMemberBodies(
  input: Pick<BatchRequestInput, 'events' | 'attempt'> & { subscription: Pick<Subscription, 'id'> },
): string[] {
  return input.events.map((event) =>
    JSON.stringify(deliveryEnvelope({ subscription: input.subscription, event, attempt: input.attempt })),
  );
}

/**
 * How many leading members fit in a body of at most `maxBytes` (MAX_DELIVERY_BODY_BYTES): `[`, their
 * parts joined by `,`, `]`. At least 1: a member too large even alone is left for batchBody to refuse.
 */
export function batchFit(memberBodies: readonly string[], maxBytes: number): number {
  let bytes = 1; // "["
  for (let i = 0; i < memberBodies.length; i += 1) {
    bytes += Buffer.byteLength(memberBodies[i]) + 1; // the part and "," or "]"
    if (bytes > maxBytes) return Math.max(i, 1);
  }
  return memberBodies.length;
}

/**
 * The body of a batch: the JSON array of the members' envelopes, `[` + their parts joined by `,` +
 * `]` (byte for byte what JSON.stringify of the array gives). Over `maxBytes`, UnsendableBody.
 */
export function batchBody(memberBodies: readonly string[], maxBytes = Number.POSITIVE_INFINITY): string {
  const body = `[${memberBodies.join(',')}]`;
  if (body.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(body);
    if (bytes > maxBytes) throw tooLarge(bytes, maxBytes);
  }
  return body;
}

/**
 * The headers of a batch: those of a single delivery, with the batch id as `X-Delivery-ID`,
 * `X-Event-ID`, `X-Request-ID` and Standard Webhooks `webhook-id` (the same in every attempt of the
 * batch, for deduplication), `X-Webhook-Event` the type all its events share (else `mixed`), and
 * `X-Webhook-Batch-Size`; both signatures cover the whole array body.
 */
export function batchHeaders(input: BatchRequestInput, body: string): Record<string, string> {
  return {
    ...input.subscription.headers,
    'Content-Type': 'application/json',
    'User-Agent': `Hookhub/${HOOKHUB_VERSION}`,
    'X-Webhook-ID': input.subscription.id,
    'X-Webhook-Event': batchEventType(input.events.map((e) => e.eventType)),
    'X-Event-ID': input.batchId,
    'X-Delivery-ID': input.batchId,
    'X-Delivery-Attempt': String(input.attempt),
    'X-Request-ID': input.batchId,
    'X-Webhook-Batch-Size': String(input.events.length),
    ...signatureHeaders({
      secrets: input.secrets,
      eventId: input.batchId,
      timestamp: input.timestamp,
      body,
      format: input.subscription.signatureFormat,
    }),
  };
}
