import { HOOKHUB_VERSION } from '../common/version';
import type { Event } from '../events/event.entity';
import type { Subscription } from '../subscriptions/subscription.entity';
import { presetPayload, renderTemplate, TemplateEvent } from './payload-template';
import { signatureHeaders } from './signing';

export interface DeliveryRequestInput {
  subscription: Pick<Subscription, 'id' | 'headers' | 'payloadTemplate' | 'preset' | 'metadata'>;
  event: Pick<Event, 'id' | 'eventType' | 'data' | 'metadata' | 'createdAt'>;
  deliveryId: string;
  attempt: number;
  traceId: string | null;
  secrets: string[];
  /** Unix seconds of this attempt. */
  timestamp: number;
}

/** The envelope a subscriber receives (CONTRACT §4.2), before any template or preset. */
export function deliveryEnvelope(input: DeliveryRequestInput): Record<string, unknown> {
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

/** The body: one line of JSON, exactly the bytes that are signed; a template or preset replaces the envelope. */
export function deliveryBody(input: DeliveryRequestInput): string {
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
  return JSON.stringify(renderTemplate(subscription.payloadTemplate, templateEvent));
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
    ...signatureHeaders({ secrets: input.secrets, eventId: input.event.id, timestamp: input.timestamp, body }),
  };
}
