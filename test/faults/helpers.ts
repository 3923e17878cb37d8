import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createNetServer, Socket } from 'node:net';
import Redis from 'ioredis';
import { Client } from 'pg';
import { TEST_ADMIN_KEY } from '../helpers/run-env';
import { RunningProcess, startMain } from '../helpers/process';

export { eventually, Receiver } from '../helpers/receiver';
export type { RunningProcess };

/**
 * Settings shared by every fault scenario: short retry and sweep intervals, and local subscribers
 * (plain http on 127.0.0.1) allowed.
 */
export const FAULT_ENV: Record<string, string> = {
  DELIVERY_RETRY_SCHEDULE: '500ms,1s,2s',
  INBOUND_RETRY_SCHEDULE: '500ms',
  SWEEP_INTERVAL: '500ms',
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
};

/** A port nobody listens on right now: a server on port 0 reads the one it got and closes. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A queue prefix of its own under the run's, so a scenario's processes never take another's jobs. */
export function faultQueuePrefix(name: string): string {
  return `${process.env.QUEUE_PREFIX}:faults-${name}-${randomBytes(3).toString('hex')}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export { sleep };

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await fn(items[index], index);
    }
  });
  await Promise.all(lanes);
}

/** A parsed JSON answer, read field by field in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: Json;
}

/** One HTTP call to a Hookhub API process (fetch, keep-alive). */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; json?: unknown; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Stops a process: SIGTERM, then SIGKILL when it has not exited within `graceMs`. */
export async function stopProcess(proc: RunningProcess, graceMs = 20_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Kills a process at once (no drain, no cleanup), as a crash or the OOM killer would. */
export async function killProcess(proc: RunningProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGKILL');
  await proc.exited;
}

/** API and worker processes of one scenario, all on the run's database and one queue prefix. */
export interface Stack {
  baseUrl: string;
  queuePrefix: string;
  api: RunningProcess;
  /** Every worker started so far, dead or alive. */
  workers: RunningProcess[];
  startWorker(env?: Record<string, string>): Promise<RunningProcess>;
  /** SIGTERM to every process still running. */
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Short name for the queue prefix. */
  name: string;
  workers?: number;
  /** Env for every process (after FAULT_ENV). */
  env?: Record<string, string>;
  /** Env for the worker processes only. */
  workerEnv?: Record<string, string>;
  /** Env for the API process only, applied over its defaults (e.g. `LOG_LEVEL`, which is `warn` otherwise). */
  apiEnv?: Record<string, string>;
}

/**
 * Starts the API (`APP_ROLE=api`, on a free port) and `workers` worker processes (`APP_ROLE=worker`)
 * of src/main.ts. The API is ready when it answers HTTP; a worker when it logs its start.
 * With FAULTS_LOG_DIR set, `stop()` writes every process's output there.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const queuePrefix = faultQueuePrefix(options.name);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const common = {
    ...FAULT_ENV,
    DATABASE_URL: process.env.DATABASE_URL!,
    QUEUE_PREFIX: queuePrefix,
    ...options.env,
  };
  const running: RunningProcess[] = [];
  const api = startMain({ ...common, LOG_LEVEL: 'warn', ...options.apiEnv, APP_ROLE: 'api', PORT: String(port) });
  running.push(api);
  const stack: Stack = {
    baseUrl,
    queuePrefix,
    api,
    workers: [],
    async startWorker(env = {}) {
      const worker = startMain({ ...common, LOG_LEVEL: 'info', ...options.workerEnv, ...env, APP_ROLE: 'worker' });
      running.push(worker);
      stack.workers.push(worker);
      await worker.waitFor(/Hookhub started: role=worker/, 90_000);
      return worker;
    },
    async stop() {
      await Promise.all(running.map((proc) => stopProcess(proc)));
      const dir = process.env.FAULTS_LOG_DIR;
      if (dir) {
        mkdirSync(dir, { recursive: true });
        running.forEach((proc, i) =>
          writeFileSync(join(dir, `${options.name}-${i === 0 ? 'api' : `worker${i}`}.log`), proc.output()),
        );
      }
    },
  };
  try {
    await waitForHttp(api, baseUrl, 90_000);
    for (let i = 0; i < (options.workers ?? 1); i += 1) await stack.startWorker();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

async function waitForHttp(proc: RunningProcess, baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the API process exited before it answered; output:\n${proc.output()}`);
    try {
      await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the API did not answer within ${timeoutMs} ms:\n${proc.output()}`);
      await sleep(200);
    }
  }
}

export interface Tenant {
  tenantId: string;
  auth: { Authorization: string };
}

/** A tenant made through the admin API. */
export async function createTenant(baseUrl: string, name = 'Fault tenant'): Promise<Tenant> {
  const res = await call(baseUrl, 'POST', '/api/v1/tenants', {
    headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    json: { name },
  });
  if (res.status !== 201) throw new Error(`creating a tenant answered ${res.status}: ${res.text}`);
  return { tenantId: res.json.data.tenant_id, auth: { Authorization: `Bearer ${res.json.data.api_key}` } };
}

/** POST that must answer `status`; returns `data`. */
export async function mustPost(
  baseUrl: string,
  tenant: Tenant,
  path: string,
  json: unknown,
  status: number,
): Promise<Json> {
  const res = await call(baseUrl, 'POST', path, { headers: tenant.auth, json });
  if (res.status !== status) throw new Error(`POST ${path} answered ${res.status} (expected ${status}): ${res.text}`);
  return res.json.data;
}

/** `X-Webhook-Timestamp` and `X-Webhook-Signature` of the hmac-sha256 scheme (docs/api.md). */
export function signedHeaders(body: string, secret: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'X-Webhook-Timestamp': timestamp, 'X-Webhook-Signature': `sha256=${signature}` };
}

/** A client on the run's database (outside the app's pools). */
export async function openDatabase(): Promise<Client> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

/** Terminates every other connection to the run's database (the app's pools); returns how many. */
export async function terminateAppConnections(db: Client): Promise<number> {
  const res = await db.query<{ pg_terminate_backend: boolean }>(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return res.rows.filter((r) => r.pg_terminate_backend).length;
}

/** Deletes every Redis key under `prefix` (queues, job hashes, rate counters); returns how many. */
export async function deleteRedisKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

/** Status counts of a query returning (status, n) rows. */
export async function statusCounts(db: Client, sql: string, params: unknown[]): Promise<Record<string, number>> {
  const res = await db.query<{ status: string; n: string }>(sql, params);
  return Object.fromEntries(res.rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Makes the leases of claims that no process holds any more run out now. Only safe when no worker
 * is running: after a SIGKILL the claimed rows (`sending`, `processing`) belong to nobody, and a
 * restarted worker would take them back once their lease (90 s for deliveries, 30 s for inbound
 * events, fixed in the code) runs out. Moving the lease end into the past stands for that wait.
 */
export async function expireOrphanedLeases(db: Client): Promise<{ deliveries: number; inbound: number }> {
  const deliveries = await db.query(
    `UPDATE deliveries SET next_attempt_at = now() - interval '5 seconds' WHERE status = 'sending'`,
  );
  const inbound = await db.query(
    `UPDATE inbound_events SET next_retry_at = now() - interval '5 seconds' WHERE status = 'processing'`,
  );
  return { deliveries: deliveries.rowCount ?? 0, inbound: inbound.rowCount ?? 0 };
}

/** What one path of the hostile subscriber does. */
export type HostileBehaviour = 'ok' | 'hang' | 'slow' | 'reset' | 'big' | 'trickle' | 'redirect';

/**
 * A subscriber on 127.0.0.1 that misbehaves by path: `/hang` never answers, `/slow` answers 200
 * after `slowMs`, `/reset` destroys the socket, `/big` streams a 10 MB 200 body, `/trickle` sends
 * headers then one byte every 200 ms forever, `/redirect` answers 302 to itself; `/ok` answers 200.
 * It counts requests per path and the sockets still open.
 */
export class HostileSubscriber {
  readonly requests = new Map<string, number>();
  /** X-Delivery-ID of every request, by path. */
  readonly deliveries = new Map<string, string[]>();
  /** Bytes of the 10 MB body written before the client went away. */
  readonly bigBytesWritten: number[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly slowMs = 5_000,
    readonly bigBytes = 10 * 1024 * 1024,
  ) {}

  async start(): Promise<this> {
    this.server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, res));
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(behaviour: HostileBehaviour): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/${behaviour}`;
  }

  /** Sockets from clients still open (keep-alive ones included). */
  openSockets(): number {
    return this.sockets.size;
  }

  count(behaviour: HostileBehaviour): number {
    return this.requests.get(`/${behaviour}`) ?? 0;
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Sockets still open that carried a request the server never finished answering in time (hang, slow, trickle). */
  openStuckSockets(): number {
    return [...this.sockets].filter((socket) => this.stuck.has(socket)).length;
  }

  private readonly stuck = new WeakSet<Socket>();

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/hang' || path === '/slow' || path === '/trickle') this.stuck.add(req.socket);
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
    const ids = this.deliveries.get(path) ?? [];
    ids.push(String(req.headers['x-delivery-id']));
    this.deliveries.set(path, ids);
    switch (path as `/${HostileBehaviour}`) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      case '/hang':
        return; // never answers; the socket stays open until the client gives up
      case '/slow':
        this.later(this.slowMs, () => {
          if (!res.destroyed) res.writeHead(200, { 'content-type': 'text/plain' }).end('late');
        });
        return;
      case '/reset':
        req.socket.destroy();
        return;
      case '/big':
        this.streamBig(res);
        return;
      case '/trickle': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const drip = (): void => {
          if (res.destroyed) return;
          res.write('.');
          this.later(200, drip);
        };
        drip();
        return;
      }
      case '/redirect':
        res.writeHead(302, { location: '/redirect' }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  }

  private streamBig(res: ServerResponse): void {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(this.bigBytes) });
    const done = (): void => {
      this.bigBytesWritten.push(written);
    };
    res.once('close', done);
    const pump = (): void => {
      while (written < this.bigBytes && !res.destroyed) {
        const size = Math.min(chunk.length, this.bigBytes - written);
        written += size;
        if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  async stop(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The API's error envelope (docs/api.md): `{error: {code, message, details}, meta: {trace_id}}`. */
export function isErrorEnvelope(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { error, meta } = body as { error?: Record<string, unknown>; meta?: Record<string, unknown> };
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.code === 'string' &&
    /^[A-Z_]+$/.test(error.code) &&
    typeof error.message === 'string' &&
    Array.isArray(error.details) &&
    typeof meta === 'object' &&
    meta !== null &&
    typeof meta.trace_id === 'string'
  );
}

/** The API's success envelope (docs/api.md): `{data, meta: {trace_id}}`. */
export function isSuccessEnvelope(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { data, meta } = body as { data?: unknown; meta?: Record<string, unknown> };
  return data !== undefined && typeof meta === 'object' && meta !== null && typeof meta.trace_id === 'string';
}

export const LOAD_EVENT_TYPE = 'fault.delivery';
export const LOAD_INBOUND_TYPE = 'fault.inbound';

/** A tenant with one subscription (to `receiverUrl`, for LOAD_EVENT_TYPE) and one signed generic source. */
export interface LoadTarget {
  tenant: Tenant;
  webhookId: string;
  sourceId: string;
  sourceSecret: string;
}

export async function createLoadTarget(baseUrl: string, receiverUrl: string): Promise<LoadTarget> {
  const tenant = await createTenant(baseUrl);
  const webhook = await mustPost(
    baseUrl,
    tenant,
    '/api/v1/webhooks',
    { name: 'load', url: receiverUrl, events: [LOAD_EVENT_TYPE], timeout_ms: 5000 },
    201,
  );
  const sourceSecret = `fault-source-${randomBytes(8).toString('hex')}`;
  const source = await mustPost(
    baseUrl,
    tenant,
    '/api/v1/sources',
    { name: 'load', provider: 'generic', verification: { scheme: 'hmac-sha256', secret: sourceSecret } },
    201,
  );
  return { tenant, webhookId: webhook.webhook_id, sourceId: source.source_id, sourceSecret };
}

export interface LoadResult {
  /** event_id of every published event (each makes one delivery). */
  eventIds: string[];
  /** webhook_event_id of every ingested event answered 202. */
  inboundIds: string[];
}

/**
 * Publishes `events` events (one delivery each) and ingests `ingests` signed generic webhooks,
 * interleaved, with at most `concurrency` requests in flight. Every request must be accepted (202).
 */
export async function runLoad(
  baseUrl: string,
  target: LoadTarget,
  options: { events: number; ingests: number; concurrency: number; tag?: string },
): Promise<LoadResult> {
  const tag = options.tag ?? randomBytes(4).toString('hex');
  const total = options.events + options.ingests;
  const plan = Array.from({ length: total }, (_, i) => i);
  const eventIds: string[] = [];
  const inboundIds: string[] = [];
  let published = 0;
  let ingested = 0;
  await forEachLimit(plan, options.concurrency, async () => {
    // interleave in proportion, so both kinds are in flight for the whole run
    const publish =
      ingested >= options.ingests ||
      (published < options.events && published * options.ingests <= ingested * options.events);
    if (publish) {
      const n = published++;
      const res = await call(baseUrl, 'POST', '/api/v1/events', {
        headers: target.tenant.auth,
        json: { event_type: LOAD_EVENT_TYPE, data: { n, tag } },
      });
      if (res.status !== 202) throw new Error(`POST /events answered ${res.status}: ${res.text}`);
      eventIds.push(res.json.data.event_id);
    } else {
      const n = ingested++;
      const body = JSON.stringify({ event_type: LOAD_INBOUND_TYPE, event_id: `${tag}-${n}`, n });
      const res = await call(baseUrl, 'POST', `/api/v1/ingest/${target.sourceId}`, {
        headers: { 'content-type': 'application/json', ...signedHeaders(body, target.sourceSecret) },
        body,
      });
      if (res.status !== 202) throw new Error(`POST /ingest answered ${res.status}: ${res.text}`);
      inboundIds.push(res.json.data.webhook_event_id);
    }
  });
  return { eventIds, inboundIds };
}

/** Delivery statuses of a subscription, and inbound statuses of a source, counted in SQL. */
export async function loadProgress(
  db: Client,
  target: LoadTarget,
): Promise<{ deliveries: Record<string, number>; inbound: Record<string, number> }> {
  return {
    deliveries: await statusCounts(
      db,
      'SELECT status, count(*) AS n FROM deliveries WHERE subscription_id = $1 GROUP BY status',
      [target.webhookId],
    ),
    inbound: await statusCounts(
      db,
      'SELECT status, count(*) AS n FROM inbound_events WHERE source_id = $1 GROUP BY status',
      [target.sourceId],
    ),
  };
}

/** Waits until every delivery of the load is `success` and every inbound event `completed`. */
export async function waitForLoadDone(
  db: Client,
  target: LoadTarget,
  expected: { deliveries: number; inbound: number },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await loadProgress(db, target);
    if (
      (progress.deliveries.success ?? 0) === expected.deliveries &&
      (progress.inbound.completed ?? 0) === expected.inbound
    )
      return;
    if (Date.now() > deadline) {
      const sessions = await db.query<{ state: string; wait: string; query: string; n: number }>(
        `SELECT state, coalesce(wait_event_type || ':' || wait_event, '') AS wait, left(query, 120) AS query,
                count(*)::int AS n
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
         GROUP BY 1, 2, 3 ORDER BY 4 DESC`,
      );
      throw new Error(
        `load not done after ${timeoutMs} ms: deliveries ${JSON.stringify(progress.deliveries)}, ` +
          `inbound ${JSON.stringify(progress.inbound)}; database sessions ${JSON.stringify(sessions.rows)}`,
      );
    }
    await sleep(250);
  }
}
