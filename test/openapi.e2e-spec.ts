import request from 'supertest';
import { startApp, TestApp } from './helpers/app';

/** Every route of the contract is in the OpenAPI document, under its module's tag, with its error answers. */
describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>>;
    tags: { name: string }[];
  };

  beforeAll(async () => {
    t = await startApp();
    doc = (await request(t.http).get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['post', '/api/v1/webhooks', 'webhooks'],
    ['post', '/api/v1/webhooks/register', 'webhooks'],
    ['get', '/api/v1/webhooks/{webhook_id}/deliveries', 'webhooks'],
    ['post', '/api/v1/webhooks/deliveries/{delivery_id}/retry', 'webhooks'],
    ['post', '/api/v1/events', 'events'],
    ['get', '/api/v1/event-types', 'events'],
    ['post', '/api/v1/sources', 'sources'],
    ['post', '/api/v1/ingest/{source_id}', 'ingest'],
    ['post', '/api/v1/webhooks/incoming/{kind}', 'ingest'],
    ['get', '/api/v1/inbound-events', 'inbound-events'],
    ['post', '/api/v1/inbound-events/{inbound_event_id}/retry', 'inbound-events'],
    ['post', '/api/v1/integrations/kommo/webhook', 'integrations'],
    ['post', '/api/v1/integrations/yclients/webhook', 'integrations'],
    ['post', '/api/v1/integrations/slack/events', 'integrations'],
    ['post', '/api/v1/integrations/telegram/{source_id}', 'integrations'],
    ['get', '/api/v1/integrations/whatsapp/{source_id}', 'integrations'],
    ['post', '/api/v1/integrations/whatsapp/{source_id}', 'integrations'],
    ['post', '/api/v1/notification-rules', 'notifications'],
    ['post', '/api/v1/notification-rules/{rule_id}/test', 'notifications'],
    ['get', '/api/v1/notifications', 'notifications'],
    ['patch', '/api/v1/tenants/me', 'tenants'],
  ])('%s %s is documented under %s', (method, path, tag) => {
    const operation = doc.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.tags).toEqual([tag]);
    expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    expect(doc.tags.map((t) => t.name)).toContain(tag);
  });
});
