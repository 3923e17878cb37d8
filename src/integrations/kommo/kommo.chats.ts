import type { NormalizedEvent, SourceConfig } from '../provider';
import { Dict, dig, isDict, kommoTime, text } from './kommo.fields';

/**
 * Kommo Chats API (amojo) hooks: JSON sent once to a chat channel, signed with `X-Signature`
 * (hex HMAC-SHA1 of the body with the channel secret, scheme `kommo-chats`). v2 message hooks
 * (a manager's message leaving Kommo), reaction and typing hooks.
 */

export type ChatsHook = 'message' | 'reaction' | 'typing' | 'v1';

/** Which Chats API hook the payload is, or null when it is not one. */
export function chatsHookOf(payload: unknown): ChatsHook | null {
  if (!isDict(payload)) return null;
  const message = payload.message;
  if (isDict(message) && (isDict(message.message) || isDict(message.conversation))) return 'message';
  if (isDict(dig(payload, 'action', 'reaction'))) return 'reaction';
  if (isDict(dig(payload, 'action', 'typing'))) return 'typing';
  if (text(payload.conversation_id) !== null && text(payload.msec_timestamp) !== null) return 'v1';
  return null;
}

/** The key that drops a second copy of the same message hook; null for the others (the body hash applies). */
export function chatsDedupKey(payload: Dict): string | null {
  if (chatsHookOf(payload) !== 'message') return null;
  const id = text(dig(payload, 'message', 'message', 'id'));
  return id ? `kommo-chats:${text(payload.account_id) ?? '-'}:message:${id}` : null;
}

/** The account part of entity keys: the source's CRM account when configured, else the amojo account id. */
function accountKeyOf(payload: Dict, config: SourceConfig): string {
  const key = text(config.account_id) ?? text(config.subdomain)?.toLowerCase() ?? text(payload.account_id);
  if (!key) throw new Error('no account: the Chats API hook has no account_id and the source config has no account_id');
  return key;
}

/** The events of a Chats API hook; throws for bodies that lack what they need. */
export function chatsEvents(payload: Dict, config: SourceConfig): NormalizedEvent[] {
  const hook = chatsHookOf(payload);
  const account = { amojo_id: text(payload.account_id) };
  switch (hook) {
    case 'message':
      return [messageEvent(payload, accountKeyOf(payload, config), account)];
    case 'reaction':
      return [reactionEvent(payload, accountKeyOf(payload, config), account)];
    case 'typing':
      return [typingEvent(payload, accountKeyOf(payload, config), account)];
    case 'v1':
      throw new Error('Chats API v1 hooks are not supported (they carry no message id): set the channel to hook v2');
    case null:
      throw new Error('not a Kommo Chats API hook: expected message[message][id], action[reaction] or action[typing]');
  }
}

function messageEvent(payload: Dict, accountKey: string, account: Dict): NormalizedEvent {
  const hook = payload.message as Dict;
  const id = text(dig(hook, 'message', 'id'));
  if (!id) throw new Error('message[message][id] is missing: a Chats API message hook needs the message id');
  const at = kommoTime(hook.msec_timestamp) ?? kommoTime(hook.timestamp) ?? kommoTime(payload.time);
  return {
    eventType: 'message.sent',
    eventSubtype: 'message_sent',
    entityType: 'message',
    entityId: id,
    entityKey: `kommo:${accountKey}:message:${id}`,
    data: {
      account,
      conversation: hook.conversation ?? null,
      sender: hook.sender ?? null,
      receiver: hook.receiver ?? null,
      source: hook.source ?? null,
      message: hook.message,
      occurred_at: at?.toISOString() ?? null,
    },
    occurredAt: at,
  };
}

function reactionEvent(payload: Dict, accountKey: string, account: Dict): NormalizedEvent {
  const reaction = dig(payload, 'action', 'reaction') as Dict;
  const id = text(dig(reaction, 'message', 'id')) ?? text(reaction.msgid);
  if (!id) throw new Error('action[reaction][message][id] is missing: a reaction hook needs the message id');
  const removed = text(reaction.type)?.toLowerCase() === 'unreact';
  const eventType = removed ? 'message.reaction_removed' : 'message.reaction_added';
  const at = kommoTime(payload.time);
  return {
    eventType,
    eventSubtype: eventType.replace('.', '_'),
    entityType: 'message',
    entityId: id,
    entityKey: `kommo:${accountKey}:message:${id}`,
    data: {
      account,
      conversation: reaction.conversation ?? null,
      user: reaction.user ?? null,
      emoji: text(reaction.emoji),
      message_id: id,
      occurred_at: at?.toISOString() ?? null,
    },
    occurredAt: at,
  };
}

function typingEvent(payload: Dict, accountKey: string, account: Dict): NormalizedEvent {
  const typing = dig(payload, 'action', 'typing') as Dict;
  const id = text(dig(typing, 'conversation', 'id'));
  if (!id) throw new Error('action[typing][conversation][id] is missing: a typing hook needs the chat id');
  const at = kommoTime(payload.time);
  return {
    eventType: 'chat.typing',
    eventSubtype: 'chat_typing',
    entityType: 'chat',
    entityId: id,
    entityKey: `kommo:${accountKey}:chat:${id}`,
    data: {
      account,
      conversation: typing.conversation,
      user: typing.user ?? null,
      expires_at: kommoTime(typing.expired_at)?.toISOString() ?? null,
      occurred_at: at?.toISOString() ?? null,
    },
    occurredAt: at,
  };
}
