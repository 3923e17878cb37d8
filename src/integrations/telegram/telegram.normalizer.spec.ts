import { parsePayload } from '../../webhooks/payload';
import type { Source } from '../../webhooks/source.entity';
import { verifierFor } from '../../webhooks/verification';
import { fixtureInput, loadFixture } from '../../webhooks/verification/testing/provider-fixtures';
import type { InboundRequest, NormalizedEvent } from '../provider';
import { normalizePhone, TelegramNormalizer } from './telegram.normalizer';

const source = { id: 'src_tg', provider: 'telegram', config: {} } as unknown as Source;
const normalizer = new TelegramNormalizer();

const request = (payload: unknown): InboundRequest => ({ source, payload, headers: {}, kind: null });
const one = (payload: unknown): NormalizedEvent => {
  const events = normalizer.normalize(request(payload));
  expect(events).toHaveLength(1);
  return events[0];
};

const IVAN = { id: 123456789, is_bot: false, first_name: 'Иван', last_name: 'Петров', username: 'ivan_p' };
const PRIVATE = { id: 123456789, first_name: 'Иван', type: 'private' };
const GROUP = { id: -1001234567890, title: 'Клиенты', type: 'supergroup' };

describe('TelegramNormalizer', () => {
  describe('update-message-command (the fixture)', () => {
    const fixture = loadFixture('telegram', 'update-message-command');
    const payload = parsePayload(fixture.body, 'json');

    it('is verified by its secret token header', () => {
      expect(verifierFor('telegram').verify(fixtureInput(fixture, 'tg-Secret_Token-123'))).toEqual({ ok: true });
    });

    it('dedups on update_id', () => {
      expect(normalizer.dedupKey(request(payload))).toBe('872356104');
    });

    it('is message.received/command about the message, with the \\u-escaped Cyrillic decoded', () => {
      expect(normalizer.normalize({ ...request(payload), headers: fixture.headers })).toEqual([
        {
          eventType: 'message.received',
          eventSubtype: 'command',
          entityType: 'message',
          entityId: '123456789:4021',
          entityKey: 'telegram:src_tg:message:123456789:4021',
          occurredAt: new Date('2024-09-12T11:23:20.000Z'),
          context: { telegram_update_id: '872356104', telegram_update_kind: 'message' },
          data: {
            provider: 'telegram',
            update_id: '872356104',
            update_kind: 'message',
            chat_id: '123456789',
            chat_type: 'private',
            chat_title: null,
            chat_username: 'ivan_p',
            message_id: '4021',
            thread_id: null,
            from: {
              id: '123456789',
              username: 'ivan_p',
              name: 'Иван Петров',
              first_name: 'Иван',
              last_name: 'Петров',
              phone: null,
              is_bot: false,
              language_code: 'ru',
            },
            text: '/start promo_42',
            message_type: 'command',
            command: 'start',
            command_args: 'promo_42',
            phone: null,
            contact: null,
            reply_to_message_id: null,
            business_connection_id: null,
            sent_at: '2024-09-12T11:23:20.000Z',
            edited_at: null,
            message: (payload as { message: unknown }).message,
          },
        },
      ]);
    });
  });

  describe('callback_query (the update-callback-query sample of the notes)', () => {
    const payload = {
      update_id: 872356105,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: IVAN,
        message: {
          message_id: 4022,
          from: { id: 7000000001, is_bot: true, first_name: 'Shop' },
          chat: PRIVATE,
          date: 1726140210,
          text: 'Подтвердить заказ #42?',
        },
        chat_instance: '-6786781427316431281',
        data: 'confirm:42',
      },
    };

    it('is callback_query.received with the button data, the chat and the message it was pressed under', () => {
      expect(normalizer.dedupKey(request(payload))).toBe('872356105');
      expect(one(payload)).toEqual({
        eventType: 'callback_query.received',
        entityType: 'callback_query',
        entityId: '4382bfdwdsb323b2d9',
        entityKey: 'telegram:src_tg:callback_query:4382bfdwdsb323b2d9',
        context: { telegram_update_id: '872356105', telegram_update_kind: 'callback_query' },
        data: {
          provider: 'telegram',
          update_id: '872356105',
          callback_query_id: '4382bfdwdsb323b2d9',
          callback_data: 'confirm:42',
          game_short_name: null,
          chat_id: '123456789',
          message_id: '4022',
          inline_message_id: null,
          chat_instance: '-6786781427316431281',
          from: {
            id: '123456789',
            username: 'ivan_p',
            name: 'Иван Петров',
            first_name: 'Иван',
            last_name: 'Петров',
            phone: null,
            is_bot: false,
            language_code: null,
          },
          callback_query: payload.callback_query,
        },
      });
    });

    it('a press on an inline-mode message has no chat', () => {
      const event = one({ update_id: 1, callback_query: { id: '9', from: IVAN, inline_message_id: 'AAA', data: 'x' } });
      expect(event.data).toMatchObject({ chat_id: null, message_id: null, inline_message_id: 'AAA' });
    });
  });

  describe('messages', () => {
    const base = { message_id: 17, from: IVAN, chat: PRIVATE, date: 1726140200 };

    it('plain text is message.received/text', () => {
      const event = one({ update_id: 2, message: { ...base, text: 'Здравствуйте, есть запись на завтра?' } });
      expect([event.eventType, event.eventSubtype]).toEqual(['message.received', 'text']);
      expect(event.data).toMatchObject({
        text: 'Здравствуйте, есть запись на завтра?',
        command: null,
        command_args: null,
      });
    });

    it('a command addressed to the bot by name drops the @bot part', () => {
      const event = one({
        update_id: 3,
        message: {
          ...base,
          chat: GROUP,
          text: '/help@shop_bot',
          entities: [{ offset: 0, length: 14, type: 'bot_command' }],
        },
      });
      expect(event.data).toMatchObject({ message_type: 'command', command: 'help', command_args: '' });
    });

    it('a photo with a caption: the caption is the text', () => {
      const event = one({ update_id: 4, message: { ...base, photo: [{ file_id: 'a' }], caption: 'вот чек' } });
      expect([event.eventSubtype, event.data.text]).toEqual(['photo', 'вот чек']);
    });

    it('a shared contact gives the phone with +, and the sender’s own phone when it is theirs', () => {
      const own = one({
        update_id: 5,
        message: { ...base, contact: { phone_number: '79161234567', first_name: 'Иван', user_id: 123456789 } },
      });
      expect(own.eventSubtype).toBe('contact');
      expect(own.data).toMatchObject({
        phone: '+79161234567',
        contact: { phone: '+79161234567', first_name: 'Иван', last_name: null, user_id: '123456789' },
        from: { id: '123456789', phone: '+79161234567' },
      });
      const other = one({
        update_id: 6,
        message: { ...base, contact: { phone_number: '+7 (916) 765-43-21', first_name: 'Анна' } },
      });
      expect(other.data).toMatchObject({ phone: '+79167654321', from: { phone: null } });
    });

    it('a group message keeps the negative chat id and the chat title in strings', () => {
      const event = one({ update_id: 7, message: { ...base, chat: GROUP, text: 'hi' } });
      expect(event.entityKey).toBe('telegram:src_tg:message:-1001234567890:17');
      expect(event.data).toMatchObject({ chat_id: '-1001234567890', chat_type: 'supergroup', chat_title: 'Клиенты' });
    });

    it('an edit is message.edited on the same entity, at its edit_date', () => {
      const event = one({ update_id: 8, edited_message: { ...base, text: 'исправил', edit_date: 1726140260 } });
      expect(event).toMatchObject({
        eventType: 'message.edited',
        eventSubtype: 'text',
        entityKey: 'telegram:src_tg:message:123456789:17',
        occurredAt: new Date('2024-09-12T11:24:20.000Z'),
        data: {
          update_kind: 'edited_message',
          edited_at: '2024-09-12T11:24:20.000Z',
          sent_at: '2024-09-12T11:23:20.000Z',
        },
      });
    });

    it('a channel post is message.received signed by the channel', () => {
      const channel = { id: -1009876543210, title: 'Новости', username: 'shop_news', type: 'channel' };
      const event = one({
        update_id: 9,
        channel_post: { message_id: 5, sender_chat: channel, chat: channel, date: 1726140200, text: 'Акция' },
      });
      expect(event).toMatchObject({
        eventType: 'message.received',
        data: { update_kind: 'channel_post', chat_type: 'channel', from: { id: '-1009876543210', name: 'Новости' } },
      });
      const edited = one({
        update_id: 10,
        edited_channel_post: { message_id: 5, chat: channel, date: 1726140200, edit_date: 1726140300, text: 'Акция!' },
      });
      expect([edited.eventType, edited.data.from]).toEqual(['message.edited', null]);
    });

    it('a business message is message.received with its business connection', () => {
      const event = one({
        update_id: 11,
        business_message: { ...base, business_connection_id: 'bc1', text: 'Добрый день' },
      });
      expect(event.data).toMatchObject({ update_kind: 'business_message', business_connection_id: 'bc1' });
    });

    it('members joining is telegram.service_message/new_chat_members, not a message received', () => {
      const event = one({ update_id: 12, message: { ...base, chat: GROUP, new_chat_members: [IVAN] } });
      expect([event.eventType, event.eventSubtype, event.entityKey]).toEqual([
        'telegram.service_message',
        'new_chat_members',
        'telegram:src_tg:message:-1001234567890:17',
      ]);
    });

    it('content Hookhub does not know yet is still message.received, typed other', () => {
      const event = one({ update_id: 13, message: { ...base, some_future_thing: { a: 1 } } });
      expect([event.eventType, event.eventSubtype]).toEqual(['message.received', 'other']);
    });

    it('ids beyond 32 bits stay exact', () => {
      const event = one({
        update_id: 14,
        message: {
          ...base,
          from: { ...IVAN, id: 7123456789012 },
          chat: { id: 7123456789012, type: 'private' },
          text: 'x',
        },
      });
      expect(event.entityId).toBe('7123456789012:17');
      expect(event.data).toMatchObject({ from: { id: '7123456789012' } });
    });
  });

  describe('other update kinds → telegram.<kind>', () => {
    it('my_chat_member: the user blocked the bot (subtype kicked), keyed by chat and bot', () => {
      const bot = { id: 7000000001, is_bot: true, first_name: 'Shop', username: 'shop_bot' };
      const event = one({
        update_id: 20,
        my_chat_member: {
          chat: PRIVATE,
          from: IVAN,
          date: 1726140400,
          old_chat_member: { user: bot, status: 'member' },
          new_chat_member: { user: bot, status: 'kicked', until_date: 0 },
        },
      });
      expect(event).toMatchObject({
        eventType: 'telegram.my_chat_member',
        eventSubtype: 'kicked',
        entityType: 'my_chat_member',
        entityId: '123456789:7000000001',
        entityKey: 'telegram:src_tg:my_chat_member:123456789:7000000001',
        occurredAt: new Date('2024-09-12T11:26:40.000Z'),
        data: { chat_id: '123456789', from: { id: '123456789', username: 'ivan_p' } },
        context: { telegram_update_id: '20', telegram_update_kind: 'my_chat_member' },
      });
    });

    it('message_reaction: keyed by the message and the person reacting', () => {
      const event = one({
        update_id: 21,
        message_reaction: {
          chat: PRIVATE,
          message_id: 17,
          user: IVAN,
          date: 1726140500,
          old_reaction: [],
          new_reaction: [{ type: 'emoji', emoji: '👍' }],
        },
      });
      expect([event.eventType, event.entityKey]).toEqual([
        'telegram.message_reaction',
        'telegram:src_tg:message_reaction:123456789:17:123456789',
      ]);
    });

    it('poll_answer: keyed by poll and voter, no time', () => {
      const event = one({ update_id: 22, poll_answer: { poll_id: '5012', user: IVAN, option_ids: [1] } });
      expect(event).toMatchObject({ eventType: 'telegram.poll_answer', entityId: '5012:123456789', occurredAt: null });
    });

    it('pre_checkout_query: its own id, the amount left as Telegram sent it (integer minor units)', () => {
      const event = one({
        update_id: 23,
        pre_checkout_query: {
          id: 'pcq1',
          from: IVAN,
          currency: 'RUB',
          total_amount: 150000,
          invoice_payload: 'order-42',
        },
      });
      expect(event).toMatchObject({
        eventType: 'telegram.pre_checkout_query',
        entityKey: 'telegram:src_tg:pre_checkout_query:pcq1',
        data: { pre_checkout_query: { total_amount: 150000 } },
      });
    });

    it('an update kind added by a later Bot API version is telegram.<kind>', () => {
      const event = one({ update_id: 24, shiny_new_thing: { foo: 'bar' } });
      expect(event).toMatchObject({
        eventType: 'telegram.shiny_new_thing',
        entityKey: null,
        data: { shiny_new_thing: { foo: 'bar' } },
      });
    });
  });

  describe('bodies that are not Telegram updates', () => {
    it.each([
      ['no update_id', { message: { message_id: 1 } }, 'not a Telegram Update: update_id is missing'],
      [
        'only an update_id',
        { update_id: 30 },
        'Telegram update 30 holds no update object (message, callback_query, …)',
      ],
      [
        'a message without its chat',
        { update_id: 31, message: { message_id: 1, date: 1 } },
        'Telegram update 31: the message has no chat.id or message_id',
      ],
      [
        'a callback_query without id',
        { update_id: 32, callback_query: { data: 'x' } },
        'Telegram update 32: the callback_query has no id',
      ],
      ['an array', [{ update_id: 1 }], 'not a Telegram Update: update_id is missing'],
    ])('%s throws a readable error', (_case, payload, message) => {
      expect(() => normalizer.normalize(request(payload))).toThrow(message);
    });

    it('has no dedup key without update_id (ingest falls back to a hash of the body)', () => {
      expect(normalizer.dedupKey(request({ message: {} }))).toBeNull();
    });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['79161234567', '+79161234567'],
    ['+79161234567', '+79161234567'],
    ['+7 (916) 123-45-67', '+79161234567'],
    ['', null],
    ['12', null],
    [undefined, null],
  ])('%p → %p', (given, expected) => {
    expect(normalizePhone(given)).toBe(expected);
  });
});
