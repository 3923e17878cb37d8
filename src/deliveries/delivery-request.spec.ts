import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  batchBody,
  batchFit,
  batchHeaders,
  batchMemberBodies,
  BatchRequestInput,
  deliveryBody,
  DeliveryRequestInput,
  formatBytes,
  UnsendableBody,
} from './delivery-request';

function input(subscription: Partial<DeliveryRequestInput['subscription']>, data: Record<string, unknown>) {
  return {
    subscription: { id: 'wh_1', headers: {}, payloadTemplate: null, preset: null, metadata: {}, ...subscription },
    event: { id: 'evt_1', eventType: 'deal.won', data, metadata: {}, createdAt: new Date('2025-01-09T12:00:05.123Z') },
    deliveryId: 'dlv_1',
    attempt: 1,
    traceId: null,
    secrets: ['whsec_test'],
    timestamp: 1736424005,
  } as DeliveryRequestInput;
}

function unsendable(fn: () => unknown): UnsendableBody {
  try {
    fn();
  } catch (error) {
    if (error instanceof UnsendableBody) return error;
    throw error;
  }
  throw new Error('expected UnsendableBody');
}

describe('deliveryBody and MAX_DELIVERY_BODY_BYTES', () => {
  it('answers the envelope as it is when it fits, to the byte', () => {
    const plain = input({}, { title: 'Big deal é' });
    const body = deliveryBody(plain);
    expect(JSON.parse(body)).toMatchObject({ webhook_id: 'wh_1', event_id: 'evt_1', data: { title: 'Big deal é' } });
    expect(deliveryBody(plain, Buffer.byteLength(body))).toBe(body);
  });

  it('refuses an envelope one byte over the cap, counting UTF-8 bytes, with the size and the cap', () => {
    const plain = input({}, { text: 'é'.repeat(600) });
    const bytes = Buffer.byteLength(deliveryBody(plain));
    const error = unsendable(() => deliveryBody(plain, bytes - 1));
    expect(error.kind).toBe('body_too_large');
    expect(error.message).toBe(
      `the rendered body is ${formatBytes(bytes)} (${bytes} bytes), over the ${formatBytes(bytes - 1)} cap (MAX_DELIVERY_BODY_BYTES)`,
    );
  });

  it('refuses a template that renders over the cap before building it, naming its whole size', () => {
    const templated = input(
      { payloadTemplate: { copies: Array.from({ length: 100 }, () => '{{data}}') } },
      { blob: 'x'.repeat(900 * 1024) },
    );
    const error = unsendable(() => deliveryBody(templated, 5 * 1024 * 1024));
    expect(error.kind).toBe('body_too_large');
    expect(error.message).toMatch(
      /^the rendered body is 87\.9 MiB \(92\d{6} bytes\), over the 5 MiB cap \(MAX_DELIVERY_BODY_BYTES\)$/,
    );
  });

  it('caps a preset body too', () => {
    const error = unsendable(() => deliveryBody(input({ preset: 'slack' }, { note: 'x'.repeat(5000) }), 1024));
    expect(error.message).toMatch(/^the rendered body is 3\.\d KiB \(\d+ bytes\), over the 1 KiB cap/);
  });

  it('turns a render that throws into an unsendable body with the error', () => {
    const data: Record<string, unknown> = { name: 'loop' };
    data.self = data;
    const error = unsendable(() => deliveryBody(input({ payloadTemplate: { all: '{{data}}' } }, data)));
    expect(error.kind).toBe('render_failed');
    expect(error.message).toMatch(/^the body could not be rendered: Converting circular structure to JSON/);
  });

  it.each([
    [512, '512 bytes'],
    [1024, '1 KiB'],
    [2252, '2.2 KiB'],
    [5 * 1024 * 1024, '5 MiB'],
    [92_161_200, '87.9 MiB'],
    [64 * 1024 ** 3, '64 GiB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('batch requests', () => {
  const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const event = (n: number, eventType = 'deal.won') => ({
    id: `evt_${n}`,
    eventType,
    data: { n, title: `Сделка ${n}` },
    metadata: { source: 'crm' },
    createdAt: new Date(Date.UTC(2025, 0, 9, 12, 0, n)),
  });
  const batch = (
    events = [event(1), event(2), event(3)],
    overrides: Partial<BatchRequestInput> = {},
  ): BatchRequestInput => ({
    subscription: { id: 'wh_1', headers: { 'X-Tenant': 'acme' }, signatureFormat: 'timestamped' as const },
    events,
    batchId: 'bat_1',
    attempt: 2,
    secrets: [SECRET],
    timestamp: Math.floor(Date.now() / 1000),
    ...overrides,
  });

  it('gives each member exactly the body it would be sent alone with at this attempt', () => {
    const input = batch();
    const alone = input.events.map((e) =>
      deliveryBody({
        ...input,
        subscription: { ...input.subscription, payloadTemplate: null, preset: null, metadata: {} },
        event: e,
        deliveryId: 'dlv_x',
        traceId: null,
      }),
    );
    expect(batchMemberBodies(input)).toEqual(alone);
    expect(JSON.parse(alone[1])).toMatchObject({ event_id: 'evt_2', delivery_attempt: 2, webhook_id: 'wh_1' });
  });

  it('assembles the body as the JSON array of the envelopes, in batch order, byte for byte', () => {
    const bodies = batchMemberBodies(batch());
    const body = batchBody(bodies);
    expect(body).toBe(JSON.stringify(bodies.map((b) => JSON.parse(b))));
    expect((JSON.parse(body) as { event_id: string }[]).map((e) => e.event_id)).toEqual(['evt_1', 'evt_2', 'evt_3']);
  });

  it('fits the leading members into the byte cap, counting brackets, commas and UTF-8 bytes', () => {
    const bodies = batchMemberBodies(batch());
    const two = Buffer.byteLength(batchBody(bodies.slice(0, 2)));
    expect(batchFit(bodies, Number.POSITIVE_INFINITY)).toBe(3);
    expect(batchFit(bodies, Buffer.byteLength(batchBody(bodies)))).toBe(3);
    expect(batchFit(bodies, Buffer.byteLength(batchBody(bodies)) - 1)).toBe(2);
    expect(batchFit(bodies, two)).toBe(2);
    expect(batchFit(bodies, two - 1)).toBe(1);
  });

  it('keeps at least one member, and refuses a body over the cap as unsendable', () => {
    const bodies = batchMemberBodies(batch());
    expect(batchFit(bodies, 10)).toBe(1);
    const error = unsendable(() => batchBody(bodies.slice(0, 1), 10));
    expect(error.kind).toBe('body_too_large');
  });

  it('sends the batch headers: the batch id for delivery, event and message ids, the size, the common type', () => {
    const input = batch();
    const body = batchBody(batchMemberBodies(input));
    const headers = batchHeaders(input, body);
    expect(headers).toMatchObject({
      'X-Tenant': 'acme',
      'Content-Type': 'application/json',
      'X-Webhook-ID': 'wh_1',
      'X-Webhook-Event': 'deal.won',
      'X-Event-ID': 'bat_1',
      'X-Delivery-ID': 'bat_1',
      'X-Delivery-Attempt': '2',
      'X-Request-ID': 'bat_1',
      'X-Webhook-Batch-Size': '3',
      'webhook-id': 'bat_1',
    });
    const mixed = batch([event(1), event(2, 'lead.created')]);
    expect(batchHeaders(mixed, batchBody(batchMemberBodies(mixed)))['X-Webhook-Event']).toBe('mixed');
  });

  it('signs the whole array body with both schemes, in either signature format', () => {
    for (const signatureFormat of ['timestamped', 'body'] as const) {
      const input = batch(undefined, { subscription: { id: 'wh_1', headers: {}, signatureFormat } });
      const body = batchBody(batchMemberBodies(input));
      const headers = batchHeaders(input, body);
      const signed = signatureFormat === 'body' ? body : `${headers['X-Webhook-Timestamp']}.${body}`;
      expect(headers['X-Webhook-Signature']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(signed).digest('hex')}`,
      );
      expect(new Webhook(SECRET).verify(body, { ...headers })).toEqual(JSON.parse(body));
    }
  });
});
