import request from 'supertest';
import { DataSource } from 'typeorm';
import { RENDER_LIMITS } from '../src/notifications/templates/template-engine';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

const BOT = '123456:TEST-token';
/** n³ turns over `event.data.items`: a billion for 1000 items, were rendering not bounded. */
const CUBIC =
  '{{#each event.data.items}}{{#each @root.event.data.items}}{{#each @root.event.data.items}}.{{/each}}{{/each}}{{/each}}';
const items = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

interface Notification {
  notification_id: string;
  status: string;
  error: string | null;
  attempts: number;
  provider_response: Record<string, unknown> | null;
  rendered_text: string | null;
}

/**
 * Issue #17 for notifications: bounded template rendering (422 on /test, `failed` for real events), provider
 * answers and errors made storable, a row PostgreSQL refuses or a notification given back again and again ends
 * `failed`, and ALLOW_HTTP_URLS for Slack targets at creation, change and send time.
 */
describe('Notification bounds (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let telegram: Receiver;
  let slack: Receiver;
  let whatsapp: Receiver;

  beforeAll(async () => {
    telegram = await new Receiver().start();
    slack = await new Receiver().start();
    whatsapp = await new Receiver().start();
    t = await startApp({
      ALLOW_HTTP_URLS: 'true',
      ALLOW_PRIVATE_URLS: 'true',
      SWEEP_INTERVAL: '300ms',
      TELEGRAM_API_URL: telegram.url(''),
      WHATSAPP_API_URL: whatsapp.url('/v21.0'),
    });
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
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
    await t?.close();
    await telegram.stop();
    await slack.stop();
    await whatsapp.stop();
  });

  async function rule(app: TestApp, who: TestTenant, body: Record<string, unknown>): Promise<string> {
    const res = await request(app.http)
      .post('/api/v1/notification-rules')
      .set(who.auth)
      .send({
        name: 'bounds',
        event_types: ['deal.won'],
        channel: 'telegram',
        target: '1',
        credentials: { bot_token: BOT },
        suppression: { enabled: false },
        ...body,
      });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body.data.rule_id as string;
  }

  async function publish(app: TestApp, who: TestTenant, data: Record<string, unknown>): Promise<string> {
    const res = await request(app.http)
      .post('/api/v1/events')
      .set(who.auth)
      .send({ event_type: 'deal.won', data })
      .expect(202);
    return res.body.data.event_id as string;
  }

  async function settled(app: TestApp, who: TestTenant, eventId: string, timeoutMs = 15_000): Promise<Notification> {
    return eventually(
      async () => {
        const res = await request(app.http).get(`/api/v1/notifications?event_id=${eventId}`).set(who.auth).expect(200);
        const n = res.body.data[0] as Notification | undefined;
        return n && ['sent', 'skipped', 'failed'].includes(n.status) ? n : undefined;
      },
      timeoutMs,
      'the notification settled',
    );
  }

  describe('template rendering under a budget', () => {
    it('POST /notification-rules/{id}/test answers 422 for triple-nested #each over a large array, and the API keeps answering', async () => {
      const ruleId = await rule(t, tenant, { template: CUBIC });
      const [test, health] = await Promise.all([
        request(t.http)
          .post(`/api/v1/notification-rules/${ruleId}/test`)
          .set(tenant.auth)
          .send({ event: { event_type: 'deal.won', data: { items: items(1000) } } }),
        request(t.http).get('/health'),
      ]);
      expect(test.status).toBe(422);
      const reason = `the template does too much work: more than ${RENDER_LIMITS.maxIterations} #each iterations in one message`;
      expect(test.body.error).toEqual({
        code: 'UNPROCESSABLE',
        message: `The template cannot be rendered within its limits: ${reason}.`,
        details: [{ field: 'template', message: reason, limit: 'work' }],
      });
      expect(health.status).toBe(200);
      await request(t.http).get(`/api/v1/notification-rules/${ruleId}`).set(tenant.auth).expect(200);
      expect(telegram.requests).toHaveLength(0);
    });

    it('POST /notification-rules/{id}/test answers 422 for a message over the output limit', async () => {
      const ruleId = await rule(t, tenant, {
        template: '{{#each event.data.items}}{{@root.event.data.long}}{{/each}}',
      });
      const res = await request(t.http)
        .post(`/api/v1/notification-rules/${ruleId}/test`)
        .set(tenant.auth)
        .send({ event: { event_type: 'deal.won', data: { items: items(100), long: 'x'.repeat(1000) } } })
        .expect(422);
      expect(res.body.error.details).toEqual([
        {
          field: 'template',
          message: `the rendered message is longer than ${RENDER_LIMITS.maxOutputChars} characters`,
          limit: 'output',
        },
      ]);
      expect(telegram.requests).toHaveLength(0);
    });

    it('ends a real event’s notification failed with the reason, once, without sending', async () => {
      await rule(t, tenant, { template: CUBIC });
      const n = await settled(t, tenant, await publish(t, tenant, { items: items(1000) }));
      expect(n).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: `template failed: the template does too much work: more than ${RENDER_LIMITS.maxIterations} #each iterations in one message`,
      });
      expect(telegram.requests).toHaveLength(0);
    });

    it('fails a notification whose WhatsApp template parameter fails to render, and refuses one that does not compile', async () => {
      const whatsappRule = {
        channel: 'whatsapp',
        target: '+79161234567',
        credentials: { phone_number_id: '1234567890', access_token: 'EAAG-test' },
        template: 'unused',
      };
      const parameters = ['{{event.data.name}}', '{{date event.data.when}}'];
      await rule(t, tenant, { ...whatsappRule, whatsapp_template: { name: 'deal', language: 'en', parameters } });
      const n = await settled(t, tenant, await publish(t, tenant, { name: 'Acme', when: 'not a date' }));
      expect(n).toMatchObject({ status: 'failed', attempts: 1 });
      expect(n.error).toMatch(/^template failed: date: cannot read "not a date" as a date/);
      expect(whatsapp.requests).toHaveLength(0);
      const refused = await request(t.http)
        .post('/api/v1/notification-rules')
        .set(tenant.auth)
        .send({
          name: 'bad parameter',
          event_types: ['deal.won'],
          ...whatsappRule,
          whatsapp_template: { name: 'deal', language: 'en', parameters: ['ok', '{{#each a}}'] },
        })
        .expect(400);
      expect(refused.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'whatsapp_template.parameters[1]',
      ]);
    });

    it('refuses a rule whose #each loops nest more than 3 deep', async () => {
      const res = await request(t.http)
        .post('/api/v1/notification-rules')
        .set(tenant.auth)
        .send({
          name: 'deep',
          event_types: ['deal.won'],
          channel: 'telegram',
          target: '1',
          credentials: { bot_token: BOT },
          template: `{{#each a}}${CUBIC}{{/each}}`,
        })
        .expect(400);
      expect(res.body.error.details).toEqual([
        { field: 'template', message: expect.stringMatching(/^#each loops are nested more than 3 deep/) },
      ]);
    });
  });

  describe('text from providers made storable', () => {
    it('stores a Telegram answer with NUL and lone surrogates sanitised, the notification sent', async () => {
      // JSON escapes that parse into a NUL and lone surrogates, which jsonb refuses
      telegram.reply = () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"ok":true,"result":{"message_id":1,"text":"a\\u0000b\\ud800c\\udc00"},"k\\u0000":1}',
      });
      await rule(t, tenant, { template: 'hello' });
      const n = await settled(t, tenant, await publish(t, tenant, {}));
      expect(n).toMatchObject({ status: 'sent', attempts: 1, error: null });
      expect(n.provider_response).toEqual({
        ok: true,
        result: { message_id: 1, text: 'a\uFFFDb\uFFFDc\uFFFD' },
        'k\uFFFD': 1,
      });
    });

    it('stores a plain-text Slack answer holding a NUL byte, the notification sent', async () => {
      slack.reply = () => ({ status: 200, body: 'ok\u0000' });
      await rule(t, tenant, {
        channel: 'slack',
        target: slack.url('/services/T/B/X'),
        credentials: {},
        template: 'hi',
      });
      const n = await settled(t, tenant, await publish(t, tenant, {}));
      expect(n).toMatchObject({ status: 'sent', provider_response: { text: 'ok\uFFFD' } });
      expect(slack.requests).toHaveLength(1);
    });

    it('stores a provider error holding a NUL, the notification failed with it', async () => {
      telegram.reply = () => ({
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: '{"ok":false,"error_code":400,"description":"Bad Request: \\u0000chat\\ud800 not found"}',
      });
      await rule(t, tenant, { template: 'hello' });
      const n = await settled(t, tenant, await publish(t, tenant, {}));
      expect(n).toMatchObject({ status: 'failed', attempts: 1, error: 'Bad Request: \uFFFDchat\uFFFD not found' });
    });
  });

  describe('rows PostgreSQL refuses, and give-backs in a row', () => {
    /** A trigger refusing, with `sqlstate`, to record this rule's notifications as sent. */
    async function refuseSent(ruleId: string, sqlstate: string): Promise<() => Promise<void>> {
      const db = t.app.get(DataSource);
      const name = `refuse_${ruleId.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
      await db.query(
        `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.rule_id = '${ruleId}' AND NEW.status = 'sent' THEN
             RAISE EXCEPTION 'refused by the test' USING ERRCODE = '${sqlstate}';
           END IF;
           RETURN NEW;
         END $$`,
      );
      await db.query(`CREATE TRIGGER ${name} BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION ${name}()`);
      return async () => {
        await db.query(`DROP TRIGGER IF EXISTS ${name} ON notifications`);
        await db.query(`DROP FUNCTION IF EXISTS ${name}()`);
      };
    }

    it('ends a notification failed at once when PostgreSQL refuses its values', async () => {
      const ruleId = await rule(t, tenant, { template: 'hello' });
      const drop = await refuseSent(ruleId, '22021'); // character_not_in_repertoire, as for a NUL
      try {
        const n = await settled(t, tenant, await publish(t, tenant, {}));
        expect(n).toMatchObject({ status: 'failed', attempts: 1, rendered_text: null, provider_response: null });
        expect(n.error).toMatch(/^PostgreSQL refused to store the outcome \(sent\): refused by the test$/);
        expect(telegram.requests).toHaveLength(1);
      } finally {
        await drop();
      }
    });

    it('ends a notification failed after 5 give-backs in a row for an unexpected error, sending at most 5 times', async () => {
      const ruleId = await rule(t, tenant, { template: 'hello' });
      const drop = await refuseSent(ruleId, 'HH001'); // neither a refused value nor a lost database
      try {
        const n = await settled(t, tenant, await publish(t, tenant, {}), 40_000);
        expect(n).toMatchObject({
          status: 'failed',
          attempts: 0,
          error: 'given back 5 times in a row without finishing; last: refused by the test',
        });
        expect(telegram.requests).toHaveLength(5);
      } finally {
        await drop();
      }
    }, 60_000);

    it('ends a notification failed without sending when its lease ran out for the 5th time in a row', async () => {
      await rule(t, tenant, { template: 'hello' });
      const sent = await settled(t, tenant, await publish(t, tenant, {}));
      expect(sent.status).toBe('sent');
      // as if the worker sending it had died four times before, and once more now
      await t.app
        .get(DataSource)
        .query(
          `UPDATE notifications SET status = 'sending', next_attempt_at = now() - interval '5 seconds', release_count = 4 WHERE id = $1`,
          [sent.notification_id],
        );
      const n = await eventually(async () => {
        const res = await request(t.http)
          .get(`/api/v1/notifications/${sent.notification_id}`)
          .set(tenant.auth)
          .expect(200);
        return res.body.data.status === 'failed' ? (res.body.data as Notification) : undefined;
      });
      expect(n.error).toBe(
        'given back 5 times in a row without finishing; last: its lease ran out (the worker sending it stopped or hung)',
      );
      expect(telegram.requests).toHaveLength(1);
    });
  });

  describe('ALLOW_HTTP_URLS and ALLOW_PRIVATE_URLS for Slack targets', () => {
    it('accepts an http:// Slack target when ALLOW_HTTP_URLS=true', async () => {
      await rule(t, tenant, {
        channel: 'slack',
        target: slack.url('/services/T/B/X'),
        credentials: {},
        template: 'hi',
      });
    });

    describe('with ALLOW_HTTP_URLS=false', () => {
      let strict: TestApp;
      let who: TestTenant;

      beforeAll(async () => {
        strict = await startApp({ ALLOW_HTTP_URLS: 'false', ALLOW_PRIVATE_URLS: 'true', SWEEP_INTERVAL: '300ms' });
        who = await createTenant(strict.http);
      });

      afterAll(async () => {
        await strict?.close();
      });

      it('refuses an http:// Slack target with 400 at creation and at change', async () => {
        const refused = {
          code: 'VALIDATION_FAILED',
          details: [{ field: 'target', message: 'target must be an https URL (a Slack incoming webhook)' }],
        };
        const created = await request(strict.http)
          .post('/api/v1/notification-rules')
          .set(who.auth)
          .send({ name: 's', event_types: ['deal.won'], channel: 'slack', target: slack.url('/x'), template: 'hi' })
          .expect(400);
        expect(created.body.error).toMatchObject(refused);
        const ruleId = await rule(strict, who, {
          channel: 'slack',
          target: 'data.hook',
          credentials: {},
          template: 'hi',
        });
        const patched = await request(strict.http)
          .patch(`/api/v1/notification-rules/${ruleId}`)
          .set(who.auth)
          .send({ target: slack.url('/x') })
          .expect(400);
        expect(patched.body.error).toMatchObject(refused);
      });

      it('fails a notification whose Slack target, taken from the event, is http://, without connecting', async () => {
        await rule(strict, who, { channel: 'slack', target: 'data.hook', credentials: {}, template: 'hi' });
        const n = await settled(strict, who, await publish(strict, who, { hook: slack.url('/from-event') }));
        expect(n).toMatchObject({
          status: 'failed',
          attempts: 1,
          error: 'http urls are refused (set ALLOW_HTTP_URLS=true to allow them)',
        });
        expect(slack.requests).toHaveLength(0);
      });
    });

    describe('with ALLOW_PRIVATE_URLS=false', () => {
      let guarded: TestApp;
      let who: TestTenant;

      beforeAll(async () => {
        guarded = await startApp({ ALLOW_HTTP_URLS: 'true', ALLOW_PRIVATE_URLS: 'false', APP_ROLE: 'api' });
        who = await createTenant(guarded.http);
      });

      afterAll(async () => {
        await guarded?.close();
      });

      it('refuses a Slack target on a loopback address or name at creation', async () => {
        for (const target of [slack.url('/x'), 'https://localhost/services/T/B/X', 'https://[::1]/x']) {
          const res = await request(guarded.http)
            .post('/api/v1/notification-rules')
            .set(who.auth)
            .send({ name: 's', event_types: ['deal.won'], channel: 'slack', target, template: 'hi' })
            .expect(400);
          expect(res.body.error.details).toEqual([
            {
              field: 'target',
              message: expect.stringMatching(/points to a (private or loopback address|local or cloud-metadata host)/),
            },
          ]);
        }
      });
    });
  });
});
