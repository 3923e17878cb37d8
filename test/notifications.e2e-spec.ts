import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

const BOT = '123456:TEST-token';

/** A YClients booking as it arrives in record.* events. */
function booking(overrides: Record<string, unknown> = {}) {
  return {
    id: 596792980,
    datetime: '2025-08-15T14:00:00+03:00',
    services: [{ id: 1, title: 'Мужская стрижка', cost: 1500 }],
    staff: { id: 7, name: 'Александр' },
    client: { id: 9, name: 'Вячеслав', phone: '+7 (999) 123-45-67' },
    comment: '',
    ...overrides,
  };
}

describe('Notifications (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let telegram: Receiver;
  let slack: Receiver;

  beforeAll(async () => {
    telegram = await new Receiver().start();
    slack = await new Receiver().start();
    t = await startApp({
      ALLOW_HTTP_URLS: 'true',
      ALLOW_PRIVATE_URLS: 'true',
      SWEEP_INTERVAL: '300ms',
      TELEGRAM_API_URL: telegram.url(''),
    });
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    await request(t.http)
      .patch('/api/v1/tenants/me')
      .set(tenant.auth)
      .send({ timezone: 'Europe/Moscow', locale: 'ru' })
      .expect(200);
    telegram.requests.length = 0;
    slack.requests.length = 0;
    telegram.reply = () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true,"result":{"message_id":1}}',
    });
    slack.reply = () => ({ status: 200, body: 'ok' });
  });

  afterAll(async () => {
    await t.close();
    await telegram.stop();
    await slack.stop();
  });

  async function rule(body: Record<string, unknown>) {
    const res = await request(t.http)
      .post('/api/v1/notification-rules')
      .set(tenant.auth)
      .send({
        name: 'bookings',
        event_types: ['record.created'],
        channel: 'telegram',
        target: 'data.client.phone',
        ...(body.template ? {} : { template_id: 'booking_created' }),
        credentials: { bot_token: BOT },
        ...body,
      });
    expect(res.status).toBe(201);
    return res.body.data as { rule_id: string };
  }

  async function publish(eventType: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const res = await request(t.http)
      .post('/api/v1/events')
      .set(tenant.auth)
      .send({ event_type: eventType, data, ...extra })
      .expect(202);
    return res.body.data.event_id as string;
  }

  async function notificationOf(eventId: string, final = ['sent', 'skipped', 'failed']) {
    return eventually(async () => {
      const res = await request(t.http).get(`/api/v1/notifications?event_id=${eventId}`).set(tenant.auth).expect(200);
      const n = res.body.data[0];
      return n && final.includes(n.status) ? n : undefined;
    });
  }

  it('sends the booking confirmation to Telegram with the expected text', async () => {
    await rule({ target: '-100200300' });
    const eventId = await publish('record.created', booking());
    const n = await notificationOf(eventId);
    expect(n).toMatchObject({
      status: 'sent',
      channel: 'telegram',
      target: '-100200300',
      provider_status: 200,
      attempts: 1,
    });
    const [req] = telegram.requests;
    expect(req.path).toBe(`/bot${BOT}/sendMessage`);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ chat_id: -100200300, parse_mode: 'MarkdownV2' });
    expect(body.text).toBe(n.rendered_text);
    expect(body.text).toContain('Вы записаны');
    expect(body.text).toContain('15 августа');
    expect(body.text).toContain('14:00');
    expect(body.text).toContain('Мужская стрижка');
    expect(body.text).toContain('Александр');
    expect(body.text).toContain('1500 руб');
  });

  it('turns the raw YClients booking fixture into the expected Telegram text', async () => {
    await rule({ target: 'data.record.client.phone', suppression: { active_client_minutes: 0 } });
    const src = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'salon', provider: 'yclients', config: { company_id: 'fixture-only' } })
      .expect(201);
    const raw = readFileSync(join(__dirname, 'fixtures', 'providers', 'yclients', 'record-create.body'));
    await request(t.http)
      .post(`/api/v1/ingest/${src.body.data.source_id}?token=${encodeURIComponent(src.body.data.secret)}`)
      .set('Content-Type', 'application/json')
      .send(raw.toString('utf8'))
      .expect(202);
    const sent = await eventually(async () => {
      const r = await request(t.http)
        .get('/api/v1/notifications?event_type=record.created')
        .set(tenant.auth)
        .expect(200);
      return r.body.data[0]?.status === 'sent' ? r.body.data[0] : undefined;
    });
    expect(sent.target).toBe('+77770000002');
    // 2025-07-13 12:10 at +05:00 is 10:10 in Moscow, the tenant's time zone
    expect(sent.rendered_text).toBe(
      '✅ Вы записаны\\!\n📅 13 июля в 10:10\n💇 Стрижка мужская\n👤 Мастер: Нурзад\n💰 4000 руб',
    );
    expect(JSON.parse(telegram.requests[0].body)).toMatchObject({ chat_id: '+77770000002', text: sent.rendered_text });
  });

  it('sends changed (was → now) and cancelled notices', async () => {
    await rule({ event_types: ['record.updated'], template_id: 'booking_changed', target: '1' });
    await rule({ event_types: ['record.deleted'], template_id: 'booking_cancelled', target: '1' });
    const key = { entity_key: 'yclients:1:record:596792980' };
    await publish('record.created', booking(), key);
    const changed = await publish('record.updated', booking({ datetime: '2025-08-16T15:30:00+03:00' }), key);
    const changedNotice = await notificationOf(changed);
    expect(changedNotice.status).toBe('sent');
    expect(changedNotice.rendered_text).toContain('15 августа');
    expect(changedNotice.rendered_text).toContain('16 августа');
    expect(changedNotice.rendered_text).toContain('15:30');
    const cancelled = await publish('record.deleted', booking(), key);
    const cancelledNotice = await notificationOf(cancelled);
    expect(cancelledNotice.status).toBe('sent');
    expect(cancelledNotice.rendered_text).toMatch(/отмен/i);
  });

  it.each([
    ['made_by_bot', booking({ comment: 'записан через бота #bot' })],
    ['no_phone', booking({ client: { id: 9, name: 'Вячеслав', phone: '' } })],
  ])('skips a booking notice: %s', async (reason, data) => {
    await rule({});
    const n = await notificationOf(await publish('record.created', data));
    expect(n).toMatchObject({ status: 'skipped', skip_reason: reason, attempts: 0 });
    expect(telegram.requests).toHaveLength(0);
  });

  it('skips a booking notice when the client wrote to us in the last 5 minutes', async () => {
    await rule({});
    await publish('message.received', { phone: '+79991234567', text: 'Хочу записаться' });
    const n = await notificationOf(await publish('record.created', booking()));
    expect(n).toMatchObject({ status: 'skipped', skip_reason: 'client_active' });
  });

  it('never notifies a stale event', async () => {
    await rule({ target: '1' });
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 's', provider: 'generic', verification: { scheme: 'none' } })
      .expect(201);
    const src = res.body.data.source_id;
    // one after the other: the update is processed before the late create arrives
    const post = async (body: Record<string, unknown>) => {
      const res = await request(t.http)
        .post(`/api/v1/ingest/${src}`)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(202);
      await eventually(async () => {
        const r = await request(t.http)
          .get(`/api/v1/inbound-events/${res.body.data.webhook_event_id}`)
          .set(tenant.auth)
          .expect(200);
        return r.body.data.status === 'completed' ? true : undefined;
      });
    };
    await post({
      event_type: 'record.updated',
      entity_type: 'record',
      entity_id: 5,
      occurred_at: '2025-08-01T10:00:10Z',
      ...booking(),
    });
    await post({
      event_type: 'record.created',
      entity_type: 'record',
      entity_id: 5,
      occurred_at: '2025-08-01T10:00:00Z',
      ...booking(),
    });
    const skipped = await eventually(async () => {
      const r = await request(t.http).get('/api/v1/notifications?skip_reason=stale').set(tenant.auth).expect(200);
      return r.body.data[0];
    });
    expect(skipped).toMatchObject({ status: 'skipped', event_type: 'record.created' });
    expect(telegram.requests).toHaveLength(0);
  });

  it('retries a 429 after retry_after, then sends', async () => {
    telegram.reply = (_req, i) =>
      i === 0
        ? {
            status: 429,
            headers: { 'content-type': 'application/json' },
            body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}',
          }
        : { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true,"result":{}}' };
    await rule({ target: '42' });
    const n = await notificationOf(await publish('record.created', booking()));
    expect(n).toMatchObject({ status: 'sent', attempts: 2 });
    expect(telegram.requests).toHaveLength(2);
    expect(telegram.requests[1].at - telegram.requests[0].at).toBeGreaterThanOrEqual(900);
  });

  it('fails a permanent error (blocked bot) at once, with the provider answer, without retries', async () => {
    telegram.reply = () => ({
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}',
    });
    await rule({ target: '42' });
    const n = await notificationOf(await publish('record.created', booking()));
    expect(n).toMatchObject({ status: 'failed', attempts: 1, provider_status: 403 });
    expect(n.error).toMatch(/blocked/);
    expect(n.provider_response).toMatchObject({ error_code: 403 });
    await new Promise((r) => setTimeout(r, 800));
    expect(telegram.requests).toHaveLength(1);
  });

  it('sends at most once per (rule, event), even when the job runs again', async () => {
    const { rule_id } = await rule({ target: '42' });
    const eventId = await publish('record.created', booking());
    const n = await notificationOf(eventId);
    // a second job for the same notification (a redelivered job) must not send again
    const queue = t.app.get<import('bull').Queue>('BullQueue_notifications');
    await queue.add('notify', { notificationId: n.notification_id }, { jobId: `${n.notification_id}:again` });
    await new Promise((r) => setTimeout(r, 800));
    expect(telegram.requests).toHaveLength(1);
    const all = await request(t.http).get(`/api/v1/notifications?rule_id=${rule_id}`).set(tenant.auth).expect(200);
    expect(all.body.meta.pagination.total).toBe(1);
  });

  it('applies conditions', async () => {
    await rule({
      event_types: ['deal.*'],
      template: 'Сделка {{event.data.name}}',
      target: '1',
      conditions: [{ path: 'data.status_id', op: 'in', value: [142] }],
    });
    const won = await publish('deal.won', { name: 'A', status_id: 142 });
    await publish('deal.lost', { name: 'B', status_id: 143 });
    await notificationOf(won);
    await new Promise((r) => setTimeout(r, 500));
    const all = await request(t.http).get('/api/v1/notifications').set(tenant.auth).expect(200);
    expect(all.body.data.map((n: { event_id: string }) => n.event_id)).toEqual([won]);
  });

  it('escapes event values for MarkdownV2 but not the template text', async () => {
    await rule({
      event_types: ['deal.won'],
      template: '*Сделка* {{event.data.name}} на {{event.data.price}}',
      target: '1',
    });
    const n = await notificationOf(await publish('deal.won', { name: 'ООО "Ромашка" (main)', price: '1500.50' }));
    expect(n.rendered_text).toBe('*Сделка* ООО "Ромашка" \\(main\\) на 1500\\.50');
  });

  it('posts to a Slack incoming webhook with mrkdwn escaping', async () => {
    await rule({
      channel: 'slack',
      target: slack.url('/services/T/B/X'),
      credentials: undefined,
      event_types: ['deal.won'],
      template: 'Won: {{event.data.name}}',
    });
    const n = await notificationOf(await publish('deal.won', { name: '<Acme & Co>' }));
    expect(n.status).toBe('sent');
    expect(JSON.parse(slack.requests[0].body)).toEqual({ text: 'Won: &lt;Acme &amp; Co&gt;' });
  });

  it('refuses invalid rules with VALIDATION_FAILED naming the field', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await request(t.http)
        .post('/api/v1/notification-rules')
        .set(tenant.auth)
        .send({
          name: 'x',
          event_types: ['deal.won'],
          channel: 'telegram',
          target: '1',
          template: 'hi',
          credentials: { bot_token: BOT },
          ...body,
        })
        .expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    await bad({ channel: 'email' }, 'channel');
    await bad({ target: 'data..phone' }, 'target');
    await bad({ template: 'Hello {{#if x}} unclosed' }, 'template');
    await bad({ conditions: [{ path: 'data.x', op: 'in', value: 1 }] }, 'conditions[0].value');
    await bad({ event_types: ['Deal.Won'] }, 'event_types');
    await bad({ template: undefined, template_id: 'nope' }, 'template_id');
  });

  it('marks a notification failed when its template fails at render time, and goes on', async () => {
    await rule({ event_types: ['deal.won'], template: '{{date event.data.when}}', target: '1' });
    const n = await notificationOf(await publish('deal.won', { when: 'not a date' }));
    expect(n.status).toBe('failed');
    expect(n.error).toMatch(/template/i);
  });

  it('lists the history with filters and pagination, tenant by tenant', async () => {
    await rule({ target: '1' });
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push(await publish('record.created', booking({ id: i })));
    await publish('record.created', booking({ comment: '#bot' }));
    await eventually(async () => {
      const r = await request(t.http).get('/api/v1/notifications').set(tenant.auth).expect(200);
      const statuses = (r.body.data as { status: string }[]).map((n) => n.status);
      return statuses.filter((s) => s === 'sent').length === 3 && statuses.includes('skipped') ? true : undefined;
    });
    const page = await request(t.http)
      .get('/api/v1/notifications?status=sent&limit=2&offset=2')
      .set(tenant.auth)
      .expect(200);
    expect(page.body.meta.pagination).toEqual({ limit: 2, offset: 2, total: 3 });
    expect(page.body.data).toHaveLength(1);
    const skipped = await request(t.http)
      .get('/api/v1/notifications?status=skipped&skip_reason=made_by_bot')
      .set(tenant.auth)
      .expect(200);
    expect(skipped.body.meta.pagination.total).toBe(1);
    await request(t.http).get('/api/v1/notifications?status=lost').set(tenant.auth).expect(400);
    const other = await createTenant(t.http);
    const none = await request(t.http).get('/api/v1/notifications').set(other.auth).expect(200);
    expect(none.body.meta.pagination.total).toBe(0);
    await request(t.http).get(`/api/v1/notifications/${page.body.data[0].notification_id}`).set(other.auth).expect(404);
  });

  it('POST /notification-rules/{id}/test renders and sends a sample', async () => {
    const { rule_id } = await rule({ target: '77' });
    const res = await request(t.http)
      .post(`/api/v1/notification-rules/${rule_id}/test`)
      .set(tenant.auth)
      .send({})
      .expect(200);
    expect(res.body.data).toMatchObject({ sent: true, target: '77', provider_status: 200, error: null });
    expect(res.body.data.rendered_text).toContain('Вы записаны');
    expect(telegram.requests).toHaveLength(1);
  });
});
