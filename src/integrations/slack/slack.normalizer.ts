import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';

type Json = Record<string, unknown>;

const objectOf = (value: unknown): Json | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;

/** A non-empty string, or a finite number as a string; null otherwise. */
const str = (value: unknown): string | null =>
  typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : null;

/** Slack's `ts` / `event_ts` ("1726139999.000100") or `event_time` (1726139999) as a Date, to the millisecond. */
export function slackTime(value: unknown): Date | null {
  const text = str(value);
  if (!text || !/^\d{1,12}(\.\d+)?$/.test(text)) return null;
  const [seconds, fraction = ''] = text.split('.');
  return new Date(Number(seconds) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3)));
}

/** `slack.<type>`: Slack's own type, kept readable as a Hookhub event type. */
const slackType = (type: string): string => `slack.${type.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}`;

/** Message subtypes that are still a person writing (a file with a comment, a thread reply sent to the channel, /me). */
const USER_MESSAGE_SUBTYPES = new Set(['file_share', 'thread_broadcast', 'me_message']);

/** The Slack user ids of the app's own bot(s) in this workspace (the `authorizations` of the envelope). */
function botUserIds(body: Json): Set<string> {
  const ids = new Set<string>();
  const authorizations: unknown[] = Array.isArray(body.authorizations) ? body.authorizations : [];
  for (const entry of authorizations) {
    const auth = objectOf(entry);
    const id = str(auth?.user_id);
    if (id && auth?.is_bot === true) ids.add(id);
  }
  return ids;
}

interface Envelope {
  body: Json;
  event: Json;
  eventType: string;
  eventId: string | null;
  /** The workspace: the account part of entity keys. */
  team: string;
  occurredAt: Date | null;
}

/** The message a message-like event is about: its channel and ts (for edits and deletions, the original's). */
function messageRef(event: Json, eventType: string): { channel: string; ts: string } | null {
  if (eventType !== 'message' && eventType !== 'app_mention') return null;
  const channel = str(event.channel);
  const edited = objectOf(event.message);
  const previous = objectOf(event.previous_message);
  const ts = str(edited?.ts) ?? str(event.deleted_ts) ?? str(previous?.ts) ?? str(event.ts);
  return channel && ts ? { channel, ts } : null;
}

/**
 * What an event is about, for ordering and staleness: a message (`<channel>:<ts>`), a channel whose state changed
 * (created, renamed, archived…) or a user whose profile changed. Deltas such as reactions or members joining get no
 * entity: an older one arriving late is still news, never stale.
 */
function entityOf(event: Json, eventType: string): { type: string; id: string } | null {
  const message = messageRef(event, eventType);
  if (message) return { type: 'message', id: `${message.channel}:${message.ts}` };
  const channel = objectOf(event.channel);
  if (channel && str(channel.id)) return { type: 'channel', id: str(channel.id)! };
  if (/^(channel|group)_/.test(eventType) && str(event.channel)) return { type: 'channel', id: str(event.channel)! };
  const user = objectOf(event.user);
  if (user && str(user.id)) return { type: 'user', id: str(user.id)! };
  return null;
}

/** The notes for the inbound event's execution_context, including Slack's retry headers when this copy was a retry. */
function contextOf(e: Envelope, headers: Record<string, string>): Record<string, unknown> {
  const context: Record<string, unknown> = {
    slack_event_id: e.eventId,
    slack_team_id: e.team,
    slack_api_app_id: str(e.body.api_app_id),
  };
  const retry = str(headers['x-slack-retry-num']);
  if (retry) {
    context.slack_retry_num = retry;
    context.slack_retry_reason = str(headers['x-slack-retry-reason']);
  }
  return context;
}

/** The message a person wrote or edited in this event and what it becomes; null for bots (the app's own too). */
function personMessage(e: Envelope): { message: Json; eventType: 'message.received' | 'message.edited' } | null {
  const subtype = str(e.event.subtype);
  const edited = objectOf(e.event.message);
  let found: { message: Json; eventType: 'message.received' | 'message.edited' } | null = null;
  if (
    e.eventType === 'app_mention' ||
    (e.eventType === 'message' && (!subtype || USER_MESSAGE_SUBTYPES.has(subtype)))
  ) {
    found = { message: e.event, eventType: 'message.received' };
  } else if (e.eventType === 'message' && subtype === 'message_changed' && edited) {
    found = { message: edited, eventType: 'message.edited' };
  }
  const user = str(found?.message.user);
  return found && user && !found.message.bot_id && !botUserIds(e.body).has(user) ? found : null;
}

/**
 * Slack: Events API deliveries (`event_callback` → `slack.<event.type>`, plus `message.received` / `message.edited`
 * for what people write), `app_rate_limited`, slash commands (`slack.command`) and interactivity
 * (`slack.interaction`). `url_verification` publishes nothing: the Slack route answers it.
 */
export class SlackNormalizer implements ProviderNormalizer {
  dedupKey(request: InboundRequest): string | null {
    const body = objectOf(request.payload);
    if (!body) return null;
    if (body.type === 'event_callback') return str(body.event_id);
    if (body.type === 'app_rate_limited') {
      const minute = str(body.minute_rate_limited);
      return minute ? `app_rate_limited:${str(body.api_app_id) ?? ''}:${minute}` : null;
    }
    return null;
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    const body = objectOf(request.payload);
    if (body && typeof body.type === 'string') return this.typed(request, body, body.type);
    if (body && typeof body.command === 'string') return [this.command(body)];
    if (body && typeof body.payload === 'string') return [this.interaction(body.payload)];
    throw new Error(
      'not a Slack request: expected an Events API body with a type (event_callback, url_verification), ' +
        'a slash command (command=…) or an interaction (payload=…)',
    );
  }

  private typed(request: InboundRequest, body: Json, type: string): NormalizedEvent[] {
    switch (type) {
      case 'url_verification':
        return [];
      case 'event_callback':
        return this.eventCallback(request, body);
      case 'app_rate_limited':
        return [
          {
            eventType: 'slack.app_rate_limited',
            data: {
              team_id: str(body.team_id),
              api_app_id: str(body.api_app_id),
              minute_rate_limited: slackTime(body.minute_rate_limited)?.toISOString() ?? null,
            },
            occurredAt: slackTime(body.minute_rate_limited),
            context: { slack_team_id: str(body.team_id), slack_api_app_id: str(body.api_app_id) },
          },
        ];
      default:
        return [{ eventType: slackType(type), data: withoutToken(body) }];
    }
  }

  private eventCallback(request: InboundRequest, body: Json): NormalizedEvent[] {
    const eventId = str(body.event_id);
    const event = objectOf(body.event);
    const eventType = str(event?.type);
    if (!event || !eventType) {
      throw new Error(`Slack event_callback ${eventId ?? '(no event_id)'} has no event with a type`);
    }
    const envelope: Envelope = {
      body,
      event,
      eventType,
      eventId,
      team: str(body.team_id) ?? str(body.context_team_id) ?? str(event.team) ?? request.source.id,
      occurredAt: slackTime(event.event_ts) ?? slackTime(body.event_time),
    };
    const entity = entityOf(event, eventType);
    const context = contextOf(envelope, request.headers);
    const events: NormalizedEvent[] = [
      {
        eventType: slackType(eventType),
        eventSubtype: str(event.subtype),
        entityType: entity?.type ?? null,
        entityId: entity?.id ?? null,
        entityKey: entity ? `slack:${envelope.team}:${entity.type}:${entity.id}` : null,
        data: {
          team_id: str(body.team_id),
          api_app_id: str(body.api_app_id),
          event_id: eventId,
          event_type: eventType,
          event_subtype: str(event.subtype),
          occurred_at: envelope.occurredAt?.toISOString() ?? null,
          event,
        },
        occurredAt: envelope.occurredAt,
        context,
      },
    ];
    const written = this.written(envelope);
    if (written) events.push({ ...written, context });
    return events;
  }

  /** `message.received` for what a person wrote (a message or a mention of the app), `message.edited` for their edits. */
  private written(e: Envelope): NormalizedEvent | null {
    const written = personMessage(e);
    if (!written) return null;
    const { message, eventType } = written;
    const ref = messageRef(e.event, e.eventType);
    if (!ref) return null;
    const previous = objectOf(e.event.previous_message);
    const messageType = str(message.subtype) ?? (Array.isArray(message.files) ? 'file_share' : 'text');
    return {
      eventType,
      eventSubtype: messageType,
      entityType: 'message',
      entityId: `${ref.channel}:${ref.ts}`,
      entityKey: `slack:${e.team}:message:${ref.channel}:${ref.ts}`,
      occurredAt: e.occurredAt,
      data: {
        provider: 'slack',
        team_id: e.team,
        chat_id: ref.channel,
        chat_type: str(e.event.channel_type),
        message_id: ref.ts,
        thread_id: str(message.thread_ts),
        from: { id: str(message.user), username: null, name: null, first_name: null, last_name: null, phone: null },
        text: typeof message.text === 'string' ? message.text : null,
        message_type: messageType,
        sent_at: slackTime(ref.ts)?.toISOString() ?? null,
        ...(eventType === 'message.edited'
          ? {
              previous_text: typeof previous?.text === 'string' ? previous.text : null,
              edited_at: e.occurredAt?.toISOString() ?? null,
            }
          : {}),
        slack_event_type: e.eventType,
        event_id: e.eventId,
      },
    };
  }

  private command(body: Json): NormalizedEvent {
    const command = str(body.command)!;
    return {
      eventType: 'slack.command',
      eventSubtype: command,
      data: {
        team_id: str(body.team_id),
        team_domain: str(body.team_domain),
        enterprise_id: str(body.enterprise_id),
        api_app_id: str(body.api_app_id),
        channel_id: str(body.channel_id),
        channel_name: str(body.channel_name),
        user_id: str(body.user_id),
        user_name: str(body.user_name),
        command,
        text: typeof body.text === 'string' ? body.text : '',
        response_url: str(body.response_url),
        trigger_id: str(body.trigger_id),
      },
      context: { slack_team_id: str(body.team_id), slack_command: command },
    };
  }

  private interaction(raw: string): NormalizedEvent {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error('the Slack interaction payload= field is not JSON');
    }
    const payload = objectOf(parsed);
    const type = str(payload?.type);
    if (!payload || !type) throw new Error('the Slack interaction payload has no type');
    const user = objectOf(payload.user);
    const team = objectOf(payload.team);
    const actions: unknown[] = Array.isArray(payload.actions) ? payload.actions : [];
    return {
      eventType: 'slack.interaction',
      eventSubtype: type,
      data: {
        interaction_type: type,
        team_id: str(team?.id),
        api_app_id: str(payload.api_app_id),
        user_id: str(user?.id),
        user_name: str(user?.username) ?? str(user?.name),
        channel_id: str(objectOf(payload.channel)?.id),
        callback_id: str(payload.callback_id) ?? str(objectOf(payload.view)?.callback_id),
        action_ids: actions.map((a) => str(objectOf(a)?.action_id)).filter((id): id is string => id !== null),
        trigger_id: str(payload.trigger_id),
        response_url: str(payload.response_url),
        payload: withoutToken(payload),
      },
      context: { slack_team_id: str(team?.id), slack_interaction_type: type },
    };
  }
}

/** A copy without Slack's legacy verification `token`, which is a credential. */
function withoutToken(body: Json): Json {
  const { token: _token, ...rest } = body;
  return rest;
}
