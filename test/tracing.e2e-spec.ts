import {
  createTenant,
  eventually,
  mustPost,
  Receiver,
  signedHeaders,
  Stack,
  startStack,
  Tenant,
} from './faults/helpers';
import { traceIdOf } from '../src/observability/trace-ids';
import { OtlpReceiver, ReceivedSpan } from './helpers/otlp-receiver';

const SECRET = 'tracing-source-secret-123';

/**
 * Tracing across real processes: an API and a worker started as `npm start` runs them, both exporting to
 * an OTLP/HTTP receiver on 127.0.0.1. The worker knows of a webhook only the rows it reads, so one trace
 * from ingest to delivery proves the trace travels with the data.
 */
describe('Tracing over OTLP/HTTP (e2e)', () => {
  let otlp: OtlpReceiver;
  let receiver: Receiver;
  let stack: Stack;
  let tenant: Tenant;
  let sourceId: string;

  beforeAll(async () => {
    otlp = await new OtlpReceiver().start();
    receiver = await new Receiver().start();
    stack = await startStack({
      name: 'tracing',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url(),
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_SERVICE_NAME: 'hookhub-e2e',
      },
    });
    tenant = await createTenant(stack.baseUrl);
    const source = await mustPost(
      stack.baseUrl,
      tenant,
      '/api/v1/sources',
      { name: 'shop', provider: 'generic', verification: { scheme: 'hmac-sha256', secret: SECRET } },
      201,
    );
    sourceId = source.source_id as string;
    await mustPost(
      stack.baseUrl,
      tenant,
      '/api/v1/webhooks',
      { name: 'sub', url: receiver.url(), events: ['order.*'] },
      201,
    );
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
    await otlp.stop();
  });

  async function ingest(body: string, headers: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${stack.baseUrl}/api/v1/ingest/${sourceId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signedHeaders(body, SECRET), ...headers },
      body,
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { meta: { trace_id: string } }).meta.trace_id;
  }

  /** What the receiver got, for a failure's message. */
  const received = (): string => otlp.spans.map((s) => `${s.traceId} ${s.name}`).join('\n');

  function spansOf(traceId: string, names: string[]): Promise<Map<string, ReceivedSpan>> {
    return eventually(
      async () => {
        const found = new Map(otlp.spans.filter((s) => s.traceId === traceId).map((s) => [s.name, s]));
        return names.every((name) => found.has(name)) ? found : undefined;
      },
      30_000,
      `spans ${names.join(', ')} of trace ${traceId}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; received:\n${received()}`);
    });
  }

  it('exports one trace per webhook: the ingest request, its processing and the delivery attempt', async () => {
    const requestId = await ingest(JSON.stringify({ event_type: 'order.created', event_id: 'ord-1', id: 1 }));
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const traceId = requestId.replace(/-/g, '');

    const spans = await spansOf(traceId, [
      'POST /api/v1/ingest/:source_id',
      'hookhub.inbound.process',
      'hookhub.delivery.attempt',
    ]);
    const ingestSpan = spans.get('POST /api/v1/ingest/:source_id')!;
    const processing = spans.get('hookhub.inbound.process')!;
    const attempt = spans.get('hookhub.delivery.attempt')!;

    expect(ingestSpan).toMatchObject({
      parentSpanId: '',
      kind: 2,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/api/v1/ingest/:source_id',
        'http.response.status_code': 202,
        'hookhub.provider': 'generic',
        'hookhub.ingest.outcome': 'accepted',
        'hookhub.inbound_event_id': expect.stringMatching(/^[a-z]+_[0-9a-z]{26}$/),
      },
      resource: { 'service.name': 'hookhub-e2e', 'hookhub.role': 'api' },
    });
    expect(processing).toMatchObject({
      parentSpanId: ingestSpan.spanId,
      kind: 5,
      attributes: {
        'hookhub.inbound_event_id': ingestSpan.attributes['hookhub.inbound_event_id'],
        'hookhub.provider': 'generic',
        'hookhub.outcome': 'completed',
      },
      resource: { 'service.name': 'hookhub-e2e', 'hookhub.role': 'worker' },
    });
    expect(attempt).toMatchObject({
      parentSpanId: ingestSpan.spanId,
      kind: 3,
      attributes: {
        'hookhub.attempt': 1,
        'hookhub.outcome': 'success',
        'hookhub.status_class': '2xx',
        'http.response.status_code': 200,
      },
      resource: { 'hookhub.role': 'worker' },
    });

    // the subscriber can continue the trace: traceparent names the attempt span
    const [delivered] = await receiver.waitForRequests(1);
    expect(delivered.headers.traceparent).toBe(`00-${traceId}-${attempt.spanId}-01`);
    expect(delivered.headers['x-request-id']).toBe(requestId);
    expect(otlp.contentTypes.every((type) => type.startsWith('application/json'))).toBe(true);
  }, 60_000);

  it("keeps the caller's traceparent as a link and derives the trace from a request id of its own", async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const requestId = await ingest(JSON.stringify({ event_type: 'order.paid', event_id: 'ord-2', id: 2 }), {
      'X-Request-ID': 'order-2-paid',
      traceparent: `00-${callerTrace}-00f067aa0ba902b7-01`,
    });
    expect(requestId).toBe('order-2-paid');
    const ingestSpan = await eventually(
      async () =>
        otlp.spans.find(
          (s) => s.name === 'POST /api/v1/ingest/:source_id' && s.links.some((l) => l.traceId === callerTrace),
        ),
      30_000,
      'the request span linked to the caller',
    );
    expect(ingestSpan.traceId).toBe(traceIdOf('order-2-paid'));
    expect(ingestSpan.links).toEqual([{ traceId: callerTrace, spanId: '00f067aa0ba902b7' }]);
    const spans = await spansOf(ingestSpan.traceId, ['hookhub.inbound.process', 'hookhub.delivery.attempt']);
    expect(spans.get('hookhub.delivery.attempt')!.parentSpanId).toBe(ingestSpan.spanId);
  }, 60_000);
});
