import { createHmac } from 'node:crypto';
import request from 'supertest';
import { EXAMPLE_ENDPOINT_URL, EXAMPLE_IDS } from '../src/common/openapi-examples';
import { startApp, TEST_ADMIN_KEY, TestApp } from './helpers/app';
import { slackSignature } from './helpers/providers';
import { eventually, Receiver } from './helpers/receiver';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  example?: unknown;
}

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
}

type IdKind = keyof typeof EXAMPLE_IDS;
type Body = Record<string, unknown>;

/** What the journey created so far: the ids that replace EXAMPLE_IDS, the tenant's key, secrets. */
interface Journey {
  ids: Partial<Record<IdKind, string>>;
  apiKey: string;
  genericSecret: string;
  /** A provider route's own source, replacing the journey's source id in its example. */
  sources: Record<string, string>;
}

interface Step {
  op: string;
  /** Creates what the example needs before it is sent. */
  before?: (j: Journey) => Promise<void>;
  /** Ids that replace the journey's for this operation only. */
  ids?: (j: Journey) => Partial<Record<IdKind, string>>;
  /** Headers computed from the exact body sent (signatures). */
  sign?: (raw: string, j: Journey) => Record<string, string>;
  /** Remembers what the answer created. */
  after?: (data: Body, j: Journey) => void | Promise<void>;
}

// Operations of the document the journey does not send, each with its reason (keep this tiny).
const NOT_DRIVEN: Record<string, string> = {};

const KOMMO_TOKEN = 'kommo_url_token_5d8a1c';
const YCLIENTS_TOKEN = 'yclients_url_token_9f2e4b';
const SLACK_SECRET = 'slack-signing-secret-0123456789';
const TELEGRAM_SECRET = 'tg_secret_3b9f1e7c5a';
const WHATSAPP_SECRET = 'whatsapp-app-secret-0123456789';
const WHATSAPP_VERIFY_TOKEN = 'meatyhamhock';

const hex = (secret: string, ...parts: string[]) => {
  const mac = createHmac('sha256', secret);
  parts.forEach((part) => mac.update(part));
  return mac.digest('hex');
};

function webhookSignature(raw: string, j: Journey): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  return { 'X-Webhook-Timestamp': ts, 'X-Webhook-Signature': `sha256=${hex(j.genericSecret, `${ts}.`, raw)}` };
}

/**
 * Every operation of /docs-json, in the order a new integrator would call them, sends its own
 * example (parameter and body examples of the document, the ids this journey created in place of
 * EXAMPLE_IDS) to a fresh app and gets the success status the document names.
 */
describe('OpenAPI examples (e2e): each operation’s example gets its documented success', () => {
  let t: TestApp;
  let receiver: Receiver;
  let operations: Map<string, { method: string; path: string; op: Operation }>;
  const driven = new Set<string>();
  const journey: Journey = { ids: {}, apiKey: '', genericSecret: '', sources: {} };

  beforeAll(async () => {
    receiver = await new Receiver().start();
    receiver.reply = (req) =>
      req.path.includes('/sendMessage')
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"ok":true,"result":{"message_id":1}}',
          }
        : { status: 200, body: 'ok' };
    t = await startApp({
      ALLOW_HTTP_URLS: 'true',
      ALLOW_PRIVATE_URLS: 'true',
      TELEGRAM_API_URL: receiver.url(''),
      WHATSAPP_API_URL: receiver.url(''),
    });
    const doc = (await request(t.http).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = new Map(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => [op.operationId, { method, path, op }] as const),
      ),
    );
  });

  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const tenant = () => ({ Authorization: `Bearer ${journey.apiKey}` });

  /** Replaces every example id and the example endpoint URL in `value` with the journey's. */
  function substitute(value: unknown, ids: Partial<Record<IdKind, string>>): unknown {
    if (typeof value === 'string') {
      if (value === EXAMPLE_ENDPOINT_URL) return receiver.url('/hook');
      const kind = (Object.keys(EXAMPLE_IDS) as IdKind[]).find((k) => EXAMPLE_IDS[k] === value);
      return kind && ids[kind] ? ids[kind] : value;
    }
    if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
    }
    return value;
  }

  function authOf(op: Operation): Record<string, string> {
    const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
    if (schemes.includes('admin_key')) return { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    return schemes.includes('api_key') ? tenant() : {};
  }

  /** The highest 2xx status the operation documents (202 over the 200 of a duplicate, say). */
  function successOf(op: Operation): number {
    return Math.max(
      ...Object.keys(op.responses)
        .filter((s) => /^2\d\d$/.test(s))
        .map(Number),
    );
  }

  async function send(step: Step): Promise<{ status: number; body: Body }> {
    const { method, path, op } = operations.get(step.op)!;
    const ids = { ...journey.ids, ...step.ids?.(journey) };
    const params = (where: Parameter['in']) =>
      Object.fromEntries(
        (op.parameters ?? [])
          .filter((p) => p.in === where && p.example !== undefined)
          .map((p) => [p.name, String(substitute(p.example, ids))]),
      );
    const pathParams = params('path');
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParams[name]));
    let req = (request(t.http) as unknown as Record<string, (url: string) => request.Test>)
      [method](url)
      .query(params('query'))
      .set(authOf(op))
      .set(params('header'));
    const media = Object.entries(op.requestBody?.content ?? {}).find(([, m]) => m.example !== undefined);
    if (media) {
      const [type, { example }] = media;
      const raw = typeof example === 'string' ? example : JSON.stringify(substitute(example, ids));
      req = req
        .set(step.sign?.(raw, journey) ?? {})
        .set('Content-Type', type)
        .send(raw);
    }
    const res = await req;
    return { status: res.status, body: res.body as Body };
  }

  async function createSource(body: Body): Promise<string> {
    const res = await request(t.http).post('/api/v1/sources').set(tenant()).send(body).expect(201);
    return res.body.data.source_id as string;
  }

  const JOURNEY: Step[] = [
    { op: 'health.check' },
    { op: 'health.metrics' },
    {
      op: 'tenants.create',
      after: (data, j) => {
        j.apiKey = data.api_key as string;
        j.ids.tenant = data.tenant_id as string;
      },
    },
    { op: 'tenants.list' },
    { op: 'tenants.getMe' },
    { op: 'tenants.updateMe' },
    { op: 'tenants.createKey', after: (data, j) => void (j.ids.apiKey = data.api_key_id as string) },
    { op: 'tenants.revokeKey' },
    { op: 'tenants.createMyKey', after: (data, j) => void (j.ids.apiKey = data.api_key_id as string) },
    { op: 'tenants.listMyKeys' },
    { op: 'tenants.revokeMyKey' },
    { op: 'webhooks.create', after: (data, j) => void (j.ids.webhook = data.webhook_id as string) },
    { op: 'webhooks.register' },
    { op: 'webhooks.list' },
    { op: 'webhooks.get' },
    { op: 'webhooks.update' },
    { op: 'notificationRules.create', after: (data, j) => void (j.ids.rule = data.rule_id as string) },
    { op: 'notificationRules.list' },
    { op: 'notificationRules.get' },
    { op: 'notificationRules.update' },
    { op: 'notificationRules.test' },
    {
      op: 'events.publish',
      after: async (data, j) => {
        j.ids.event = data.event_id as string;
        j.ids.delivery = await eventually(
          async () => {
            const res = await request(t.http).get(`/api/v1/webhooks/${j.ids.webhook}/deliveries`).set(tenant());
            return (res.body.data as Body[]).find((d) => d.status === 'success')?.delivery_id as string | undefined;
          },
          15_000,
          'a successful delivery',
        );
        j.ids.notification = await eventually(
          async () => {
            const res = await request(t.http).get(`/api/v1/notifications?event_id=${j.ids.event}`).set(tenant());
            return (res.body.data as Body[])[0]?.notification_id as string | undefined;
          },
          15_000,
          'a notification',
        );
      },
    },
    { op: 'events.get' },
    { op: 'events.listTypes' },
    { op: 'events.list' },
    { op: 'webhooks.listDeliveries' },
    { op: 'webhooks.getDelivery' },
    { op: 'deliveries.list' },
    { op: 'deliveries.get' },
    { op: 'webhooks.retryDelivery' },
    { op: 'deliveries.retryMatching' },
    { op: 'webhooks.recover' },
    { op: 'webhooks.test' },
    { op: 'notifications.list' },
    { op: 'notifications.get' },
    {
      op: 'sources.create',
      after: (data, j) => {
        j.ids.source = data.source_id as string;
        j.genericSecret = data.secret as string;
      },
    },
    { op: 'sources.list' },
    { op: 'sources.get' },
    { op: 'sources.update' },
    {
      op: 'ingest.receive',
      sign: webhookSignature,
      after: (data, j) => void (j.ids.inboundEvent = data.webhook_event_id as string),
    },
    { op: 'ingest.receiveGeneric', sign: webhookSignature },
    { op: 'inboundEvents.list' },
    { op: 'inboundEvents.get' },
    {
      op: 'inboundEvents.retry',
      // a webhook naming no event type, to a source without a default one: its processing fails
      before: async (j) => {
        const source = await createSource({ name: 'No type', provider: 'generic', verification: { scheme: 'none' } });
        const res = await request(t.http).post(`/api/v1/ingest/${source}`).send({ order: 7 }).expect(202);
        const id = res.body.data.webhook_event_id as string;
        await eventually(
          async () => {
            const inbound = await request(t.http).get(`/api/v1/inbound-events/${id}`).set(tenant());
            return ['retrying', 'failed'].includes(inbound.body.data.status) ? true : undefined;
          },
          15_000,
          'a failed inbound event',
        );
        j.sources.failed = id;
      },
      ids: (j) => ({ inboundEvent: j.sources.failed }),
    },
    {
      op: 'kommo.receive',
      before: async () => {
        await createSource({
          name: 'Kommo',
          provider: 'kommo',
          verification: { scheme: 'url-token', secret: KOMMO_TOKEN },
          config: { account_id: '29013640', subdomain: 'examplecorp' },
        });
      },
    },
    {
      op: 'yclients.receive',
      before: async () => {
        await createSource({
          name: 'Salon',
          provider: 'yclients',
          verification: { scheme: 'url-token', secret: YCLIENTS_TOKEN },
          config: { company_id: 307626 },
        });
      },
    },
    {
      op: 'slack.receiveEvents',
      before: async (j) => {
        j.sources.slack = await createSource({
          name: 'Slack',
          provider: 'slack',
          verification: { scheme: 'slack', secret: SLACK_SECRET },
          config: { api_app_id: 'A0456EFGH', team_id: 'T0123ABCD' },
        });
      },
      ids: (j) => ({ source: j.sources.slack }),
      sign: (raw) => slackSignature(raw, SLACK_SECRET),
    },
    {
      op: 'telegram.receive',
      before: async (j) => {
        j.sources.telegram = await createSource({
          name: 'Bot',
          provider: 'telegram',
          verification: { scheme: 'telegram', secret: TELEGRAM_SECRET },
        });
      },
      ids: (j) => ({ source: j.sources.telegram }),
    },
    {
      op: 'whatsapp.verify',
      before: async (j) => {
        j.sources.whatsapp = await createSource({
          name: 'WhatsApp',
          provider: 'whatsapp',
          verification: { scheme: 'whatsapp', secret: WHATSAPP_SECRET },
          config: { verify_token: WHATSAPP_VERIFY_TOKEN },
        });
      },
      ids: (j) => ({ source: j.sources.whatsapp }),
    },
    {
      op: 'whatsapp.receive',
      ids: (j) => ({ source: j.sources.whatsapp }),
      sign: (raw) => ({ 'X-Hub-Signature-256': `sha256=${hex(WHATSAPP_SECRET, raw)}` }),
    },
    { op: 'webhooks.toggle' },
    { op: 'webhooks.rotateSecret' },
    { op: 'webhooks.delete' },
    { op: 'notificationRules.delete' },
    { op: 'sources.delete' },
    { op: 'tenants.delete' },
  ];

  it.each(JOURNEY.map((step) => [step.op, step] as const))('%s', async (op, step) => {
    expect(operations.has(op)).toBe(true);
    await step.before?.(journey);
    const { status, body } = await send(step);
    const expected = successOf(operations.get(op)!.op);
    expect({ op, status, body: status === expected ? 'ok' : body }).toEqual({ op, status: expected, body: 'ok' });
    driven.add(op);
    await step.after?.(body?.data as Body, journey);
  });

  it('drove every operation of the document, or names why not', () => {
    const left = [...operations.keys()].filter((op) => !driven.has(op) && !Object.hasOwn(NOT_DRIVEN, op));
    expect(left).toEqual([]);
  });

  it('the webhook receiver got what the examples published, signed', () => {
    const hooks = receiver.requests.filter((r) => r.path === '/hook');
    expect(hooks.length).toBeGreaterThan(0);
    const won = hooks.map((r) => JSON.parse(r.body) as Body).find((b) => b.event_type === 'deal.won');
    expect(won).toMatchObject({ event_id: journey.ids.event, data: { deal_id: 42, amount: '1500.00' } });
    expect(hooks[0].headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
