import { createHash } from 'node:crypto';
import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';

type Json = Record<string, unknown>;

const objectOf = (value: unknown): Json | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
const objectsOf = (value: unknown): Json[] =>
  Array.isArray(value) ? value.map(objectOf).filter((o): o is Json => o !== null) : [];

/** Ids as strings, whether Meta sent a string or a number. */
const id = (value: unknown): string | null =>
  typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : null;
const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Meta's `timestamp`: unix seconds, usually as a string. */
const unixDate = (value: unknown): Date | null => {
  const text = id(value);
  return text && /^\d{1,12}$/.test(text) && Number(text) > 0 ? new Date(Number(text) * 1000) : null;
};

/** WhatsApp numbers (`wa_id`, `from`, `display_phone_number`) are digits without the +: E.164 wants it. */
export function normalizePhone(value: unknown): string | null {
  const text = id(value);
  if (!text) return null;
  const digits = text.replace(/[^\d]/g, '');
  return digits.length >= 5 ? `+${digits}` : null;
}

/** The words of a message, whatever its type: text, a caption, the title of a tapped button or list row, an emoji. */
function textOfMessage(message: Json, type: string): string | null {
  const body = objectOf(message[type]);
  switch (type) {
    case 'text':
      return textOf(body?.body);
    case 'interactive':
      return textOf(objectOf(body?.button_reply)?.title) ?? textOf(objectOf(body?.list_reply)?.title);
    case 'button':
      return textOf(body?.text);
    case 'reaction':
      return textOf(body?.emoji);
    case 'system':
      return textOf(body?.body);
    case 'location':
      return textOf(body?.name) ?? textOf(body?.address);
    default:
      return textOf(body?.caption) ?? textOf(body?.text);
  }
}

/** The id a tapped reply button, list row or template quick-reply button carries. */
function replyIdOf(message: Json, type: string): string | null {
  const body = objectOf(message[type]);
  if (type === 'interactive') return id(objectOf(body?.button_reply)?.id) ?? id(objectOf(body?.list_reply)?.id);
  if (type === 'button') return textOf(body?.payload);
  return null;
}

/** One `changes[]` item with the ids of the entry it came in. */
interface Change {
  wabaId: string | null;
  field: string;
  value: Json;
  phoneNumberId: string | null;
  businessPhone: string | null;
}

function changesOf(payload: unknown): Change[] {
  const body = objectOf(payload);
  if (!body || !Array.isArray(body.entry)) {
    throw new Error('not a WhatsApp Cloud API notification: entry[] is missing');
  }
  return objectsOf(body.entry).flatMap((entry) =>
    objectsOf(entry.changes).map((change) => {
      const value = objectOf(change.value) ?? {};
      const metadata = objectOf(value.metadata);
      return {
        wabaId: id(entry.id),
        field: textOf(change.field) ?? 'unknown',
        value,
        phoneNumberId: id(metadata?.phone_number_id),
        businessPhone: normalizePhone(metadata?.display_phone_number),
      };
    }),
  );
}

/** The dedup identity of each item of a notification: a message's wamid, a status's wamid and status. */
function itemKeys(payload: unknown): string[] {
  const keys: string[] = [];
  for (const change of changesOf(payload)) {
    for (const message of objectsOf(change.value.messages)) {
      const wamid = id(message.id);
      if (wamid) keys.push(wamid);
    }
    for (const status of objectsOf(change.value.statuses)) {
      const wamid = id(status.id);
      if (wamid) keys.push(`${wamid}:${textOf(status.status) ?? 'unknown'}`);
    }
  }
  return keys;
}

/**
 * WhatsApp Cloud API notifications: every entry, change and item of a batch becomes an event. Inbound messages →
 * `message.received`, statuses of sent messages → `message.status_changed` (subtype sent/delivered/read/failed),
 * out-of-band errors → `whatsapp.error`, other fields (template or account updates…) → `whatsapp.<field>`. A message's
 * entity is its wamid, so a late `delivered` after `read` is stale.
 */
export class WhatsappNormalizer implements ProviderNormalizer {
  dedupKey(request: InboundRequest): string | null {
    let keys: string[];
    try {
      keys = itemKeys(request.payload);
    } catch {
      return null;
    }
    if (keys.length === 0) return null;
    if (keys.length === 1) return keys[0];
    const digest = createHash('sha256')
      .update([...keys].sort().join('\n'))
      .digest('hex');
    return `batch:${digest}`;
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    const changes = changesOf(request.payload);
    const counts = { messages: 0, statuses: 0, errors: 0, other: 0 };
    const events: NormalizedEvent[] = [];
    for (const change of changes) {
      const account = change.phoneNumberId ?? change.wabaId ?? request.source.id;
      if (change.field !== 'messages') {
        counts.other += 1;
        events.push(this.other(change));
        continue;
      }
      const contacts = objectsOf(change.value.contacts);
      for (const message of objectsOf(change.value.messages)) {
        counts.messages += 1;
        events.push(this.message(account, change, message, contacts));
      }
      for (const status of objectsOf(change.value.statuses)) {
        counts.statuses += 1;
        events.push(this.status(account, change, status));
      }
      for (const error of objectsOf(change.value.errors)) {
        counts.errors += 1;
        events.push(this.error(change, error));
      }
    }
    if (events.length === 0) {
      throw new Error('the WhatsApp notification holds no messages, statuses, errors or other changes');
    }
    const context = { whatsapp_items: counts };
    return events.map((e) => ({ ...e, context }));
  }

  private message(account: string, change: Change, message: Json, contacts: Json[]): NormalizedEvent {
    const wamid = id(message.id);
    const from = id(message.from);
    if (!wamid || !from) throw new Error(`a WhatsApp message (${wamid ?? 'no id'}) has no id or no from`);
    const type = textOf(message.type) ?? 'unknown';
    const contact = contacts.find((c) => id(c.wa_id) === from) ?? (contacts.length === 1 ? contacts[0] : null);
    const name = textOf(objectOf(contact?.profile)?.name);
    const phone = normalizePhone(from);
    const sentAt = unixDate(message.timestamp);
    return {
      eventType: 'message.received',
      eventSubtype: type,
      entityType: 'message',
      entityId: wamid,
      entityKey: `whatsapp:${account}:message:${wamid}`,
      occurredAt: sentAt,
      data: {
        provider: 'whatsapp',
        waba_id: change.wabaId,
        phone_number_id: change.phoneNumberId,
        business_phone: change.businessPhone,
        chat_id: from,
        message_id: wamid,
        from: { id: from, username: null, name, first_name: null, last_name: null, phone },
        phone,
        name,
        text: textOfMessage(message, type),
        message_type: type,
        reply_id: replyIdOf(message, type),
        reply_to_message_id: id(objectOf(message.context)?.id),
        sent_at: sentAt?.toISOString() ?? null,
        message,
      },
    };
  }

  private status(account: string, change: Change, status: Json): NormalizedEvent {
    const wamid = id(status.id);
    const value = textOf(status.status);
    if (!wamid || !value) throw new Error(`a WhatsApp status (${wamid ?? 'no id'}) has no id or no status`);
    const at = unixDate(status.timestamp);
    const recipient = id(status.recipient_id);
    return {
      eventType: 'message.status_changed',
      eventSubtype: value,
      entityType: 'message',
      entityId: wamid,
      entityKey: `whatsapp:${account}:message:${wamid}`,
      occurredAt: at,
      data: {
        provider: 'whatsapp',
        waba_id: change.wabaId,
        phone_number_id: change.phoneNumberId,
        business_phone: change.businessPhone,
        message_id: wamid,
        status: value,
        chat_id: recipient,
        recipient_id: recipient,
        phone: normalizePhone(recipient),
        changed_at: at?.toISOString() ?? null,
        conversation: objectOf(status.conversation),
        pricing: objectOf(status.pricing),
        errors: objectsOf(status.errors),
        biz_opaque_callback_data: textOf(status.biz_opaque_callback_data),
      },
    };
  }

  private error(change: Change, error: Json): NormalizedEvent {
    const code = id(error.code);
    return {
      eventType: 'whatsapp.error',
      eventSubtype: code,
      data: {
        provider: 'whatsapp',
        waba_id: change.wabaId,
        phone_number_id: change.phoneNumberId,
        code,
        title: textOf(error.title),
        message: textOf(error.message),
        details: textOf(objectOf(error.error_data)?.details),
        href: textOf(error.href),
      },
    };
  }

  private other(change: Change): NormalizedEvent {
    return {
      eventType: `whatsapp.${change.field.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}`,
      eventSubtype: textOf(change.value.event)?.toLowerCase() ?? null,
      data: { provider: 'whatsapp', waba_id: change.wabaId, field: change.field, value: change.value },
    };
  }
}
