import { createHash } from 'node:crypto';
import { parsePayload } from '../../webhooks/payload';
import type { Source } from '../../webhooks/source.entity';
import { verifierFor } from '../../webhooks/verification';
import { fixtureInput, loadFixture } from '../../webhooks/verification/testing/provider-fixtures';
import type { InboundRequest } from '../provider';
import { normalizePhone, WhatsappNormalizer } from './whatsapp.normalizer';

const APP_SECRET = 'test_whatsapp_app_secret_0123456789';
const WAMID_IN = 'wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQUI0NkE4NjM1QTU2NjVGOURGQgA=';
const WAMID_OUT = 'wamid.HBgLNzkxNjEyMzQ1NjcVAgARGBI0RjM2QkI5QjlCQkQ4QjY1OEUA';
const METADATA = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };

const source = { id: 'src_wa', provider: 'whatsapp', config: {} } as unknown as Source;
const normalizer = new WhatsappNormalizer();
const request = (payload: unknown): InboundRequest => ({ source, payload, headers: {}, kind: null });

/** A notification with one `messages` change holding `value`. */
const notification = (value: Record<string, unknown>, field = 'messages') => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [{ value: { messaging_product: 'whatsapp', metadata: METADATA, ...value }, field }],
    },
  ],
});

/** The status-delivered sample of the notes: statuses[] with conversation and pricing. */
const delivered = (status = 'delivered', id = WAMID_OUT, timestamp = '1726140360') => ({
  id,
  status,
  timestamp,
  recipient_id: '79161234567',
  conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
  pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
});

const message = (id: string, from = '79161234567', text = 'Привет') => ({
  from,
  id,
  timestamp: '1726140300',
  type: 'text',
  text: { body: text },
});

describe('WhatsappNormalizer', () => {
  describe('inbound-text-message (the fixture)', () => {
    const fixture = loadFixture('whatsapp', 'inbound-text-message');
    const payload = parsePayload(fixture.body, 'json');

    it('is signed with the app secret over the \\u-escaped bytes', () => {
      expect(verifierFor('whatsapp').verify(fixtureInput(fixture, APP_SECRET))).toEqual({ ok: true });
    });

    it('dedups on the wamid', () => {
      expect(normalizer.dedupKey(request(payload))).toBe(WAMID_IN);
    });

    it('is message.received/text from +79161234567 (Анна Смирнова), keyed by the wamid', () => {
      expect(normalizer.normalize(request(payload))).toEqual([
        {
          eventType: 'message.received',
          eventSubtype: 'text',
          entityType: 'message',
          entityId: WAMID_IN,
          entityKey: `whatsapp:106540352242922:message:${WAMID_IN}`,
          occurredAt: new Date('2024-09-12T11:25:00.000Z'),
          context: { whatsapp_items: { messages: 1, statuses: 0, errors: 0, other: 0 } },
          data: {
            provider: 'whatsapp',
            waba_id: '102290129340398',
            phone_number_id: '106540352242922',
            business_phone: '+15550783881',
            chat_id: '79161234567',
            message_id: WAMID_IN,
            from: {
              id: '79161234567',
              username: null,
              name: 'Анна Смирнова',
              first_name: null,
              last_name: null,
              phone: '+79161234567',
            },
            phone: '+79161234567',
            name: 'Анна Смирнова',
            text: 'Привет! Есть свободное время завтра?',
            message_type: 'text',
            reply_id: null,
            reply_to_message_id: null,
            sent_at: '2024-09-12T11:25:00.000Z',
            message: (payload as { entry: { changes: { value: { messages: unknown[] } }[] }[] }).entry[0].changes[0]
              .value.messages[0],
          },
        },
      ]);
    });
  });

  describe('status-delivered (the sample of the notes)', () => {
    const payload = notification({ statuses: [delivered()] });

    it('dedups on the wamid and the status, so delivered and read of one message are both kept', () => {
      expect(normalizer.dedupKey(request(payload))).toBe(`${WAMID_OUT}:delivered`);
      expect(normalizer.dedupKey(request(notification({ statuses: [delivered('read')] })))).toBe(`${WAMID_OUT}:read`);
    });

    it('is message.status_changed/delivered keyed by the sent message, with conversation and pricing', () => {
      expect(normalizer.normalize(request(payload))).toEqual([
        {
          eventType: 'message.status_changed',
          eventSubtype: 'delivered',
          entityType: 'message',
          entityId: WAMID_OUT,
          entityKey: `whatsapp:106540352242922:message:${WAMID_OUT}`,
          occurredAt: new Date('2024-09-12T11:26:00.000Z'),
          context: { whatsapp_items: { messages: 0, statuses: 1, errors: 0, other: 0 } },
          data: {
            provider: 'whatsapp',
            waba_id: '102290129340398',
            phone_number_id: '106540352242922',
            business_phone: '+15550783881',
            message_id: WAMID_OUT,
            status: 'delivered',
            chat_id: '79161234567',
            recipient_id: '79161234567',
            phone: '+79161234567',
            changed_at: '2024-09-12T11:26:00.000Z',
            conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
            pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
            errors: [],
            biz_opaque_callback_data: null,
          },
        },
      ]);
    });

    it('a failed status carries its errors', () => {
      const failed = {
        ...delivered('failed'),
        errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }],
      };
      const [event] = normalizer.normalize(request(notification({ statuses: [failed] })));
      expect(event).toMatchObject({ eventSubtype: 'failed', data: { status: 'failed', errors: [{ code: 131047 }] } });
    });
  });

  describe('batches: every entry, change and item', () => {
    const batch = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: METADATA,
                contacts: [
                  { profile: { name: 'Анна' }, wa_id: '79161234567' },
                  { profile: { name: 'Борис' }, wa_id: '79169999999' },
                ],
                messages: [message('wamid.A', '79161234567', 'раз'), message('wamid.B', '79169999999', 'два')],
              },
            },
            { field: 'messages', value: { metadata: METADATA, statuses: [delivered('read', 'wamid.C')] } },
          ],
        },
        {
          id: '200000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { display_phone_number: '15550000002', phone_number_id: '222' },
                statuses: [delivered('sent', 'wamid.D')],
              },
            },
          ],
        },
      ],
    };

    it('one request → one event per message and status, each with its own number and contact name', () => {
      const events = normalizer.normalize(request(batch));
      expect(events.map((e) => [e.eventType, e.eventSubtype, e.entityKey, e.data.name ?? null])).toEqual([
        ['message.received', 'text', 'whatsapp:106540352242922:message:wamid.A', 'Анна'],
        ['message.received', 'text', 'whatsapp:106540352242922:message:wamid.B', 'Борис'],
        ['message.status_changed', 'read', 'whatsapp:106540352242922:message:wamid.C', null],
        ['message.status_changed', 'sent', 'whatsapp:222:message:wamid.D', null],
      ]);
      expect(events[0].context).toEqual({ whatsapp_items: { messages: 2, statuses: 2, errors: 0, other: 0 } });
    });

    it('dedups a batch on a hash of all its item ids, whatever their order', () => {
      const keys = ['wamid.A', 'wamid.B', 'wamid.C:read', 'wamid.D:sent'].sort().join('\n');
      const expected = `batch:${createHash('sha256').update(keys).digest('hex')}`;
      expect(normalizer.dedupKey(request(batch))).toBe(expected);
      const reversed = { ...batch, entry: [...batch.entry].reverse() };
      expect(normalizer.dedupKey(request(reversed))).toBe(expected);
    });
  });

  describe('message types', () => {
    it.each([
      [
        'image',
        { type: 'image', image: { id: 'm1', mime_type: 'image/jpeg', sha256: 'x', caption: 'чек' } },
        'чек',
        null,
      ],
      [
        'interactive button_reply',
        { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes-42', title: 'Да' } } },
        'Да',
        'yes-42',
      ],
      [
        'interactive list_reply',
        { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'slot-3', title: '15:00' } } },
        '15:00',
        'slot-3',
      ],
      [
        'template button',
        { type: 'button', button: { text: 'Отменить', payload: 'cancel-42' } },
        'Отменить',
        'cancel-42',
      ],
      ['reaction', { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }, '👍', null],
      ['location', { type: 'location', location: { latitude: 55.75, longitude: 37.61, name: 'Офис' } }, 'Офис', null],
      ['unsupported', { type: 'unsupported', errors: [{ code: 131051 }] }, null, null],
    ])('%s: subtype is the type, text is what the person sees', (_case, content, text, replyId) => {
      const item = { from: '79161234567', id: 'wamid.T', timestamp: '1726140300', ...content };
      const [event] = normalizer.normalize(request(notification({ contacts: [], messages: [item] })));
      expect(event.eventSubtype).toBe(content.type);
      expect(event.data).toMatchObject({ message_type: content.type, text, reply_id: replyId, name: null });
    });

    it('a reply names the message it answers', () => {
      const item = { ...message('wamid.R'), context: { from: '15550783881', id: WAMID_OUT } };
      const [event] = normalizer.normalize(request(notification({ messages: [item] })));
      expect(event.data.reply_to_message_id).toBe(WAMID_OUT);
    });
  });

  describe('errors and other fields', () => {
    it('out-of-band errors are whatsapp.error with the code as subtype', () => {
      const payload = notification({
        errors: [
          {
            code: 130429,
            title: 'Rate limit hit',
            message: 'Rate limit hit',
            error_data: { details: 'Cloud API message throughput has been reached.' },
          },
        ],
      });
      expect(normalizer.dedupKey(request(payload))).toBeNull();
      expect(normalizer.normalize(request(payload))).toEqual([
        {
          eventType: 'whatsapp.error',
          eventSubtype: '130429',
          data: {
            provider: 'whatsapp',
            waba_id: '102290129340398',
            phone_number_id: '106540352242922',
            code: '130429',
            title: 'Rate limit hit',
            message: 'Rate limit hit',
            details: 'Cloud API message throughput has been reached.',
            href: null,
          },
          context: { whatsapp_items: { messages: 0, statuses: 0, errors: 1, other: 0 } },
        },
      ]);
    });

    it('a template status update is whatsapp.message_template_status_update/approved', () => {
      const payload = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                field: 'message_template_status_update',
                value: {
                  event: 'APPROVED',
                  message_template_id: 594425479261596,
                  message_template_name: 'booking_reminder',
                  message_template_language: 'ru',
                  reason: 'NONE',
                },
              },
            ],
          },
        ],
      };
      const [event] = normalizer.normalize(request(payload));
      expect(event).toMatchObject({
        eventType: 'whatsapp.message_template_status_update',
        eventSubtype: 'approved',
        data: { field: 'message_template_status_update', value: { message_template_name: 'booking_reminder' } },
      });
    });
  });

  describe('bodies that are not WhatsApp notifications', () => {
    it.each([
      [
        'no entry',
        { object: 'whatsapp_business_account' },
        'not a WhatsApp Cloud API notification: entry[] is missing',
      ],
      [
        'an empty messages change',
        notification({}),
        'the WhatsApp notification holds no messages, statuses, errors or other changes',
      ],
      [
        'a message without from',
        notification({ messages: [{ id: 'wamid.Z', type: 'text' }] }),
        'a WhatsApp message (wamid.Z) has no id or no from',
      ],
      [
        'a status without status',
        notification({ statuses: [{ id: 'wamid.Z' }] }),
        'a WhatsApp status (wamid.Z) has no id or no status',
      ],
    ])('%s throws a readable error', (_case, payload, error) => {
      expect(() => normalizer.normalize(request(payload))).toThrow(error);
    });

    it('has no dedup key when nothing carries an id', () => {
      expect(normalizer.dedupKey(request({ hello: 'world' }))).toBeNull();
    });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['79161234567', '+79161234567'],
    [79161234567, '+79161234567'],
    ['+1 555-078-3881', '+15550783881'],
    [null, null],
    ['', null],
  ])('%p → %p', (given, expected) => {
    expect(normalizePhone(given)).toBe(expected);
  });
});
