import { bodyKindOf, parsePayload } from '../../webhooks/payload';
import type { Source } from '../../webhooks/source.entity';
import { verifierFor } from '../../webhooks/verification';
import { atUnix, fixtureInput, loadFixture } from '../../webhooks/verification/testing/provider-fixtures';
import type { InboundRequest } from '../provider';
import { SlackNormalizer, slackTime } from './slack.normalizer';

const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const source = { id: 'src_slack', provider: 'slack', config: { api_app_id: 'A0456EFGH' } } as unknown as Source;
const normalizer = new SlackNormalizer();

/** A fixture as the processor sees it: parsed the way ingest parses it, with its headers. */
function requestOf(name: string, headers: Record<string, string> = {}): InboundRequest {
  const fixture = loadFixture('slack', name);
  const payload = parsePayload(fixture.body, bodyKindOf(fixture.headers['content-type'])!);
  return { source, payload, headers: { ...fixture.headers, ...headers }, kind: null };
}

/** A hand-made Events API delivery around `event`. */
function callback(event: Record<string, unknown>, extra: Record<string, unknown> = {}): InboundRequest {
  const payload = {
    token: 'XXYYZZ',
    team_id: 'T0123ABCD',
    api_app_id: 'A0456EFGH',
    event,
    type: 'event_callback',
    event_id: 'Ev0HANDMADE',
    event_time: 1726140100,
    authorizations: [{ enterprise_id: null, team_id: 'T0123ABCD', user_id: 'U0BOT1234', is_bot: true }],
    ...extra,
  };
  return { source, payload, headers: {}, kind: null };
}

describe('the Slack fixtures', () => {
  it.each([
    ['url-verification', 1726139990],
    ['event-callback-app-mention', 1726140000],
    ['slash-command-official-test-vector', 1531420618],
  ])('%s verifies with the signing secret at its own timestamp, and not an hour later', (name, ts) => {
    const fixture = loadFixture('slack', name);
    const verifier = verifierFor('slack');
    expect(verifier.verify(fixtureInput(fixture, SIGNING_SECRET, { now: atUnix(ts + 5) }))).toEqual({ ok: true });
    expect(verifier.verify(fixtureInput(fixture, SIGNING_SECRET, { now: atUnix(ts + 3600) }))).toMatchObject({
      ok: false,
    });
  });
});

describe('SlackNormalizer', () => {
  describe('event-callback-app-mention', () => {
    const request = requestOf('event-callback-app-mention');

    it('dedups on event_id', () => {
      expect(normalizer.dedupKey(request)).toBe('Ev07M3PQRSTU');
    });

    it('is slack.app_mention about the message, then message.received with the words, in raw UTF-8', () => {
      const [mention, received, ...rest] = normalizer.normalize(request);
      expect(rest).toEqual([]);
      const context = {
        slack_event_id: 'Ev07M3PQRSTU',
        slack_team_id: 'T0123ABCD',
        slack_api_app_id: 'A0456EFGH',
      };
      const occurredAt = new Date('2024-09-12T11:19:59.000Z');
      expect(mention).toEqual({
        eventType: 'slack.app_mention',
        eventSubtype: null,
        entityType: 'message',
        entityId: 'C0ABCDEF1:1726139999.000100',
        entityKey: 'slack:T0123ABCD:message:C0ABCDEF1:1726139999.000100',
        occurredAt,
        context,
        data: {
          team_id: 'T0123ABCD',
          api_app_id: 'A0456EFGH',
          event_id: 'Ev07M3PQRSTU',
          event_type: 'app_mention',
          event_subtype: null,
          occurred_at: '2024-09-12T11:19:59.000Z',
          event: (request.payload as { event: unknown }).event,
        },
      });
      expect(received).toEqual({
        eventType: 'message.received',
        eventSubtype: 'text',
        entityType: 'message',
        entityId: 'C0ABCDEF1:1726139999.000100',
        entityKey: 'slack:T0123ABCD:message:C0ABCDEF1:1726139999.000100',
        occurredAt,
        context,
        data: {
          provider: 'slack',
          team_id: 'T0123ABCD',
          chat_id: 'C0ABCDEF1',
          chat_type: null,
          message_id: '1726139999.000100',
          thread_id: null,
          from: { id: 'U0789IJKL', username: null, name: null, first_name: null, last_name: null, phone: null },
          text: '<@U0BOT1234> статус заказа #1548?',
          message_type: 'text',
          sent_at: '2024-09-12T11:19:59.000Z',
          slack_event_type: 'app_mention',
          event_id: 'Ev07M3PQRSTU',
        },
      });
    });

    it('keeps the legacy verification token out of the published data', () => {
      expect(JSON.stringify(normalizer.normalize(request))).not.toContain('XXYYZZ');
    });

    it('notes a Slack retry (X-Slack-Retry-Num) in the context, with the same dedup key', () => {
      const retried = requestOf('event-callback-app-mention', {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      });
      expect(normalizer.dedupKey(retried)).toBe('Ev07M3PQRSTU');
      expect(normalizer.normalize(retried)[0].context).toEqual({
        slack_event_id: 'Ev07M3PQRSTU',
        slack_team_id: 'T0123ABCD',
        slack_api_app_id: 'A0456EFGH',
        slack_retry_num: '1',
        slack_retry_reason: 'http_timeout',
      });
    });
  });

  describe('url-verification', () => {
    it('publishes nothing and has no provider id to dedup on (the route answers it, unstored)', () => {
      const request = requestOf('url-verification');
      expect(normalizer.normalize(request)).toEqual([]);
      expect(normalizer.dedupKey(request)).toBeNull();
    });
  });

  describe('slash-command-official-test-vector', () => {
    it('is slack.command with the command as subtype and the form fields as data', () => {
      const request = requestOf('slash-command-official-test-vector');
      expect(normalizer.dedupKey(request)).toBeNull();
      expect(normalizer.normalize(request)).toEqual([
        {
          eventType: 'slack.command',
          eventSubtype: '/webhook-collect',
          data: {
            team_id: 'T1DC2JH3J',
            team_domain: 'testteamnow',
            enterprise_id: null,
            api_app_id: null,
            channel_id: 'G8PSS9T3V',
            channel_name: 'foobar',
            user_id: 'U2CERLKJA',
            user_name: 'roadrunner',
            command: '/webhook-collect',
            text: '',
            response_url: 'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
            trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
          },
          context: { slack_team_id: 'T1DC2JH3J', slack_command: '/webhook-collect' },
        },
      ]);
    });
  });

  describe('hand-made Events API deliveries', () => {
    const message = {
      type: 'message',
      channel: 'D024BE91L',
      channel_type: 'im',
      user: 'U2147483697',
      text: 'Hello hello can you hear me?',
      ts: '1355517523.000005',
      event_ts: '1355517523.000005',
    };

    it('a direct message: slack.message and message.received, both about the message', () => {
      const events = normalizer.normalize(callback(message));
      expect(events.map((e) => [e.eventType, e.eventSubtype, e.entityKey])).toEqual([
        ['slack.message', null, 'slack:T0123ABCD:message:D024BE91L:1355517523.000005'],
        ['message.received', 'text', 'slack:T0123ABCD:message:D024BE91L:1355517523.000005'],
      ]);
      expect(events[1].data).toMatchObject({
        chat_id: 'D024BE91L',
        chat_type: 'im',
        from: { id: 'U2147483697' },
        text: 'Hello hello can you hear me?',
        slack_event_type: 'message',
      });
      expect(events[1].occurredAt).toEqual(new Date('2012-12-14T20:38:43.000Z'));
    });

    it('a thread reply carries its thread, a file share is still a person writing', () => {
      const [, reply] = normalizer.normalize(callback({ ...message, thread_ts: '1355517500.000001' }));
      expect(reply.data).toMatchObject({ thread_id: '1355517500.000001', message_type: 'text' });
      const [shared, file] = normalizer.normalize(callback({ ...message, subtype: 'file_share', files: [{}] }));
      expect(shared.eventSubtype).toBe('file_share');
      expect([file.eventType, file.eventSubtype]).toEqual(['message.received', 'file_share']);
    });

    it.each([
      ['a bot message (bot_id)', { ...message, bot_id: 'B0123', subtype: undefined }],
      ['a bot_message subtype', { ...message, subtype: 'bot_message', bot_id: 'B0123' }],
      ["the app's own bot user", { ...message, user: 'U0BOT1234' }],
      ['someone joining the channel', { ...message, subtype: 'channel_join' }],
      ['a deleted message', { type: 'message', subtype: 'message_deleted', channel: 'C1', deleted_ts: '1.000001' }],
    ])('%s is only slack.message, never message.received', (_case, event) => {
      const events = normalizer.normalize(callback(event));
      expect(events.map((e) => e.eventType)).toEqual(['slack.message']);
    });

    it('a deleted message keeps the key of the message it deletes', () => {
      const [deleted] = normalizer.normalize(
        callback({ type: 'message', subtype: 'message_deleted', channel: 'C1', deleted_ts: '1355517523.000005' }),
      );
      expect([deleted.eventSubtype, deleted.entityKey]).toEqual([
        'message_deleted',
        'slack:T0123ABCD:message:C1:1355517523.000005',
      ]);
    });

    it('an edit is slack.message/message_changed and message.edited, keyed by the original message', () => {
      const events = normalizer.normalize(
        callback({
          type: 'message',
          subtype: 'message_changed',
          hidden: true,
          channel: 'C0ABCDEF1',
          channel_type: 'channel',
          ts: '1726140050.000200',
          event_ts: '1726140050.000200',
          message: {
            type: 'message',
            user: 'U0789IJKL',
            text: 'статус заказа #1549?',
            ts: '1726139999.000100',
            edited: { user: 'U0789IJKL', ts: '1726140050.000000' },
          },
          previous_message: {
            type: 'message',
            user: 'U0789IJKL',
            text: 'статус заказа #1548?',
            ts: '1726139999.000100',
          },
        }),
      );
      expect(events.map((e) => [e.eventType, e.eventSubtype, e.entityKey])).toEqual([
        ['slack.message', 'message_changed', 'slack:T0123ABCD:message:C0ABCDEF1:1726139999.000100'],
        ['message.edited', 'text', 'slack:T0123ABCD:message:C0ABCDEF1:1726139999.000100'],
      ]);
      expect(events[1].data).toMatchObject({
        text: 'статус заказа #1549?',
        previous_text: 'статус заказа #1548?',
        message_id: '1726139999.000100',
        edited_at: '2024-09-12T11:20:50.000Z',
        sent_at: '2024-09-12T11:19:59.000Z',
      });
      expect(events[1].occurredAt).toEqual(new Date('2024-09-12T11:20:50.000Z'));
    });

    it('a reaction is slack.reaction_added with no entity (a late reaction is news, not stale)', () => {
      const [reaction, ...rest] = normalizer.normalize(
        callback({
          type: 'reaction_added',
          user: 'U0789IJKL',
          reaction: 'thumbsup',
          item: { type: 'message', channel: 'C0ABCDEF1', ts: '1726139999.000100' },
          event_ts: '1726140060.000300',
        }),
      );
      expect(rest).toEqual([]);
      expect(reaction).toMatchObject({
        eventType: 'slack.reaction_added',
        entityType: null,
        entityId: null,
        entityKey: null,
        occurredAt: new Date('2024-09-12T11:21:00.000Z'),
      });
    });

    it('channel and user state changes are keyed by the channel or the user', () => {
      const [renamed] = normalizer.normalize(
        callback({ type: 'channel_rename', channel: { id: 'C02ELGNBH', name: 'sales', created: 1360782804 } }),
      );
      expect(renamed.entityKey).toBe('slack:T0123ABCD:channel:C02ELGNBH');
      const [archived] = normalizer.normalize(callback({ type: 'channel_archive', channel: 'C02ELGNBH', user: 'U1' }));
      expect(archived.entityKey).toBe('slack:T0123ABCD:channel:C02ELGNBH');
      const [joined] = normalizer.normalize(
        callback({ type: 'team_join', user: { id: 'W012A3CDE', name: 'spengler' } }),
      );
      expect([joined.eventType, joined.entityKey]).toEqual(['slack.team_join', 'slack:T0123ABCD:user:W012A3CDE']);
      const [member] = normalizer.normalize(callback({ type: 'member_joined_channel', channel: 'C1', user: 'U1' }));
      expect(member.entityKey).toBeNull();
    });

    it('falls back to event_time when the event has no event_ts', () => {
      const [event] = normalizer.normalize(callback({ type: 'app_home_opened', user: 'U1', tab: 'home' }));
      expect(event.occurredAt).toEqual(new Date('2024-09-12T11:21:40.000Z'));
    });

    it('app_rate_limited becomes slack.app_rate_limited, deduplicated per minute', () => {
      const request: InboundRequest = {
        source,
        payload: {
          token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
          type: 'app_rate_limited',
          team_id: 'T123456',
          minute_rate_limited: 1518467820,
          api_app_id: 'A123456',
        },
        headers: {},
        kind: null,
      };
      expect(normalizer.dedupKey(request)).toBe('app_rate_limited:A123456:1518467820');
      expect(normalizer.normalize(request)).toEqual([
        {
          eventType: 'slack.app_rate_limited',
          data: { team_id: 'T123456', api_app_id: 'A123456', minute_rate_limited: '2018-02-12T20:37:00.000Z' },
          occurredAt: new Date('2018-02-12T20:37:00.000Z'),
          context: { slack_team_id: 'T123456', slack_api_app_id: 'A123456' },
        },
      ]);
    });
  });

  describe('interactivity (payload=<json>)', () => {
    it('a button press is slack.interaction/block_actions with the action ids', () => {
      const payload = JSON.stringify({
        type: 'block_actions',
        token: 'legacy-token',
        api_app_id: 'A0456EFGH',
        team: { id: 'T0123ABCD', domain: 'example' },
        user: { id: 'U0789IJKL', username: 'ivan' },
        channel: { id: 'C0ABCDEF1', name: 'sales' },
        trigger_id: '123.456.abc',
        response_url: 'https://hooks.slack.com/actions/T0123ABCD/1/xyz',
        actions: [{ action_id: 'approve', value: '42' }],
      });
      const [event] = normalizer.normalize({ source, payload: { payload }, headers: {}, kind: null });
      expect(event).toMatchObject({
        eventType: 'slack.interaction',
        eventSubtype: 'block_actions',
        data: {
          interaction_type: 'block_actions',
          team_id: 'T0123ABCD',
          api_app_id: 'A0456EFGH',
          user_id: 'U0789IJKL',
          user_name: 'ivan',
          channel_id: 'C0ABCDEF1',
          action_ids: ['approve'],
          trigger_id: '123.456.abc',
        },
      });
      expect(JSON.stringify(event.data)).not.toContain('legacy-token');
    });

    it('a payload that is not JSON is a readable error', () => {
      expect(() => normalizer.normalize({ source, payload: { payload: '{nope' }, headers: {}, kind: null })).toThrow(
        'the Slack interaction payload= field is not JSON',
      );
    });
  });

  describe('bodies that are not what Slack sends', () => {
    it.each([
      [
        'an event_callback without event',
        { type: 'event_callback', event_id: 'Ev1' },
        'Slack event_callback Ev1 has no event with a type',
      ],
      ['an event without a type', { type: 'event_callback', event: { user: 'U1' } }, 'has no event with a type'],
      ['a body with no type, command or payload', { hello: 'world' }, /^not a Slack request/],
      ['an array', [{ type: 'event_callback' }], /^not a Slack request/],
    ])('%s throws a readable error', (_case, payload, message) => {
      expect(() => normalizer.normalize({ source, payload, headers: {}, kind: null })).toThrow(message);
    });
  });
});

describe('slackTime', () => {
  it.each([
    ['1726139999.000100', '2024-09-12T11:19:59.000Z'],
    ['1726140050.200999', '2024-09-12T11:20:50.200Z'],
    [1726139999, '2024-09-12T11:19:59.000Z'],
    ['1726139999', '2024-09-12T11:19:59.000Z'],
  ])('reads %p', (value, iso) => {
    expect(slackTime(value)?.toISOString()).toBe(iso);
  });

  it.each([null, undefined, '', 'soon', '-1', '1.2.3'])('is null for %p', (value) => {
    expect(slackTime(value)).toBeNull();
  });
});
