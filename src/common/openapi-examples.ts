/**
 * One whole-request example per operation of the OpenAPI document, by operationId: its path
 * parameters, query parameters, headers and body. `setupSwagger` writes them into the document
 * (parameter `example`, request body `example`), so Swagger UI's "Try it out" sends a request the
 * API accepts. test/openapi-examples.e2e-spec.ts sends every one of them to a fresh app (with the
 * ids it created in place of EXAMPLE_IDS) and expects the documented success; it fails for an
 * operation without an entry here, so a new route must add one.
 */

/** The ids the examples use; the example spec replaces each with an id it created. */
export const EXAMPLE_IDS = {
  tenant: 'ten_01jd8x4m2k7q9w3e5r6t8y0u1i',
  apiKey: 'key_01jd8x4m2k7q9w3e5r6t8y0u1i',
  webhook: 'wh_01jd8x4m2k7q9w3e5r6t8y0u1i',
  event: 'evt_01jd8x4m2k7q9w3e5r6t8y0u1i',
  delivery: 'dlv_01jd8x4m2k7q9w3e5r6t8y0u1i',
  source: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i',
  inboundEvent: 'in_01jd8x4m2k7q9w3e5r6t8y0u1i',
  rule: 'rule_01jd8x4m2k7q9w3e5r6t8y0u1i',
  notification: 'ntf_01jd8x4m2k7q9w3e5r6t8y0u1i',
} as const;

/** The endpoint URL of the webhook examples; the example spec points it at a receiver of its own. */
export const EXAMPLE_ENDPOINT_URL = 'https://example.com/hooks/hookhub';

export interface OperationExample {
  /** Path parameters by name. */
  path?: Record<string, string>;
  /** Query parameters by name. */
  query?: Record<string, string | number | boolean>;
  /** Request headers by name (signatures, tokens, Idempotency-Key); never the API key. */
  headers?: Record<string, string>;
  /** The request body: JSON, or the exact text of a form body (then `contentType` names its type). */
  body?: unknown;
  /** The media type `body` is written in; application/json when not given. */
  contentType?: string;
}

const IDS = EXAMPLE_IDS;
const SINCE = '2025-01-09T00:00:00.000Z';
const UNTIL = '2025-01-10T00:00:00.000Z';

const KOMMO_FORM =
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=23802129&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142' +
  '&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=7719570&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=61523958' +
  '&leads%5Bstatus%5D%5B0%5D%5Bupdated_at%5D=1726139530&account%5Bsubdomain%5D=examplecorp&account%5Bid%5D=29013640';

const WEBHOOK_BODY = {
  name: 'CRM sync',
  url: EXAMPLE_ENDPOINT_URL,
  events: ['deal.won', 'lead.*'],
  description: 'Won deals and lead changes for the CRM',
  metadata: { team: 'sales' },
  headers: { Authorization: 'Bearer 3f9c2a7e1b5d4c6a' },
  timeout_ms: 10000,
  rate_limit_per_second: 50,
  ordered: true,
  signature_format: 'timestamped',
};

const DELIVERY_FILTER = {
  webhook_id: IDS.webhook,
  status: 'failed',
  event_type: 'deal.*',
  since: SINCE,
};

const NOTIFICATION_RULE = {
  name: 'Won deals to the sales chat',
  event_types: ['deal.won'],
  conditions: [{ path: 'data.amount', op: 'exists' }],
  channel: 'telegram',
  target: '-1001234567890',
  template: 'Deal {{data.deal_id}} won: {{data.amount}}',
  parse_mode: 'HTML',
  locale: 'en',
  timezone: 'Europe/Berlin',
  credentials: { bot_token: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw' },
  active: true,
};

const SLACK_EVENT = {
  type: 'event_callback',
  team_id: 'T0123ABCD',
  api_app_id: 'A0456EFGH',
  event_id: 'Ev07M3PQRSTU',
  event_time: 1726139999,
  event: {
    type: 'app_mention',
    user: 'U0789IJKL',
    text: '<@U0BOT1234> hi',
    channel: 'C0ABCDEF1',
    ts: '1726139999.000100',
  },
};

const TELEGRAM_UPDATE = {
  update_id: 872356104,
  message: {
    message_id: 4021,
    from: { id: 123456789, is_bot: false, first_name: 'Ivan', username: 'ivan_p' },
    chat: { id: 123456789, type: 'private' },
    date: 1726140200,
    text: '/start promo_42',
  },
};

const WHATSAPP_NOTIFICATION = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Anna' }, wa_id: '79161234567' }],
            messages: [
              {
                from: '79161234567',
                id: 'wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQTdCRkFFRjk1QjIwQzA0N0Y5MwA=',
                timestamp: '1726140300',
                type: 'text',
                text: { body: 'Hi' },
              },
            ],
          },
        },
      ],
    },
  ],
};

const TENANT_EXAMPLES: Record<string, OperationExample> = {
  'tenants.create': { body: { name: 'Acme Ltd' } },
  'tenants.list': { query: { limit: 20, offset: 0 } },
  'tenants.getMe': {},
  'tenants.updateMe': { body: { name: 'Acme Ltd', timezone: 'Europe/Berlin', locale: 'en' } },
  'tenants.delete': { path: { tenant_id: IDS.tenant } },
  'tenants.createKey': { path: { tenant_id: IDS.tenant }, body: { name: 'Billing service' } },
  'tenants.revokeKey': { path: { tenant_id: IDS.tenant, api_key_id: IDS.apiKey } },
  'tenants.createMyKey': { body: { name: 'CI deploys' } },
  'tenants.listMyKeys': {},
  'tenants.revokeMyKey': { path: { api_key_id: IDS.apiKey } },
};

const WEBHOOK_EXAMPLES: Record<string, OperationExample> = {
  'webhooks.create': { body: WEBHOOK_BODY },
  'webhooks.register': { body: { ...WEBHOOK_BODY, name: 'CRM sync (register)' } },
  'webhooks.list': { query: { active: 'true', event: 'deal.won', limit: 20, offset: 0 } },
  'webhooks.get': { path: { webhook_id: IDS.webhook } },
  'webhooks.update': {
    path: { webhook_id: IDS.webhook },
    body: { name: 'CRM sync (EU)', events: ['deal.won', 'lead.*'], timeout_ms: 15000 },
  },
  'webhooks.delete': { path: { webhook_id: IDS.webhook } },
  'webhooks.toggle': { path: { webhook_id: IDS.webhook } },
  'webhooks.rotateSecret': { path: { webhook_id: IDS.webhook } },
  'webhooks.test': { path: { webhook_id: IDS.webhook } },
  'webhooks.listDeliveries': {
    path: { webhook_id: IDS.webhook },
    query: { status: 'success', event_type: 'deal.*', since: SINCE, limit: 20, offset: 0 },
  },
  'webhooks.getDelivery': { path: { delivery_id: IDS.delivery } },
  'webhooks.retryDelivery': { path: { delivery_id: IDS.delivery } },
  'webhooks.recover': { path: { webhook_id: IDS.webhook }, body: { since: SINCE } },
};

const DELIVERY_AND_EVENT_EXAMPLES: Record<string, OperationExample> = {
  'deliveries.list': {
    query: {
      webhook_id: IDS.webhook,
      status: 'success',
      event_type: 'deal.*',
      event_id: IDS.event,
      http_status: 200,
      since: SINCE,
      q: '42',
      limit: 20,
    },
  },
  'deliveries.get': { path: { delivery_id: IDS.delivery } },
  'deliveries.retryMatching': { body: { filter: DELIVERY_FILTER } },
  'events.publish': {
    headers: { 'Idempotency-Key': 'deal-42-won' },
    body: {
      event_type: 'deal.won',
      data: { deal_id: 42, amount: '1500.00', currency: 'EUR' },
      metadata: { source: 'crm' },
      entity_key: 'crm:acme:deal:42',
    },
  },
  'events.get': { path: { event_id: IDS.event } },
  'events.listTypes': {},
  'events.list': {
    query: { event_type: 'deal.*', entity_key: 'crm:acme:deal:42', since: SINCE, until: UNTIL, q: '1500', limit: 20 },
  },
};

const SOURCE_EXAMPLES: Record<string, OperationExample> = {
  'sources.create': {
    body: {
      name: 'Order system',
      provider: 'generic',
      verification: { scheme: 'hmac-sha256', secret: 'whsec_orders_7Hq2xLkP9mWv4Rt8', tolerance_s: 300 },
      config: { default_event_type: 'order.updated', max_retries: 3, rate_limit_per_second: 50 },
      active: true,
    },
  },
  'sources.list': { query: { provider: 'generic', limit: 20, offset: 0 } },
  'sources.get': { path: { source_id: IDS.source } },
  'sources.update': {
    path: { source_id: IDS.source },
    body: { name: 'Order system (EU)', config: { default_event_type: 'order.updated', max_retries: 5 } },
  },
  'sources.delete': { path: { source_id: IDS.source } },
};

const INGEST_EXAMPLES: Record<string, OperationExample> = {
  'ingest.receive': {
    path: { source_id: IDS.source },
    headers: {
      'X-Webhook-Timestamp': '1736424005',
      'X-Webhook-Signature': 'sha256=4d0b5c1f0f1a7e2c9b7e5d3a1c2b4f6e8d0a9c7b5e3f1d2c4b6a8e0f9d7c5b3a',
    },
    body: { event_type: 'order.created', event_id: 'ord-42-created', order: { id: 42, total: '99.90' } },
  },
  'ingest.receiveGeneric': {
    path: { kind: 'message' },
    headers: {
      'X-Webhook-ID': IDS.source,
      'X-Webhook-Timestamp': '1736424005',
      'X-Webhook-Signature': 'sha256=9a1f3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a',
    },
    body: { event_id: 'msg-7781', chat_id: 'c-19', text: 'Is my order on its way?' },
  },
  'kommo.receive': {
    query: { token: 'kommo_url_token_5d8a1c' },
    contentType: 'application/x-www-form-urlencoded',
    body: KOMMO_FORM,
  },
  'yclients.receive': {
    query: { token: 'yclients_url_token_9f2e4b' },
    body: {
      company_id: 307626,
      resource: 'record',
      resource_id: 596792980,
      status: 'create',
      data: { id: 596792980, datetime: '2025-07-13T12:10:00+05:00', services: [{ title: 'Haircut', cost: 4000 }] },
    },
  },
  'slack.receiveEvents': {
    query: { source_id: IDS.source },
    headers: {
      'X-Slack-Request-Timestamp': '1726139999',
      'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    },
    body: SLACK_EVENT,
  },
  'telegram.receive': {
    path: { source_id: IDS.source },
    headers: { 'X-Telegram-Bot-Api-Secret-Token': 'tg_secret_3b9f1e7c5a' },
    body: TELEGRAM_UPDATE,
  },
  'whatsapp.verify': {
    path: { source_id: IDS.source },
    query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'meatyhamhock', 'hub.challenge': '1158201444' },
  },
  'whatsapp.receive': {
    path: { source_id: IDS.source },
    headers: { 'X-Hub-Signature-256': 'sha256=7d38cdd689735b008b3c702edd92eea23791c5f6a2b7c4c4f0f2c2b1e3d5a7c9' },
    body: WHATSAPP_NOTIFICATION,
  },
};

const INBOUND_AND_NOTIFICATION_EXAMPLES: Record<string, OperationExample> = {
  'inboundEvents.list': {
    query: { status: 'completed', event_type: 'order.created', source_id: IDS.source, provider: 'generic', limit: 20 },
  },
  'inboundEvents.get': { path: { inbound_event_id: IDS.inboundEvent } },
  'inboundEvents.retry': { path: { inbound_event_id: IDS.inboundEvent } },
  'notificationRules.create': { body: NOTIFICATION_RULE },
  'notificationRules.list': { query: { limit: 20, offset: 0 } },
  'notificationRules.get': { path: { rule_id: IDS.rule } },
  'notificationRules.update': {
    path: { rule_id: IDS.rule },
    body: { template: 'Deal {{data.deal_id}} won: {{data.amount}} {{data.currency}}', active: true },
  },
  'notificationRules.delete': { path: { rule_id: IDS.rule } },
  'notificationRules.test': {
    path: { rule_id: IDS.rule },
    body: { event: { event_type: 'deal.won', data: { deal_id: 42, amount: '1500.00', currency: 'EUR' } } },
  },
  'notifications.list': { query: { status: 'sent', event_type: 'deal.won', channel: 'telegram', limit: 20 } },
  'notifications.get': { path: { notification_id: IDS.notification } },
  'health.check': {},
  'health.metrics': {},
};

/** operationId → its whole-request example. */
export const OPENAPI_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  ...TENANT_EXAMPLES,
  ...WEBHOOK_EXAMPLES,
  ...DELIVERY_AND_EVENT_EXAMPLES,
  ...SOURCE_EXAMPLES,
  ...INGEST_EXAMPLES,
  ...INBOUND_AND_NOTIFICATION_EXAMPLES,
};
