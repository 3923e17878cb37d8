import { deliveryBody, DeliveryRequestInput, formatBytes, UnsendableBody } from './delivery-request';

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
