import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createHookhubClient, HookhubClient } from '../client/src';
import { startApp, TEST_ADMIN_KEY, TestApp } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

/**
 * The generated TypeScript client (client/, from the committed openapi.json) drives the main
 * journey against a real app listening on 127.0.0.1: tenant → webhook endpoint → publish → the
 * tenant-wide delivery log (GET /api/v1/deliveries) → retry, and the receiver gets both signed deliveries.
 */
describe('Generated TypeScript client (e2e)', () => {
  let t: TestApp;
  let receiver: Receiver;
  let baseUrl: string;
  let hookhub: HookhubClient;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    t = await startApp({ ALLOW_HTTP_URLS: 'true', ALLOW_PRIVATE_URLS: 'true' });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const admin = createHookhubClient(baseUrl, TEST_ADMIN_KEY);
    const { data, error } = await admin.POST('/api/v1/tenants', { body: { name: 'Client journey' } });
    expect(error).toBeUndefined();
    hookhub = createHookhubClient(baseUrl, data!.data.api_key);
  });

  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('answers failures as the typed error envelope', async () => {
    const { data, error, response } = await hookhub.POST('/api/v1/webhooks', {
      body: { name: 'No URL', url: '', events: ['deal.won'] },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error?.error.code).toBe('VALIDATION_FAILED');
    expect(error?.error.details.map((d) => d.field)).toContain('url');
    expect(error?.meta.trace_id).toEqual(expect.any(String));
  });

  it('creates an endpoint, publishes, reads the delivery log, retries, and the receiver gets both deliveries', async () => {
    const created = await hookhub.POST('/api/v1/webhooks', {
      body: { name: 'Deals', url: receiver.url('/deals'), events: ['deal.*'] },
    });
    expect(created.response.status).toBe(201);
    const { webhook_id: webhookId, secret } = created.data!.data;

    const published = await hookhub.POST('/api/v1/events', {
      body: { event_type: 'deal.won', data: { deal_id: 42, amount: '1500.00' } },
    });
    expect(published.response.status).toBe(202);
    expect(published.data!.data).toMatchObject({ event_type: 'deal.won', matched_webhooks: 1 });
    const eventId = published.data!.data.event_id;

    const delivery = await eventually(
      async () => {
        const log = await hookhub.GET('/api/v1/deliveries', {
          params: { query: { webhook_id: webhookId, event_id: eventId, limit: 10 } },
        });
        expect(log.data!.meta.trace_id).toEqual(expect.any(String));
        expect(log.data!.meta.pagination).toMatchObject({ limit: 10 });
        return log.data!.data.find((d) => d.event_id === eventId && d.status === 'success');
      },
      15_000,
      'the delivery in the log',
    );
    expect(delivery).toMatchObject({ webhook_id: webhookId, event_type: 'deal.won', attempt: 1, http_status: 200 });

    const retried = await hookhub.POST('/api/v1/webhooks/deliveries/{delivery_id}/retry', {
      params: { path: { delivery_id: delivery.delivery_id } },
    });
    expect(retried.response.status).toBe(202);
    expect(retried.data!.data).toMatchObject({ original_delivery_id: delivery.delivery_id, status: 'queued' });
    const copyId = retried.data!.data.delivery_id;

    const copy = await eventually(
      async () => {
        const detail = await hookhub.GET('/api/v1/deliveries/{delivery_id}', {
          params: { path: { delivery_id: copyId } },
        });
        return detail.data!.data.status === 'success' ? detail.data!.data : undefined;
      },
      15_000,
      'the retried delivery to succeed',
    );
    expect(copy).toMatchObject({ event_id: eventId, original_delivery_id: delivery.delivery_id });

    const received = await receiver.waitForRequests(2);
    for (const request of received) {
      expect(request.path).toBe('/deals');
      expect(JSON.parse(request.body)).toMatchObject({ event_id: eventId, data: { deal_id: 42, amount: '1500.00' } });
      const timestamp = String(request.headers['x-webhook-timestamp']);
      const expected = createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex');
      expect(request.headers['x-webhook-signature']).toBe(`sha256=${expected}`);
    }
    expect(received.map((r) => r.headers['x-delivery-id'])).toEqual([delivery.delivery_id, copyId]);
  });
});
