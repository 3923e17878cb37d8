import { createHmac, randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundCount, inboundEvent } from './helpers/inbound';
import { eventually, Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '200ms',
  SWEEP_INTERVAL: '300ms',
  MAX_BODY_BYTES: '64kb',
};

const SECRET = 'generic-source-secret-123';

function signed(body: string, secret = SECRET, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'X-Webhook-Timestamp': String(timestamp), 'X-Webhook-Signature': `sha256=${signature}` };
}

describe('Incoming webhooks (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startApp(ENV);
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await t.close();
  });

  async function createSource(body: Record<string, unknown> = {}) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'generic', provider: 'generic', verification: { scheme: 'hmac-sha256', secret: SECRET }, ...body });
    expect(res.status).toBe(201);
    return res.body.data as { source_id: string; ingest_url: string; secret: string };
  }

  const storedCount = (sourceId: string) => inboundCount(t.http, tenant.auth, sourceId);

  const inbound = (id: string) => inboundEvent(t.http, tenant.auth, id);

  it('creates a source with its ingest_url and shows the secret once', async () => {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'orders', provider: 'generic' })
      .expect(201);
    expect(res.body.data).toMatchObject({
      source_id: expect.stringMatching(/^src_[0-9a-z]{26}$/),
      name: 'orders',
      provider: 'generic',
      verification: { scheme: 'hmac-sha256', header: null, tolerance_s: 300 },
      active: true,
      secret: expect.any(String),
    });
    expect(res.body.data.ingest_url).toMatch(new RegExp(`/api/v1/ingest/${res.body.data.source_id}$`));
    const got = await request(t.http).get(`/api/v1/sources/${res.body.data.source_id}`).set(tenant.auth).expect(200);
    expect(got.body.data.secret).toBeUndefined();
  });

  it('puts ?token= in the ingest_url of a url-token source (the Kommo default)', async () => {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'crm', provider: 'kommo' })
      .expect(201);
    expect(res.body.data.verification.scheme).toBe('url-token');
    expect(new URL(res.body.data.ingest_url).searchParams.get('token')).toBe(res.body.data.secret);
  });

  it('accepts a signed event with 202 after storing it, processes it and delivers it to a subscriber', async () => {
    const receiver = await new Receiver().start();
    try {
      const sub = await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: 'orders', url: receiver.url(), events: ['order.*'] })
        .expect(201);
      const source = await createSource();
      const body = JSON.stringify({ event_type: 'order.created', order: { id: 42 } });
      const res = await request(t.http)
        .post(`/api/v1/ingest/${source.source_id}`)
        .set('Content-Type', 'application/json')
        .set(signed(body))
        .send(body)
        .expect(202);
      expect(res.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });

      const done = await eventually(async () => {
        const e = await inbound(res.body.data.webhook_event_id);
        return e.status === 'completed' ? e : undefined;
      });
      expect(done).toMatchObject({
        event_type: 'order.created',
        provider: 'generic',
        retry_count: 0,
        payload: { order: { id: 42 } },
      });
      expect(done.events).toHaveLength(1);
      expect(done.headers['x-webhook-signature']).toMatch(/^sha256=/);

      const [delivered] = await receiver.waitForRequests(1);
      const envelope = JSON.parse(delivered.body);
      expect(envelope).toMatchObject({
        event_type: 'order.created',
        event_id: done.events[0].event_id,
        data: { order: { id: 42 } },
      });
      const wh = new Webhook(sub.body.data.secret);
      expect(() =>
        wh.verify(delivered.body, {
          'webhook-id': delivered.headers['webhook-id'] as string,
          'webhook-timestamp': delivered.headers['webhook-timestamp'] as string,
          'webhook-signature': delivered.headers['webhook-signature'] as string,
        }),
      ).not.toThrow();
    } finally {
      await receiver.stop();
    }
  });

  it('answers a duplicate with 200 and the first id, storing nothing new', async () => {
    const source = await createSource();
    const body = JSON.stringify({ type: 'order.paid', event_id: 'evt-1' });
    const first = await request(t.http)
      .post(`/api/v1/ingest/${source.source_id}`)
      .set('Content-Type', 'application/json')
      .set(signed(body))
      .send(body)
      .expect(202);
    const again = JSON.stringify({ type: 'order.paid', event_id: 'evt-1', retry: true });
    const second = await request(t.http)
      .post(`/api/v1/ingest/${source.source_id}`)
      .set('Content-Type', 'application/json')
      .set(signed(again))
      .send(again)
      .expect(200);
    expect(second.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
    expect(await storedCount(source.source_id)).toBe(1);
  });

  it('answers copies sent at once (one group commit) with one 202 and duplicates of its id', async () => {
    const source = await createSource();
    const post = (body: string) =>
      request(t.http)
        .post(`/api/v1/ingest/${source.source_id}`)
        .set('Content-Type', 'application/json')
        .set(signed(body))
        .send(body);
    const copies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(JSON.stringify({ type: 'order.paid', event_id: 'same', copy: i }))),
    );
    const others = await Promise.all(
      Array.from({ length: 4 }, (_, i) => post(JSON.stringify({ type: 'order.paid', event_id: `other-${i}` }))),
    );
    expect(copies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    const first = copies.find((r) => r.status === 202)!.body.data.webhook_event_id;
    for (const r of copies.filter((c) => c.status === 200)) {
      expect(r.body.data).toEqual({ webhook_event_id: first, status: 'duplicate' });
    }
    expect(others.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(others.map((r) => r.body.data.webhook_event_id)).size).toBe(4);
    expect(await storedCount(source.source_id)).toBe(5);
  });

  it('fails only the request PostgreSQL cannot store when others are written with it (a NUL is stored as U+FFFD)', async () => {
    const source = await createSource({ verification: { scheme: 'none' } });
    const post = (body: string) =>
      request(t.http).post(`/api/v1/ingest/${source.source_id}`).set('Content-Type', 'application/json').send(body);
    const answers = await Promise.all([
      post(JSON.stringify({ type: 'a.b', event_id: 'good-1' })),
      // a 24 KB event id: its dedup key is over the unique index's limit (2704 bytes), even compressed
      post(JSON.stringify({ type: 'a.b', event_id: randomBytes(12_000).toString('hex') })),
      post(JSON.stringify({ type: 'a.b', event_id: 'good-2' })),
      post(JSON.stringify({ type: 'a.b', event_id: 'odd-\u0000-nul' })),
    ]);
    expect(answers.map((r) => r.status)).toEqual([202, 400, 202, 202]);
    expect(answers[1].body.error.code).toBe('VALIDATION_FAILED');
    expect(await storedCount(source.source_id)).toBe(3);
    const odd = await inboundEvent(t.http, tenant.auth, answers[3].body.data.webhook_event_id);
    expect(odd.dedup_key).toBe('odd-\uFFFD-nul');
  });

  it('takes /webhooks/incoming/{kind} with X-Webhook-ID, the kind naming the event type', async () => {
    const source = await createSource();
    const body = JSON.stringify({ text: 'hi' });
    const res = await request(t.http)
      .post('/api/v1/webhooks/incoming/message')
      .set('X-Webhook-ID', source.source_id)
      .set('Content-Type', 'application/json')
      .set(signed(body))
      .send(body)
      .expect(202);
    const done = await eventually(async () => {
      const e = await inbound(res.body.data.webhook_event_id);
      return e.status === 'completed' ? e : undefined;
    });
    expect(done.event_type).toBe('message');
  });

  it('parses form bodies with percent-encoded nested keys', async () => {
    const source = await createSource({ verification: { scheme: 'none' } });
    const body =
      'event_type=lead.updated&leads%5Bstatus%5D%5B0%5D%5Bid%5D=25&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142&account%5Bid%5D=7';
    const res = await request(t.http)
      .post(`/api/v1/ingest/${source.source_id}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(body)
      .expect(202);
    const e = await inbound(res.body.data.webhook_event_id);
    expect(e.payload).toEqual({
      event_type: 'lead.updated',
      leads: { status: [{ id: '25', status_id: '142' }] },
      account: { id: '7' },
    });
  });

  describe('refusals store nothing', () => {
    let source: { source_id: string };
    const body = JSON.stringify({ event_type: 'order.created' });

    beforeEach(async () => {
      source = await createSource();
    });

    afterEach(async () => {
      expect(await storedCount(source.source_id)).toBe(0);
    });

    const post = () => request(t.http).post(`/api/v1/ingest/${source.source_id}`);

    it('401 INVALID_SIGNATURE for a tampered body', async () => {
      const res = await post()
        .set('Content-Type', 'application/json')
        .set(signed(body))
        .send(body.replace('created', 'deleted'))
        .expect(401);
      expect(res.body.error.code).toBe('INVALID_SIGNATURE');
    });

    it('401 for a wrong secret and for a missing signature', async () => {
      await post()
        .set('Content-Type', 'application/json')
        .set(signed(body, 'another-secret-entirely'))
        .send(body)
        .expect(401);
      const res = await post().set('Content-Type', 'application/json').send(body).expect(401);
      expect(res.body.error.message).toMatch(/X-Webhook-Signature|signature/i);
    });

    it('401 for a stale timestamp', async () => {
      const res = await post()
        .set('Content-Type', 'application/json')
        .set(signed(body, SECRET, Math.floor(Date.now() / 1000) - 3600))
        .send(body)
        .expect(401);
      expect(res.body.error.message).toMatch(/tolerance|timestamp/i);
    });

    it('400 INVALID_JSON for a malformed signed body', async () => {
      const broken = '{"event_type": ';
      const res = await post().set('Content-Type', 'application/json').set(signed(broken)).send(broken).expect(400);
      expect(res.body.error.code).toBe('INVALID_JSON');
    });

    it('400 VALIDATION_FAILED for a body nested too deep', async () => {
      const deep = '{"a":'.repeat(40) + '1' + '}'.repeat(40);
      const res = await post().set('Content-Type', 'application/json').set(signed(deep)).send(deep).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('415 UNSUPPORTED_MEDIA_TYPE for another content type', async () => {
      const res = await post().set('Content-Type', 'text/plain').set(signed(body)).send(body).expect(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('413 PAYLOAD_TOO_LARGE over MAX_BODY_BYTES', async () => {
      const big = JSON.stringify({ event_type: 'order.created', pad: 'x'.repeat(70_000) });
      const res = await post().set('Content-Type', 'application/json').set(signed(big)).send(big).expect(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  it('404 for an unknown source and 403 for a disabled one', async () => {
    const body = JSON.stringify({ event_type: 'order.created' });
    const unknown = await request(t.http)
      .post('/api/v1/ingest/src_00000000000000000000000000')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    await request(t.http)
      .post('/api/v1/webhooks/incoming/message')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(404);
    const source = await createSource({ active: false });
    const res = await request(t.http)
      .post(`/api/v1/ingest/${source.source_id}`)
      .set('Content-Type', 'application/json')
      .set(signed(body))
      .send(body)
      .expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await storedCount(source.source_id)).toBe(0);
  });

  it('answers the same on the fast path (canonical URL) as on the Nest route (trailing slash)', async () => {
    const source = await createSource();
    // headers that depend on the request or the moment, and the ids inside the bodies
    const comparable = (res: request.Response) => ({
      status: res.status,
      headers: Object.fromEntries(
        Object.entries(res.headers).filter(([name]) => !['date', 'etag', 'content-length'].includes(name)),
      ),
      body: JSON.parse(
        JSON.stringify(res.body).replace(/"webhook_event_id":"[^"]*"/g, '"webhook_event_id":"x"'),
      ) as unknown,
    });
    const send = (path: string, body: string, headers: Record<string, string>, traceId: string) =>
      request(t.http)
        .post(path)
        .set('Content-Type', 'application/json')
        .set('X-Request-ID', traceId)
        .set(headers)
        .send(body);
    // a new event for each path (else the second is a duplicate), malformed JSON, unsigned, bad media type
    const cases: [(path: string) => string, Record<string, string>][] = [
      [(path) => JSON.stringify({ event_type: 'order.created', event_id: `same-answer-${path}` }), {}],
      [() => '{"event_type":', {}],
      [() => 'a=1', { 'Content-Type': 'text/plain' }],
    ];
    for (const [bodyFor, extra] of cases) {
      for (const withSignature of [true, false]) {
        const answer = (path: string) => {
          const body = bodyFor(path);
          return send(path, body, { ...(withSignature ? signed(body) : {}), ...extra }, 'trace-same');
        };
        const fast = await answer(`/api/v1/ingest/${source.source_id}`);
        const nest = await answer(`/api/v1/ingest/${source.source_id}/`);
        expect(comparable(nest)).toEqual(comparable(fast));
      }
    }
    // the event stored once through either path: the second answer is the duplicate of the first
    const body = JSON.stringify({ event_type: 'order.created', event_id: 'same-answer-2' });
    const first = await send(`/api/v1/ingest/${source.source_id}/`, body, signed(body), 't1').expect(202);
    const again = await send(`/api/v1/ingest/${source.source_id}`, body, signed(body), 't2').expect(200);
    expect(again.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
    const unknown = await send('/api/v1/ingest/src_00000000000000000000000000', body, {}, 'trace-404');
    const unknownNest = await send('/api/v1/ingest/src_00000000000000000000000000/', body, {}, 'trace-404');
    expect(comparable(unknownNest)).toEqual(comparable(unknown));
    expect(unknown.status).toBe(404);
  });

  it('sees a rotated secret, a disable and a delete at once, right after ingesting', async () => {
    const source = await createSource();
    const post = (body: string, secret: string) =>
      request(t.http)
        .post(`/api/v1/ingest/${source.source_id}`)
        .set('Content-Type', 'application/json')
        .set(signed(body, secret))
        .send(body);
    await post(JSON.stringify({ type: 'a.b', n: 1 }), SECRET).expect(202);
    const rotated = 'rotated-source-secret-456';
    await request(t.http)
      .patch(`/api/v1/sources/${source.source_id}`)
      .set(tenant.auth)
      .send({ verification: { scheme: 'hmac-sha256', secret: rotated } })
      .expect(200);
    expect((await post(JSON.stringify({ type: 'a.b', n: 2 }), SECRET).expect(401)).body.error.code).toBe(
      'INVALID_SIGNATURE',
    );
    await post(JSON.stringify({ type: 'a.b', n: 3 }), rotated).expect(202);
    await request(t.http)
      .patch(`/api/v1/sources/${source.source_id}`)
      .set(tenant.auth)
      .send({ active: false })
      .expect(200);
    await post(JSON.stringify({ type: 'a.b', n: 4 }), rotated).expect(403);
    await request(t.http)
      .patch(`/api/v1/sources/${source.source_id}`)
      .set(tenant.auth)
      .send({ active: true })
      .expect(200);
    await post(JSON.stringify({ type: 'a.b', n: 5 }), rotated).expect(202);
    await request(t.http).delete(`/api/v1/sources/${source.source_id}`).set(tenant.auth).expect(200);
    await post(JSON.stringify({ type: 'a.b', n: 6 }), rotated).expect(404);
  });

  it('429 RATE_LIMITED with Retry-After over the source rate', async () => {
    const source = await createSource({ verification: { scheme: 'none' }, config: { rate_limit_per_second: 2 } });
    const codes: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 6; i += 1) {
      const res = await request(t.http)
        .post(`/api/v1/ingest/${source.source_id}`)
        .set('Content-Type', 'application/json')
        .send({ event_type: 'x.y', n: i });
      codes.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'];
    }
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(retryAfter).toBe('1');
  });

  it('fails an event with no event type at once (no retry can help), and a manual retry after a fix recovers it', async () => {
    const source = await createSource({ verification: { scheme: 'none' }, config: { max_retries: 2 } });
    const res = await request(t.http)
      .post(`/api/v1/ingest/${source.source_id}`)
      .set('Content-Type', 'application/json')
      .send({ no_type: true })
      .expect(202);
    const id = res.body.data.webhook_event_id;
    const failed = await eventually(async () => {
      const e = await inbound(id);
      return e.status === 'failed' ? e : undefined;
    });
    expect(failed).toMatchObject({
      retry_count: 1,
      max_retries: 2,
      next_retry_at: null,
      error: expect.stringMatching(/no event type/),
    });
    const seen = await request(t.http)
      .get(`/api/v1/inbound-events?status=failed&source_id=${source.source_id}`)
      .set(tenant.auth)
      .expect(200);
    expect(seen.body.data.map((e: { id: string }) => e.id)).toEqual([id]);

    await request(t.http)
      .patch(`/api/v1/sources/${source.source_id}`)
      .set(tenant.auth)
      .send({ config: { default_event_type: 'order.unknown' } })
      .expect(200);
    const retried = await request(t.http).post(`/api/v1/inbound-events/${id}/retry`).set(tenant.auth).expect(202);
    expect(retried.body.data).toEqual({ id, status: 'pending' });
    const done = await eventually(async () => {
      const e = await inbound(id);
      return e.status === 'completed' ? e : undefined;
    });
    expect(done.event_type).toBe('order.unknown');
    await request(t.http).post(`/api/v1/inbound-events/${id}/retry`).set(tenant.auth).expect(409);
  });

  it('lists history with filters, page-based pagination and payload_preview', async () => {
    const source = await createSource({ verification: { scheme: 'none' } });
    for (let i = 0; i < 5; i += 1) {
      await request(t.http)
        .post(`/api/v1/ingest/${source.source_id}`)
        .set('Content-Type', 'application/json')
        .send({ event_type: i % 2 ? 'order.paid' : 'order.created', n: i })
        .expect(202);
    }
    await eventually(async () => {
      const r = await request(t.http)
        .get(`/api/v1/inbound-events?source_id=${source.source_id}&status=completed`)
        .set(tenant.auth)
        .expect(200);
      return r.body.meta.pagination.total === 5 ? true : undefined;
    });
    const page2 = await request(t.http)
      .get(`/api/v1/inbound-events?source_id=${source.source_id}&page=2&limit=2`)
      .set(tenant.auth)
      .expect(200);
    expect(page2.body.meta.pagination).toEqual({ page: 2, limit: 2, total: 5, total_pages: 3 });
    expect(page2.body.data).toHaveLength(2);
    expect(page2.body.data[0].payload_preview).toEqual(['event_type', 'n']);
    const paid = await request(t.http)
      .get(`/api/v1/inbound-events?source_id=${source.source_id}&event_type=order.paid&provider=generic`)
      .set(tenant.auth)
      .expect(200);
    expect(paid.body.meta.pagination.total).toBe(2);
    const future = await request(t.http)
      .get(`/api/v1/inbound-events?source_id=${source.source_id}&start_date=2999-01-01T00:00:00Z`)
      .set(tenant.auth)
      .expect(200);
    expect(future.body.meta.pagination.total).toBe(0);
    await request(t.http).get('/api/v1/inbound-events?status=lost').set(tenant.auth).expect(400);
    const other = await createTenant(t.http);
    const none = await request(t.http)
      .get(`/api/v1/inbound-events?source_id=${source.source_id}`)
      .set(other.auth)
      .expect(200);
    expect(none.body.meta.pagination.total).toBe(0);
    await request(t.http).get(`/api/v1/inbound-events/${page2.body.data[0].id}`).set(other.auth).expect(404);
  });

  it('the sweeper processes inbound events after the queue keys are deleted', async () => {
    const api = await startApp({ ...ENV, APP_ROLE: 'api', QUEUE_PREFIX: `${t.queuePrefix}:sweep` });
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const apiTenant = await createTenant(api.http);
      const src = await request(api.http)
        .post('/api/v1/sources')
        .set(apiTenant.auth)
        .send({ name: 's', provider: 'generic', verification: { scheme: 'none' } })
        .expect(201);
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const r = await request(api.http)
          .post(`/api/v1/ingest/${src.body.data.source_id}`)
          .set('Content-Type', 'application/json')
          .send({ event_type: 'order.created', n: i })
          .expect(202);
        ids.push(r.body.data.webhook_event_id);
      }
      // the API role queued them under its own prefix; wipe it: only PostgreSQL knows them now
      const keys = await redis.keys(`${t.queuePrefix}:sweep:*`);
      if (keys.length) await redis.del(...keys);
      // this app's worker (another prefix) finds them through its sweeper
      for (const id of ids) {
        await eventually(async () => {
          const r = await request(t.http).get(`/api/v1/inbound-events/${id}`).set(apiTenant.auth).expect(200);
          return r.body.data.status === 'completed' ? true : undefined;
        });
      }
    } finally {
      redis.disconnect();
      await api.close();
    }
  });
});
