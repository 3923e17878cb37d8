import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';

type Json = Record<string, unknown>;

const objectOf = (value: unknown): Json | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;

/** Ids as strings: Telegram sends numbers (up to 52 bits), which some consumers cannot hold exactly. */
const id = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'string' && value !== ''
      ? value
      : null;

const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Telegram's `date` (unix seconds) as a Date. */
const unixDate = (value: unknown): Date | null =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? new Date(value * 1000) : null;

/** A phone number as `+<digits>` (Telegram contacts come with or without the +, sometimes with spaces). */
export function normalizePhone(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const digits = value.replace(/[^\d]/g, '');
  return digits.length >= 5 ? `+${digits}` : null;
}

/** Update kinds that carry a Message, and the event each becomes. */
const MESSAGE_KINDS: Record<string, 'message.received' | 'message.edited'> = {
  message: 'message.received',
  channel_post: 'message.received',
  business_message: 'message.received',
  edited_message: 'message.edited',
  edited_channel_post: 'message.edited',
  edited_business_message: 'message.edited',
};

/** What a message carries, most specific first (an animation also has `document`). */
const CONTENT_KINDS = [
  'text',
  'animation',
  'photo',
  'video',
  'video_note',
  'voice',
  'audio',
  'document',
  'sticker',
  'contact',
  'venue',
  'location',
  'poll',
  'dice',
  'game',
  'invoice',
  'story',
  'paid_media',
  'giveaway',
  'giveaway_winners',
];

/** Service messages: something happened in the chat, nobody wrote anything. */
const SERVICE_KINDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'successful_payment',
  'refunded_payment',
  'users_shared',
  'chat_shared',
  'connected_website',
  'write_access_allowed',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'giveaway_created',
  'giveaway_completed',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
  'passport_data',
];

/** A Telegram User (or the chat a channel post is signed by) in the shape every chat provider's `from` has. */
function person(user: Json | null, sender: Json | null): Json | null {
  if (user) {
    const first = textOf(user.first_name);
    const last = textOf(user.last_name);
    return {
      id: id(user.id),
      username: textOf(user.username),
      name: [first, last].filter(Boolean).join(' ') || null,
      first_name: first,
      last_name: last,
      phone: null,
      is_bot: user.is_bot === true,
      language_code: textOf(user.language_code),
    };
  }
  if (sender) {
    return {
      id: id(sender.id),
      username: textOf(sender.username),
      name: textOf(sender.title),
      first_name: null,
      last_name: null,
      phone: null,
      is_bot: false,
      language_code: null,
    };
  }
  return null;
}

/**
 * Who wrote a message, and the phone of a shared contact: a user sharing their own contact (a request_contact
 * keyboard) tells us their phone, so it is set on `from` too.
 */
function senderOf(message: Json): { from: Json | null; phone: string | null; contact: Json | null } {
  const from = person(objectOf(message.from), objectOf(message.sender_chat));
  const shared = objectOf(message.contact);
  const phone = normalizePhone(shared?.phone_number);
  if (from && phone && id(shared?.user_id) === from.id) from.phone = phone;
  const contact = shared
    ? { phone, first_name: textOf(shared.first_name), last_name: textOf(shared.last_name), user_id: id(shared.user_id) }
    : null;
  return { from, phone, contact };
}

/** `/start@my_bot promo_42` → `{command: 'start', args: 'promo_42'}` when the text opens with a bot command. */
function commandOf(message: Json, text: string | null): { command: string; args: string } | null {
  const entities: unknown[] = Array.isArray(message.entities) ? message.entities : [];
  const first = objectOf(entities[0]);
  if (!text || first?.type !== 'bot_command' || first.offset !== 0 || typeof first.length !== 'number') return null;
  const command = text.slice(1, first.length).split('@')[0];
  return { command, args: text.slice(first.length).trim() };
}

function messageTypeOf(message: Json): { type: string; service: boolean } {
  const content = CONTENT_KINDS.find((k) => message[k] !== undefined);
  if (content) return { type: content, service: false };
  const service = SERVICE_KINDS.find((k) => message[k] !== undefined);
  return service ? { type: service, service: true } : { type: 'other', service: false };
}

/**
 * Telegram Bot API updates (one per request): messages → `message.received`, edits → `message.edited`, service
 * messages (members joining, pins, payments…) → `telegram.service_message`, button presses →
 * `callback_query.received`, every other update kind → `telegram.<kind>`. A message's entity is the message itself
 * (`<chat id>:<message id>`), so an edit is ordered after its message and a late message is never dropped as stale.
 */
export class TelegramNormalizer implements ProviderNormalizer {
  dedupKey(request: InboundRequest): string | null {
    return id(objectOf(request.payload)?.update_id);
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    const update = objectOf(request.payload);
    const updateId = id(update?.update_id);
    if (!update || !updateId) throw new Error('not a Telegram Update: update_id is missing');
    const kind = Object.keys(update).find((k) => k !== 'update_id' && objectOf(update[k]) !== null);
    if (!kind) throw new Error(`Telegram update ${updateId} holds no update object (message, callback_query, …)`);
    const body = objectOf(update[kind])!;
    const context = { telegram_update_id: updateId, telegram_update_kind: kind };
    const account = request.source.id;
    const event =
      kind in MESSAGE_KINDS
        ? this.message(account, updateId, kind, body)
        : kind === 'callback_query'
          ? this.callbackQuery(account, updateId, body)
          : this.other(account, updateId, kind, body);
    return [{ ...event, context }];
  }

  private message(account: string, updateId: string, kind: string, message: Json): NormalizedEvent {
    const chat = objectOf(message.chat);
    const chatId = id(chat?.id);
    const messageId = id(message.message_id);
    if (!chatId || !messageId) {
      throw new Error(`Telegram update ${updateId}: the ${kind} has no chat.id or message_id`);
    }
    const { type, service } = messageTypeOf(message);
    const text = textOf(message.text) ?? textOf(message.caption);
    const command = commandOf(message, textOf(message.text));
    const { from, phone, contact } = senderOf(message);
    const edited = MESSAGE_KINDS[kind] === 'message.edited';
    const occurredAt = (edited ? unixDate(message.edit_date) : null) ?? unixDate(message.date);
    return {
      eventType: service ? 'telegram.service_message' : MESSAGE_KINDS[kind],
      eventSubtype: command ? 'command' : type,
      entityType: 'message',
      entityId: `${chatId}:${messageId}`,
      entityKey: `telegram:${account}:message:${chatId}:${messageId}`,
      occurredAt,
      data: {
        provider: 'telegram',
        update_id: updateId,
        update_kind: kind,
        chat_id: chatId,
        chat_type: textOf(chat?.type),
        chat_title: textOf(chat?.title),
        chat_username: textOf(chat?.username),
        message_id: messageId,
        thread_id: id(message.message_thread_id),
        from,
        text,
        message_type: command ? 'command' : type,
        command: command?.command ?? null,
        command_args: command?.args ?? null,
        phone,
        contact,
        reply_to_message_id: id(objectOf(message.reply_to_message)?.message_id),
        business_connection_id: textOf(message.business_connection_id),
        sent_at: unixDate(message.date)?.toISOString() ?? null,
        edited_at: unixDate(message.edit_date)?.toISOString() ?? null,
        message,
      },
    };
  }

  private callbackQuery(account: string, updateId: string, query: Json): NormalizedEvent {
    const queryId = id(query.id);
    if (!queryId) throw new Error(`Telegram update ${updateId}: the callback_query has no id`);
    const message = objectOf(query.message);
    return {
      eventType: 'callback_query.received',
      entityType: 'callback_query',
      entityId: queryId,
      entityKey: `telegram:${account}:callback_query:${queryId}`,
      data: {
        provider: 'telegram',
        update_id: updateId,
        callback_query_id: queryId,
        callback_data: textOf(query.data),
        game_short_name: textOf(query.game_short_name),
        chat_id: id(objectOf(message?.chat)?.id),
        message_id: id(message?.message_id),
        inline_message_id: textOf(query.inline_message_id),
        chat_instance: textOf(query.chat_instance),
        from: person(objectOf(query.from), null),
        callback_query: query,
      },
    };
  }

  /** inline queries, polls, chat members, reactions, boosts, business connections, and kinds not yet known. */
  private other(account: string, updateId: string, kind: string, body: Json): NormalizedEvent {
    const chatId = id(objectOf(body.chat)?.id);
    const entity = otherEntity(body, chatId);
    const newMember = objectOf(body.new_chat_member);
    const boost = objectOf(body.boost);
    return {
      eventType: `telegram.${kind.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}`,
      eventSubtype: textOf(newMember?.status),
      entityType: entity ? kind : null,
      entityId: entity,
      entityKey: entity ? `telegram:${account}:${kind}:${entity}` : null,
      occurredAt: unixDate(body.date) ?? unixDate(boost?.add_date) ?? unixDate(body.remove_date),
      data: {
        provider: 'telegram',
        update_id: updateId,
        update_kind: kind,
        chat_id: chatId,
        from: person(objectOf(body.from) ?? objectOf(body.user) ?? objectOf(newMember?.user), null),
        [kind]: body,
      },
    };
  }
}

/**
 * The id of what a non-message update is about, when it has one: its own id (inline and shipping queries, polls,
 * business connections), else the chat and the message, boost or member it concerns. A reaction is one person's, so
 * one person's reactions are ordered without making another's stale.
 */
function otherEntity(body: Json, chatId: string | null): string | null {
  const own = id(body.id);
  if (own) return own;
  const actor = id(objectOf(body.user)?.id) ?? id(objectOf(body.actor_chat)?.id) ?? id(objectOf(body.voter_chat)?.id);
  const messageId = id(body.message_id);
  if (chatId && messageId) return actor ? `${chatId}:${messageId}:${actor}` : `${chatId}:${messageId}`;
  const boostId = id(objectOf(body.boost)?.boost_id) ?? id(body.boost_id);
  if (chatId && boostId) return `${chatId}:${boostId}`;
  const member = id(objectOf(objectOf(body.new_chat_member)?.user)?.id) ?? id(objectOf(body.from)?.id);
  if (chatId && member) return `${chatId}:${member}`;
  const pollId = id(body.poll_id);
  if (pollId && actor) return `${pollId}:${actor}`;
  return null;
}
