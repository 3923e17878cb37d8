import request from 'supertest';
import { DataSource } from 'typeorm';
import { MAX_RELEASES } from '../src/database/release-claim';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundEvent, settledInbound } from './helpers/inbound';
import { eventually, Receiver } from './helpers/receiver';

/**
 * Issue #17, points 2 and 3: hostile bytes from subscribers and providers never leave work stuck,
 * a row PostgreSQL still refuses ends in a terminal state with its error, work given back without
 * an attempt recorded is given back at most MAX_RELEASES times in a row, and a delivery body over
 * MAX_DELIVERY_BODY_BYTES is never sent.
 */

const OUTGOING = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms,300ms,300ms',
  INBOUND_RETRY_SCHEDULE: '100ms',
  SWEEP_INTERVAL: '300ms',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when `text` still holds NUL or a lone UTF-16 surrogate. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

async function subscribe(t: TestApp, tenant: TestTenant, body: Record<string, unknown>) {
  const res = await request(t.http)
    .post('/api/v1/webhooks')
    .set(tenant.auth)
    .send({ name: 'sub', events: ['*'], ...body });
  expect(res.status).toBe(201);
  return res.body.data as { webhook_id: string };
}

async function publish(t: TestApp, tenant: TestTenant, eventType: string, data: Record<string, unknown>) {
  const res = await request(t.http).post('/api/v1/events').set(tenant.auth).send({ event_type: eventType, data });
  expect(res.status).toBe(202);
  return res.body.data as { event_id: string; matched_webhooks: number };
}

interface DeliveryDetail {
  delivery_id: string;
  status: string;
  attempt: number;
  error: string | null;
  attempts: {
    success: boolean;
    http_status: number | null;
    error: string | null;
    error_kind: string | null;
    request: { body: string };
    response: { body: string | null };
  }[];
}

/** The only delivery of a subscription, with its attempts, once its status is one of `statuses`. */
async function settledDelivery(
  t: TestApp,
  tenant: TestTenant,
  webhookId: string,
  statuses: string[],
  timeoutMs = 15_000,
): Promise<DeliveryDetail> {
  const id = await eventually(
    async () => {
      const res = await request(t.http).get(`/api/v1/webhooks/${webhookId}/deliveries`).set(tenant.auth).expect(200);
      const found = (res.body.data as { delivery_id: string; status: string }[]).find((d) =>
        statuses.includes(d.status),
      );
      return found?.delivery_id;
    },
    timeoutMs,
    `a delivery of ${webhookId} ${statuses.join(' or ')}`,
  );
  const detail = await request(t.http).get(`/api/v1/webhooks/deliveries/${id}`).set(tenant.auth).expect(200);
  return detail.body.data as DeliveryDetail;
}

async function createSource(t: TestApp, tenant: TestTenant, body: Record<string, unknown>) {
  const res = await request(t.http).post('/api/v1/sources').set(tenant.auth).send(body);
  expect(res.status).toBe(201);
  return res.body.data as { source_id: string; ingest_url: string; secret: string | null };
}

/** Posts exact bytes to an ingest route; answers the inbound event id (202). */
async function ingest(t: TestApp, path: string, body: Buffer, contentType: string): Promise<string> {
  // the bytes as a string (superagent would serialise a Buffer); every body here is ASCII
  const res = await request(t.http).post(path).set('Content-Type', contentType).send(body.toString('utf8'));
  expect({ status: res.status, body: res.body }).toEqual({ status: 202, body: expect.anything() });
  return res.body.data.webhook_event_id as string;
}

describe('Hostile bytes from subscribers (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(OUTGOING);
    receiver = await new Receiver().start();
    receiver.reply = (req) => {
      if (req.path === '/nul') return { status: 200, body: 'ok\u0000done' };
      // 0xFF 0xFE is not UTF-8; ED A0 80 is a lone surrogate (U+D800) encoded as if it were a character
      if (req.path === '/bytes') return { status: 200, body: Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0xed, 0xa0, 0x80]) };
      return { status: 200, body: 'ok' };
    };
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver.requests.length = 0;
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('a 200 answer holding NUL, invalid UTF-8 or an encoded lone surrogate is stored cleaned, and the delivery succeeds after one attempt', async () => {
    const nul = await subscribe(t, tenant, { url: receiver.url('/nul') });
    const bytes = await subscribe(t, tenant, { url: receiver.url('/bytes') });
    await publish(t, tenant, 'deal.won', { id: 1 });

    const first = await settledDelivery(t, tenant, nul.webhook_id, ['success']);
    expect(first).toMatchObject({ status: 'success', attempt: 1, error: null });
    expect(first.attempts).toHaveLength(1);
    expect(first.attempts[0].response.body).toBe('ok\uFFFDdone');

    const second = await settledDelivery(t, tenant, bytes.webhook_id, ['success']);
    expect(second).toMatchObject({ status: 'success', attempt: 1 });
    expect(second.attempts[0].response.body).toMatch(/^ok\uFFFD+$/);
    expect(second.attempts[0].response.body).not.toMatch(UNSTORABLE);

    // one request each, and none after: nothing was given back to be sent again
    await sleep(1_000);
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/bytes', '/nul']);
  });
});

describe('Hostile bytes from providers (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(OUTGOING);
    receiver = await new Receiver().start();
    tenant = await createTenant(t.http, 'Hostile provider tenant');
    await subscribe(t, tenant, { url: receiver.url() });
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  /** The deliveries the subscriber received for an event id. */
  const deliveredBodies = (eventIds: string[]) =>
    receiver.requests.map((r) => JSON.parse(r.body)).filter((b) => eventIds.includes(b.event_id));

  it('processes a Kommo form with %00 in keys and values (url-token, /ingest/{source_id}): completed, its events published and delivered', async () => {
    const source = await createSource(t, tenant, { name: 'Kommo', provider: 'kommo', config: {} });
    const lead = (field: string) => encodeURIComponent(`leads[status][0][${field}]`);
    const body = [
      `${lead('id')}=2380%002129`,
      `${lead('name')}=Deal%00with+a+NUL`,
      `${lead('status_id')}=47873533`,
      `${lead('old_status_id')}=47888833`,
      `${lead('pipeline_id')}=5389528`,
      `${lead('last_modified')}=1726139530`,
      `${lead('custom_fields')}${encodeURIComponent('[0][na')}%00${encodeURIComponent('me]')}=utm%00source`,
      `${encodeURIComponent('account[subdomain]')}=example%00corp`,
      `${encodeURIComponent('account[id]')}=29013640`,
    ].join('&');
    const path = `/api/v1/ingest/${source.source_id}?token=${source.secret}`;
    const id = await ingest(t, path, Buffer.from(body), 'application/x-www-form-urlencoded');

    const done = await settledInbound(t.http, tenant.auth, id, 'completed');
    expect(done).toMatchObject({ status: 'completed', error: null, event_type: 'lead.status_changed' });
    expect(JSON.stringify(done.payload)).toContain('\uFFFD');
    expect(JSON.stringify(done)).not.toMatch(/\\u0000/);
    const eventIds = done.execution_context.events as string[];
    expect(eventIds.length).toBeGreaterThan(0);

    const delivered = await eventually(async () => {
      const bodies = deliveredBodies(eventIds);
      return bodies.length === eventIds.length ? bodies : undefined;
    });
    expect(JSON.stringify(delivered)).toContain('Deal\uFFFDwith a NUL');
  });

  it('processes a generic JSON event whose keys and values hold \\u0000 and lone surrogates', async () => {
    const source = await createSource(t, tenant, {
      name: 'open',
      provider: 'generic',
      verification: { scheme: 'none' },
    });
    const body = String.raw`{"event_type":"thing.happened","event_id":"odd\u0000id","na\u0000me":"a\u0000b","s":"\ud800x","t":"y\udc00","ok":"\ud83d\ude00"}`;
    const id = await ingest(t, `/api/v1/ingest/${source.source_id}`, Buffer.from(body), 'application/json');

    const done = await settledInbound(t.http, tenant.auth, id, 'completed');
    expect(done.dedup_key).toBe('odd\uFFFDid');
    expect(done.payload).toEqual({
      event_type: 'thing.happened',
      event_id: 'odd\uFFFDid',
      'na\uFFFDme': 'a\uFFFDb',
      s: '\uFFFDx',
      t: 'y\uFFFD',
      ok: '\u{1F600}',
    });
    const [eventId] = done.execution_context.events as string[];
    const [delivered] = await eventually(async () => {
      const bodies = deliveredBodies([eventId]);
      return bodies.length === 1 ? bodies : undefined;
    });
    expect(delivered.data).toEqual(done.payload);

    // the same bytes again are a duplicate of the stored event
    const again = await request(t.http)
      .post(`/api/v1/ingest/${source.source_id}`)
      .set('Content-Type', 'application/json')
      .send(body);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({ webhook_event_id: id, status: 'duplicate' });
  });

  it('POST /events with NUL or a lone surrogate in data answers 400 VALIDATION_FAILED naming the field, and stores nothing', async () => {
    const db = t.app.get(DataSource);
    const count = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM events WHERE tenant_id = $1`, [tenant.tenantId]))[0].n);
    const before = await count();
    for (const raw of [
      String.raw`{"event_type":"deal.won","data":{"na\u0000me":1}}`,
      String.raw`{"event_type":"deal.won","data":{"x":1},"metadata":{"m":"\udfff"}}`,
    ]) {
      const res = await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual([
        { field: expect.stringMatching(/^(data|metadata)$/), message: expect.stringMatching(/NUL/) },
      ]);
    }
    expect(await count()).toBe(before);
  });
});

describe('Delivery body cap, default MAX_DELIVERY_BODY_BYTES (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(OUTGOING);
    receiver = await new Receiver().start();
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('a payload_template with 100 "{{data}}" over a ~900 KiB event is not sent: one attempt names the size, the delivery is dead', async () => {
    const sub = await subscribe(t, tenant, {
      url: receiver.url(),
      payload_template: { copies: Array.from({ length: 100 }, () => '{{data}}') },
    });
    await publish(t, tenant, 'report.ready', { blob: 'x'.repeat(900 * 1024) });

    const dead = await settledDelivery(t, tenant, sub.webhook_id, ['dead']);
    expect(dead).toMatchObject({ status: 'dead', attempt: 1 });
    expect(dead.attempts).toHaveLength(1);
    expect(dead.attempts[0]).toMatchObject({ success: false, http_status: null, error_kind: 'body_too_large' });
    expect(dead.attempts[0].error).toMatch(
      /^the rendered body is 87\.9 MiB \(92\d{6} bytes\), over the 5 MiB cap \(MAX_DELIVERY_BODY_BYTES\)$/,
    );
    expect(dead.error).toBe(dead.attempts[0].error);
    await sleep(1_000);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('Delivery body cap, MAX_DELIVERY_BODY_BYTES=1kb (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp({ ...OUTGOING, MAX_DELIVERY_BODY_BYTES: '1kb' });
    receiver = await new Receiver().start();
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver.requests.length = 0;
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('the plain envelope over the cap is not sent either, and a body under it is', async () => {
    const sub = await subscribe(t, tenant, { url: receiver.url() });
    await publish(t, tenant, 'note.added', { text: 'y'.repeat(2_000) });
    const dead = await settledDelivery(t, tenant, sub.webhook_id, ['dead']);
    expect(dead).toMatchObject({ status: 'dead', attempt: 1 });
    expect(dead.attempts[0].error).toMatch(/^the rendered body is 2\.\d KiB \(\d+ bytes\), over the 1 KiB cap/);

    await publish(t, tenant, 'note.added', { text: 'short' });
    await receiver.waitForRequests(1);
    expect(JSON.parse(receiver.requests[0].body).data).toEqual({ text: 'short' });
  });

  it('POST /webhooks/{id}/test answers the refused attempt with its error', async () => {
    const sub = await subscribe(t, tenant, {
      url: receiver.url(),
      payload_template: { copies: Array.from({ length: 100 }, () => 'copy of {{data}}') },
    });
    const res = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/test`).set(tenant.auth).expect(200);
    expect(res.body.data).toMatchObject({
      success: false,
      http_status: null,
      error: expect.stringMatching(/^the rendered body is .* over the 1 KiB cap \(MAX_DELIVERY_BODY_BYTES\)$/),
    });
    const detail = await request(t.http)
      .get(`/api/v1/webhooks/deliveries/${res.body.data.delivery_id}`)
      .set(tenant.auth)
      .expect(200);
    expect(detail.body.data).toMatchObject({ status: 'dead', attempt: 1 });
    expect(receiver.requests).toHaveLength(0);
  });
});

/**
 * Rows PostgreSQL refuses even after the text is cleaned: the test adds CHECK constraints (NOT VALID,
 * so existing rows are not scanned) that refuse only rows carrying this spec's markers, standing for
 * any value the database refuses; they are dropped afterwards.
 */
describe('Rows PostgreSQL refuses (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    // a long inbound schedule: a run that was retried would take 10 minutes to fail
    t = await startApp({ ...OUTGOING, INBOUND_RETRY_SCHEDULE: '10m' });
    db = t.app.get(DataSource);
    await db.query(
      `ALTER TABLE delivery_attempts ADD CONSTRAINT nothing_stuck_refused_answer
         CHECK (response_body IS NULL OR position('refuse-this-answer' in response_body) = 0) NOT VALID`,
    );
    await db.query(
      `ALTER TABLE events ADD CONSTRAINT nothing_stuck_refused_event CHECK (event_type <> 'nothing.refused') NOT VALID`,
    );
    receiver = await new Receiver().start();
    receiver.reply = () => ({ status: 200, body: 'refuse-this-answer' });
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await db.query('ALTER TABLE delivery_attempts DROP CONSTRAINT IF EXISTS nothing_stuck_refused_answer');
    await db.query('ALTER TABLE events DROP CONSTRAINT IF EXISTS nothing_stuck_refused_event');
    await receiver.stop();
    await t.close();
  });

  it('a delivery whose attempt PostgreSQL refuses ends dead with the error after that one attempt, not given back', async () => {
    const sub = await subscribe(t, tenant, { url: receiver.url() });
    await publish(t, tenant, 'deal.won', { id: 1 });
    const dead = await settledDelivery(t, tenant, sub.webhook_id, ['dead']);
    expect(dead).toMatchObject({ status: 'dead', attempt: 1, attempts: [] });
    expect(dead.error).toMatch(
      /^attempt 1 \(HTTP 200\) could not be stored: .*nothing_stuck_refused_answer.*; the delivery is not retried$/,
    );
    await sleep(4_000); // longer than a give-back's 3 s
    expect(receiver.requests).toHaveLength(1);
  });

  it('an inbound event whose events PostgreSQL refuses ends failed at once with the error', async () => {
    const source = await createSource(t, tenant, {
      name: 'open',
      provider: 'generic',
      verification: { scheme: 'none' },
    });
    const id = await ingest(
      t,
      `/api/v1/ingest/${source.source_id}`,
      Buffer.from('{"event_type":"nothing.refused"}'),
      'application/json',
    );
    const failed = await settledInbound(t.http, tenant.auth, id, 'failed');
    expect(failed).toMatchObject({ status: 'failed', retry_count: 1, next_retry_at: null });
    expect(failed.error).toMatch(/^the run's result could not be stored: .*nothing_stuck_refused_event/);
  });
});

/**
 * Work given back without an attempt or a run recorded. A transient error is stood for by a trigger
 * the test adds that raises a serialization failure (SQLSTATE 40001) for this spec's marker answer;
 * a worker that died mid-run by a row left `sending` / `processing` with its lease run out.
 */
describe(`Give-backs are bounded to ${MAX_RELEASES} in a row (e2e)`, () => {
  let api: TestApp;
  let db: DataSource;
  let receiver: Receiver;

  beforeAll(async () => {
    api = await startApp(OUTGOING);
    db = api.app.get(DataSource);
    await db.query(`CREATE OR REPLACE FUNCTION nothing_stuck_transient() RETURNS trigger AS $$
      BEGIN
        IF position('transient-please' in coalesce(NEW.response_body, '')) > 0 THEN
          RAISE EXCEPTION 'could not serialize access (stood for by a test trigger)' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER nothing_stuck_transient BEFORE INSERT ON delivery_attempts
      FOR EACH ROW EXECUTE FUNCTION nothing_stuck_transient()`);
    receiver = await new Receiver().start();
    receiver.reply = (req) => ({ status: 200, body: req.path === '/transient' ? 'transient-please' : 'ok' });
  });

  afterAll(async () => {
    await db.query('DROP TRIGGER IF EXISTS nothing_stuck_transient ON delivery_attempts');
    await db.query('DROP FUNCTION IF EXISTS nothing_stuck_transient()');
    await receiver.stop();
    await api.close();
  });

  it('a delivery given back after transient errors is given back again, and ends dead at the limit with the error', async () => {
    const tenant = await createTenant(api.http);
    const sub = await subscribe(api, tenant, { url: receiver.url('/transient') });
    await publish(api, tenant, 'deal.won', { id: 1 });
    // given back once: queued again, no attempt counted, due in 3 s; then stand for the give-backs before the last
    const [row] = await eventually(async () => {
      // TypeORM answers an UPDATE as [rows, affected]
      const [rows] = await db.query<[{ id: string }[], number]>(
        `UPDATE deliveries SET release_count = $2 WHERE subscription_id = $1 AND status = 'queued' AND release_count = 1
         RETURNING id`,
        [sub.webhook_id, MAX_RELEASES - 1],
      );
      return rows.length === 1 ? rows : undefined;
    });
    const dead = await settledDelivery(api, tenant, sub.webhook_id, ['dead']);
    expect(dead).toMatchObject({ delivery_id: row.id, status: 'dead', attempt: 0, attempts: [] });
    expect(dead.error).toBe(
      `given back ${MAX_RELEASES} times in a row without finishing; last: could not serialize access (stood for by a test trigger)`,
    );
    expect(receiver.requests.length).toBe(2);
  });

  it('a delivery and an inbound event taken back from a dead worker for the last time end dead and failed', async () => {
    // made by an API process only, the rows wait in PostgreSQL; they are made to look held by a worker that
    // died, and a worker's sweeper (the first app's, role all) takes them back once their lease has run out
    const t = await startApp({ ...OUTGOING, APP_ROLE: 'api' });
    try {
      const tenant = await createTenant(t.http);
      const sub = await subscribe(t, tenant, { url: receiver.url('/ok') });
      await publish(t, tenant, 'deal.won', { id: 2 });
      const source = await createSource(t, tenant, {
        name: 'open',
        provider: 'generic',
        verification: { scheme: 'none' },
      });
      const id = await ingest(
        t,
        `/api/v1/ingest/${source.source_id}`,
        Buffer.from('{"event_type":"a.b"}'),
        'application/json',
      );
      const [orphaned] = await db.query<[{ id: string }[], number]>(
        `UPDATE deliveries SET status = 'sending', next_attempt_at = now() - interval '1 second', release_count = $2
         WHERE subscription_id = $1 RETURNING id`,
        [sub.webhook_id, MAX_RELEASES - 1],
      );
      expect(orphaned).toHaveLength(1);
      await db.query(
        `UPDATE inbound_events SET status = 'processing', next_retry_at = now() - interval '1 second', release_count = $2
         WHERE id = $1`,
        [id, MAX_RELEASES - 1],
      );

      const dead = await settledDelivery(t, tenant, sub.webhook_id, ['dead']);
      expect(dead).toMatchObject({ status: 'dead', attempt: 0, attempts: [] });
      expect(dead.error).toBe(
        `given back ${MAX_RELEASES} times in a row without finishing; last: its lease ran out (the process running it stopped or hung)`,
      );
      const failed = await settledInbound(t.http, tenant.auth, id, 'failed');
      expect(failed.error).toBe(dead.error);
      expect((await inboundEvent(t.http, tenant.auth, id)).events).toEqual([]);
      expect(receiver.requests.filter((r) => r.path === '/ok')).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
