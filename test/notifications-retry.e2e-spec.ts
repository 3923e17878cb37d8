import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver, Reply } from './helpers/receiver';

const SERVER_ERROR: Reply = {
  status: 500,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":false,"error_code":500,"description":"Internal Server Error"}',
};
const SENT: Reply = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":true,"result":{"message_id":1}}',
};

interface NotificationItem {
  status: string;
  attempts: number;
  error: string | null;
  provider_status: number | null;
  next_attempt_at: string | null;
  rendered_text: string | null;
}

describe('Notification retries on NOTIFICATION_RETRY_SCHEDULE (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let telegram: Receiver;

  beforeAll(async () => {
    telegram = await new Receiver().start();
    t = await startApp({
      ALLOW_PRIVATE_URLS: 'true',
      SWEEP_INTERVAL: '300ms',
      TELEGRAM_API_URL: telegram.url(''),
      NOTIFICATION_RETRY_SCHEDULE: '2s,300ms',
    });
    tenant = await createTenant(t.http);
    await request(t.http)
      .post('/api/v1/notification-rules')
      .set(tenant.auth)
      .send({
        name: 'deals',
        event_types: ['deal.won'],
        channel: 'telegram',
        target: '42',
        template: 'Deal {{event.data.name}} won',
        credentials: { bot_token: '123456:TEST-token' },
      })
      .expect(201);
  });

  beforeEach(() => {
    telegram.requests.length = 0;
  });

  afterAll(async () => {
    await t.close();
    await telegram.stop();
  });

  async function publish(name: string): Promise<string> {
    const res = await request(t.http)
      .post('/api/v1/events')
      .set(tenant.auth)
      .send({ event_type: 'deal.won', data: { name } })
      .expect(202);
    return res.body.data.event_id as string;
  }

  function notificationOf(eventId: string, statuses: string[]): Promise<NotificationItem> {
    return eventually(async () => {
      const res = await request(t.http).get(`/api/v1/notifications?event_id=${eventId}`).set(tenant.auth).expect(200);
      const n = res.body.data[0] as NotificationItem | undefined;
      return n && statuses.includes(n.status) ? n : undefined;
    });
  }

  it('retries a Telegram 500 after the first delay of the schedule, then sends', async () => {
    telegram.reply = (_req, i) => (i === 0 ? SERVER_ERROR : SENT);
    const eventId = await publish('Acme');
    const [first] = await telegram.waitForRequests(1);
    const waiting = await notificationOf(eventId, ['queued', 'sent', 'failed']);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, provider_status: 500 });
    expect(waiting.error).toMatch(/Internal Server Error/);
    expect(Date.parse(waiting.next_attempt_at!)).toBeGreaterThanOrEqual(first.at + 2_000);

    const sent = await notificationOf(eventId, ['sent', 'failed']);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, provider_status: 200, error: null });
    expect(telegram.requests).toHaveLength(2);
    expect(telegram.requests[1].at - first.at).toBeGreaterThanOrEqual(2_000);
    expect(JSON.parse(telegram.requests[1].body)).toMatchObject({ chat_id: 42, text: 'Deal Acme won' });
  });

  it('gives up after one attempt more than the schedule has delays, and sends no more', async () => {
    telegram.reply = () => SERVER_ERROR;
    const eventId = await publish('Globex');
    const failed = await notificationOf(eventId, ['sent', 'failed']);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, provider_status: 500, next_attempt_at: null });
    expect(failed.error).toMatch(/^gave up after 3 attempts: .*Internal Server Error/);
    const [first, second, third] = telegram.requests;
    expect(second.at - first.at).toBeGreaterThanOrEqual(2_000);
    expect(third.at - second.at).toBeGreaterThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(telegram.requests).toHaveLength(3);
  });
});
