/**
 * The `logs` scenario: the tenant-wide delivery and event logs on a large database. Seeds
 * 1,000,000 deliveries (× BENCH_SCALE) with their events and a share of their attempts straight
 * into PostgreSQL (bench/logs-seed.ts), then measures, one request at a time over a kept-alive
 * connection, look-ups by id and by event id, first pages and deep keyset pages (following
 * next_cursor), filtered and not, and text searches. Each Hookhub figure is set beside a baseline
 * measured right before it: the same look-up as a bare SQL statement through pg (first pages and
 * look-ups) or the old offset pagination at the same depth (deep pages).
 */
import type { Client } from 'pg';
import { Pool } from 'undici';
import { eventLogQuery, EventLogFilter } from '../src/events/event-log';
import { nowMs, percentile, round } from './lib';
import { LogsTenant, seedLogs, SEED_COMMON_NAME, SEED_RARE_NAME, SeedTimings } from './logs-seed';

export interface LogsContext {
  apiUrl: string;
  db: Client;
  log: (message: string) => void;
  createTenant(name: string): Promise<{ id: string; auth: Record<string, string> }>;
  subscribe(auth: Record<string, string>, name: string, events: string[]): Promise<string>;
  createSource(auth: Record<string, string>, name: string): Promise<string>;
  deliveries: number;
  samples: number;
  deepPages: number;
}

/** Latency percentiles of one figure, in ms. */
export interface Spread {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LogsFigure {
  figure: string;
  hookhub: Spread | null;
  baseline: Spread | null;
  baselineName: string | null;
  /** Why a figure has no Hookhub value (a route this build does not have). */
  missing?: string;
  /** A comparison of two Hookhub routes rather than a figure with a target. */
  comparison?: boolean;
}

export interface LogsResult {
  seed: SeedTimings & { seconds: number };
  figures: LogsFigure[];
  /** Whether the figures are server time (X-Response-Time) or client-side time on 127.0.0.1. */
  timing: 'x-response-time' | 'client on 127.0.0.1';
  walks: Record<string, Spread>;
}

interface Seeded {
  tenants: (LogsTenant & { auth: Record<string, string> })[];
}

const PAGE = 20;
const TENANTS = 4;
const SUBSCRIPTIONS = 6;
const SOURCES = 2;

function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50), 2),
    p95: round(percentile(sorted, 95), 2),
    p99: round(percentile(sorted, 99), 2),
    max: round(sorted[sorted.length - 1] ?? NaN, 2),
  };
}

/** A tenant-scoped GET over one kept-alive connection; the time from sending to the whole body read. */
class Api {
  private readonly pool: Pool;
  serverTimed = true;

  constructor(url: string) {
    this.pool = new Pool(url, { connections: 1, pipelining: 1 });
  }

  async get<T>(path: string, auth: Record<string, string>): Promise<{ ms: number; status: number; body: T }> {
    const started = nowMs();
    const res = await this.pool.request({ path, method: 'GET', headers: auth, headersTimeout: 60_000 });
    const text = await res.body.text();
    const clientMs = nowMs() - started;
    const header = res.headers['x-response-time'];
    const serverMs = typeof header === 'string' ? Number.parseFloat(header) : NaN;
    if (Number.isNaN(serverMs)) this.serverTimed = false;
    return { ms: Number.isNaN(serverMs) ? clientMs : serverMs, status: res.statusCode, body: JSON.parse(text) as T };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

type Page = {
  data: { event_id?: string; delivery_id?: string }[];
  meta: { pagination: { next_cursor: string | null } };
};

const query = (params: Record<string, string | number | undefined>): string => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined) as [string, string | number][];
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
};

/** Times `count` calls of `call(i)` one after the other, after a few untimed ones. */
async function sample(count: number, call: (i: number) => Promise<number>): Promise<Spread> {
  for (let i = 0; i < 5; i++) await call(i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await call(i));
  return spreadOf(times);
}

async function timedSql(db: Client, sql: string, params: unknown[]): Promise<number> {
  const started = nowMs();
  await db.query(sql, params);
  return nowMs() - started;
}

async function seed(ctx: LogsContext): Promise<{ seeded: Seeded; timings: LogsResult['seed'] }> {
  const tenants: Seeded['tenants'] = [];
  for (let t = 0; t < TENANTS; t++) {
    const tenant = await ctx.createTenant(`bench logs ${t}`);
    const subscriptionIds: string[] = [];
    for (let s = 0; s < SUBSCRIPTIONS; s++) {
      subscriptionIds.push(await ctx.subscribe(tenant.auth, `logs ${t}.${s}`, ['deal.*', 'lead.*']));
    }
    const sourceIds: string[] = [];
    for (let s = 0; s < SOURCES; s++) sourceIds.push(await ctx.createSource(tenant.auth, `logs ${t}.${s}`));
    tenants.push({ id: tenant.id, auth: tenant.auth, subscriptionIds, sourceIds });
  }
  ctx.log(`logs: seeding ${ctx.deliveries} deliveries for ${TENANTS} tenants with SQL`);
  const started = nowMs();
  const timings = await seedLogs(ctx.db, {
    tenants,
    deliveries: ctx.deliveries,
    fanOut: 2,
    attemptEvery: 4,
    days: 28,
  });
  const seconds = round((nowMs() - started) / 1000, 1);
  ctx.log(
    `  seeded ${timings.events} events, ${timings.deliveries} deliveries, ${timings.attempts} attempts in ${seconds} s`,
  );
  return { seeded: { tenants }, timings: { ...timings, seconds } };
}

/** Follows next_cursor from the first page, `pages` times, for each key; answers each key's last cursor. */
async function walk(
  api: Api,
  base: string,
  keys: { auth: Record<string, string>; params: Record<string, string | undefined> }[],
  pages: number,
): Promise<{ cursors: (string | null)[]; spread: Spread }> {
  const times: number[] = [];
  const cursors: (string | null)[] = [];
  for (const key of keys) {
    let cursor: string | undefined;
    for (let p = 0; p < pages; p++) {
      const res = await api.get<Page>(`${base}${query({ ...key.params, limit: PAGE, cursor })}`, key.auth);
      if (res.status !== 200) throw new Error(`GET ${base} answered ${res.status}: ${JSON.stringify(res.body)}`);
      if (p > 0) times.push(res.ms);
      cursor = res.body.meta.pagination.next_cursor ?? undefined;
      if (!cursor) break;
    }
    cursors.push(cursor ?? null);
  }
  return { cursors, spread: spreadOf(times) };
}

/** Checks a page answer, so a broken route is not timed as a fast one. */
function ok(res: { ms: number; status: number; body: unknown }, what: string): number {
  if (res.status !== 200) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.ms;
}

interface Variant {
  name: string;
  params: (tenant: Seeded['tenants'][number], i: number) => Record<string, string | undefined>;
  /** The same page as bare SQL; `offset` for the deep page's baseline. */
  sql: (tenant: Seeded['tenants'][number], i: number, offset: number) => { sql: string; params: unknown[] };
  deep: boolean;
}

async function measureVariants(
  ctx: LogsContext,
  api: Api,
  seeded: Seeded,
  base: string,
  variants: Variant[],
  walks: Record<string, Spread>,
): Promise<LogsFigure[]> {
  const figures: LogsFigure[] = [];
  const tenants = seeded.tenants;
  const at = (i: number) => tenants[i % tenants.length];
  for (const v of variants) {
    const label = `GET ${base}${v.name ? ` ${v.name}` : ''}`;
    const firstBaseline = await sample(ctx.samples, (i) => {
      const q = v.sql(at(i), i, 0);
      return timedSql(ctx.db, q.sql, q.params);
    });
    const first = await sample(ctx.samples, async (i) =>
      ok(await api.get(`${base}${query({ ...v.params(at(i), i), limit: PAGE })}`, at(i).auth), label),
    );
    figures.push({ figure: `${label}, first page`, hookhub: first, baseline: firstBaseline, baselineName: 'bare SQL' });
    ctx.log(`  ${label}, first page: p50 ${first.p50} ms, p99 ${first.p99} ms (bare SQL p50 ${firstBaseline.p50} ms)`);
    if (!v.deep) continue;
    const keys = tenants.map((t, i) => ({ auth: t.auth, params: v.params(t, i) }));
    const walked = await walk(api, base, keys, ctx.deepPages);
    walks[label] = walked.spread;
    const usable = walked.cursors.map((c, i) => ({ c, i })).filter((k) => k.c !== null);
    if (usable.length === 0) throw new Error(`${label}: fewer than ${ctx.deepPages} pages to follow`);
    const offset = ctx.deepPages * PAGE;
    const deepBaseline = await sample(ctx.samples, (i) => {
      const k = usable[i % usable.length].i;
      const q = v.sql(tenants[k], k, offset);
      return timedSql(ctx.db, q.sql, q.params);
    });
    const deep = await sample(ctx.samples, async (i) => {
      const { c, i: k } = usable[i % usable.length];
      const t = tenants[k];
      return ok(await api.get(`${base}${query({ ...v.params(t, k), limit: PAGE, cursor: c! })}`, t.auth), label);
    });
    figures.push({
      figure: `${label}, page ${ctx.deepPages + 1} (next_cursor)`,
      hookhub: deep,
      baseline: deepBaseline,
      baselineName: `bare SQL, OFFSET ${offset}`,
    });
    ctx.log(`  ${label}, page ${ctx.deepPages + 1}: p50 ${deep.p50} ms, p99 ${deep.p99} ms`);
  }
  return figures;
}

function eventVariants(): Variant[] {
  const sqlOf = (t: LogsTenant, filter: Partial<EventLogFilter>, offset: number) => {
    const q = eventLogQuery(t.id, { limit: PAGE, after: null, ...filter });
    return { sql: `${q.sql} OFFSET ${offset}`, params: q.params };
  };
  return [
    { name: '', params: () => ({}), sql: (t, _i, o) => sqlOf(t, {}, o), deep: true },
    {
      name: 'event_type=deal.*',
      params: () => ({ event_type: 'deal.*' }),
      sql: (t, _i, o) => sqlOf(t, { eventType: 'deal.*' }, o),
      deep: true,
    },
    {
      name: 'source_id',
      params: (t, i) => ({ source_id: t.sourceIds[i % t.sourceIds.length] }),
      sql: (t, i, o) => sqlOf(t, { sourceId: t.sourceIds[i % t.sourceIds.length] }, o),
      deep: true,
    },
    {
      name: 'entity_key',
      params: (_t, i) => ({ entity_key: `crm:acme:deal:${(i * 37) % 20000}` }),
      sql: (t, i, o) => sqlOf(t, { entityKey: `crm:acme:deal:${(i * 37) % 20000}` }, o),
      deep: false,
    },
    {
      name: `q (common: "${SEED_COMMON_NAME}")`,
      params: () => ({ q: SEED_COMMON_NAME }),
      sql: (t, _i, o) => sqlOf(t, { q: SEED_COMMON_NAME }, o),
      deep: false,
    },
    {
      name: `q (rare: 1 event in 9,973)`,
      params: () => ({ q: SEED_RARE_NAME }),
      sql: (t, _i, o) => sqlOf(t, { q: SEED_RARE_NAME }, o),
      deep: false,
    },
  ];
}

/** The delivery log's page as one hand-written statement: the filters of the agreed shape, the last attempt's time. */
function deliverySql(tenantId: string, where: string[], params: unknown[], offset: number) {
  const all = [tenantId, ...params];
  const conditions = ['d.tenant_id = $1', ...where].join(' AND ');
  return {
    sql: `SELECT d.*, a.response_time_ms FROM deliveries d
      LEFT JOIN delivery_attempts a ON a.delivery_id = d.id AND a.attempt_number = d.attempt_count
      WHERE ${conditions} ORDER BY d.created_at DESC, d.id DESC LIMIT ${PAGE + 1} OFFSET ${offset}`,
    params: all,
  };
}

function deliveryVariants(): Variant[] {
  return [
    { name: '', params: () => ({}), sql: (t, _i, o) => deliverySql(t.id, [], [], o), deep: true },
    {
      name: 'webhook_id',
      params: (t, i) => ({ webhook_id: t.subscriptionIds[i % t.subscriptionIds.length] }),
      sql: (t, i, o) =>
        deliverySql(t.id, ['d.subscription_id = $2'], [t.subscriptionIds[i % t.subscriptionIds.length]], o),
      deep: true,
    },
    {
      name: 'status=failed',
      params: () => ({ status: 'failed' }),
      sql: (t, _i, o) => deliverySql(t.id, ["d.status IN ('retrying', 'dead')"], [], o),
      deep: true,
    },
    {
      name: 'event_type=deal.*',
      params: () => ({ event_type: 'deal.*' }),
      sql: (t, _i, o) => deliverySql(t.id, ["d.event_type LIKE 'deal.%'"], [], o),
      deep: true,
    },
    {
      name: `q (common: "${SEED_COMMON_NAME}")`,
      params: () => ({ q: SEED_COMMON_NAME }),
      sql: (t, _i, o) =>
        deliverySql(
          t.id,
          ['d.event_id IN (SELECT e.id FROM events e WHERE e.tenant_id = $1 AND e.data::text ILIKE $2)'],
          [`%${SEED_COMMON_NAME}%`],
          o,
        ),
      deep: false,
    },
    {
      name: `q (rare: 1 event in 9,973)`,
      params: () => ({ q: SEED_RARE_NAME }),
      sql: (t, _i, o) =>
        deliverySql(
          t.id,
          ['d.event_id IN (SELECT e.id FROM events e WHERE e.tenant_id = $1 AND e.data::text ILIKE $2)'],
          [`%${SEED_RARE_NAME}%`],
          o,
        ),
      deep: false,
    },
  ];
}

/** Look-ups by delivery id and by event id, each beside the same look-up as bare SQL. */
async function lookUps(ctx: LogsContext, api: Api, seeded: Seeded): Promise<LogsFigure[]> {
  const authOf = new Map(seeded.tenants.map((t) => [t.id, t.auth]));
  // the seeded tenants' deliveries only: other scenarios of the run leave deliveries of their own tenants
  const tenantIds = seeded.tenants.map((t) => t.id);
  const pick = (from: string, order: string) =>
    ctx.db.query<{ id: string; event_id: string; tenant_id: string }>(
      `SELECT id, event_id, tenant_id FROM ${from} WHERE tenant_id = ANY($2) ${order} LIMIT $1`,
      [ctx.samples, tenantIds],
    );
  let rows = (await pick('deliveries TABLESAMPLE SYSTEM (1)', '')).rows;
  if (rows.length === 0) rows = (await pick('deliveries', 'ORDER BY random()')).rows;
  if (rows.length === 0) throw new Error('logs: no deliveries to look up');
  const row = (i: number) => rows[i % rows.length];
  const byIdBaseline = await sample(ctx.samples, async (i) => {
    const started = nowMs();
    await ctx.db.query('SELECT * FROM deliveries WHERE id = $1 AND tenant_id = $2', [row(i).id, row(i).tenant_id]);
    await ctx.db.query('SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt_number', [row(i).id]);
    return nowMs() - started;
  });
  const byId = await sample(ctx.samples, async (i) =>
    ok(await api.get(`/api/v1/deliveries/${row(i).id}`, authOf.get(row(i).tenant_id)!), 'GET /api/v1/deliveries/{id}'),
  );
  ctx.log(`  GET /api/v1/deliveries/{id}: p50 ${byId.p50} ms, p99 ${byId.p99} ms`);
  const byEventBaseline = await sample(ctx.samples, (i) => {
    const q = deliverySql(row(i).tenant_id, ['d.event_id = $2'], [row(i).event_id], 0);
    return timedSql(ctx.db, q.sql, q.params);
  });
  const byEvent = await sample(ctx.samples, async (i) =>
    ok(
      await api.get(`/api/v1/deliveries${query({ event_id: row(i).event_id })}`, authOf.get(row(i).tenant_id)!),
      'GET /api/v1/deliveries?event_id',
    ),
  );
  ctx.log(`  GET /api/v1/deliveries?event_id=…: p50 ${byEvent.p50} ms, p99 ${byEvent.p99} ms`);
  return [
    { figure: 'GET /api/v1/deliveries/{id}', hookhub: byId, baseline: byIdBaseline, baselineName: 'bare SQL' },
    {
      figure: 'GET /api/v1/deliveries?event_id=…',
      hookhub: byEvent,
      baseline: byEventBaseline,
      baselineName: 'bare SQL',
    },
  ];
}

/** Page 51 of one webhook's log: the keyset log beside the offset-paginated per-webhook log (with its total). */
async function offsetComparison(ctx: LogsContext, api: Api, seeded: Seeded): Promise<LogsFigure> {
  const keys = seeded.tenants.map((t) => ({ auth: t.auth, params: { webhook_id: t.subscriptionIds[0] } }));
  const { cursors } = await walk(api, '/api/v1/deliveries', keys, ctx.deepPages);
  const offset = ctx.deepPages * PAGE;
  const at = (i: number) => seeded.tenants[i % seeded.tenants.length];
  const old = await sample(ctx.samples, async (i) =>
    ok(
      await api.get(
        `/api/v1/webhooks/${at(i).subscriptionIds[0]}/deliveries${query({ limit: PAGE, offset })}`,
        at(i).auth,
      ),
      'GET /api/v1/webhooks/{id}/deliveries',
    ),
  );
  const keyset = await sample(ctx.samples, async (i) => {
    const k = i % seeded.tenants.length;
    const cursor = cursors[k] ?? undefined;
    const path = `/api/v1/deliveries${query({ webhook_id: at(k).subscriptionIds[0], limit: PAGE, cursor })}`;
    return ok(await api.get(path, at(k).auth), 'GET /api/v1/deliveries');
  });
  ctx.log(`  page ${ctx.deepPages + 1} of one webhook: keyset p50 ${keyset.p50} ms, offset route p50 ${old.p50} ms`);
  return {
    figure: `one webhook's page ${ctx.deepPages + 1}: keyset log vs offset log`,
    hookhub: keyset,
    baseline: old,
    baselineName: `GET /webhooks/{id}/deliveries?offset=${offset}`,
    comparison: true,
  };
}

export async function scenarioLogs(ctx: LogsContext): Promise<LogsResult> {
  const { seeded, timings } = await seed(ctx);
  const api = new Api(ctx.apiUrl);
  const walks: Record<string, Spread> = {};
  const figures: LogsFigure[] = [];
  try {
    ctx.log('logs: the event log');
    figures.push(...(await measureVariants(ctx, api, seeded, '/api/v1/events', eventVariants(), walks)));
    const probe = await api.get<unknown>('/api/v1/deliveries?limit=1', seeded.tenants[0].auth);
    if (probe.status === 404) {
      ctx.log('logs: GET /api/v1/deliveries is not in this build; the delivery figures are left out');
      figures.push({
        figure: 'GET /api/v1/deliveries (every figure)',
        hookhub: null,
        baseline: null,
        baselineName: null,
        missing: 'route not in this build',
      });
    } else {
      ctx.log('logs: the delivery log');
      figures.push(...(await lookUps(ctx, api, seeded)));
      figures.push(...(await measureVariants(ctx, api, seeded, '/api/v1/deliveries', deliveryVariants(), walks)));
      figures.push(await offsetComparison(ctx, api, seeded));
    }
  } finally {
    await api.close();
  }
  return { seed: timings, figures, walks, timing: api.serverTimed ? 'x-response-time' : 'client on 127.0.0.1' };
}
