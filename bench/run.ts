/**
 * `npm run bench`: builds Hookhub, starts it as real processes (one API, one worker) on a fresh
 * database and queue prefix, runs every scenario and, back to back in the same run, the baseline
 * each figure is divided by; prints a table and writes bench/results/latest.json and the results
 * section of docs/benchmarks.md. Everything runs on 127.0.0.1 and is stopped at the end, even on
 * failure. See docs/benchmarks.md for the scenarios, the variables and the findings.
 */
import autocannon from 'autocannon';
import { execSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { Pool } from 'undici';
import {
  call,
  callData,
  Child,
  forkTs,
  freePort,
  ingestBody,
  ingestSignature,
  inParallel,
  memoryOf,
  nowMs,
  percentile,
  ROOT,
  round,
  runTsScript,
  sampleRss,
  sleep,
  startNode,
  TS_NODE,
  waitFor,
} from './lib';
import { LogsFigure, scenarioLogs as measureLogs, Spread } from './logs';
import { formatProfile, ProfileSummary, summarizeProfile } from './profile';
import type { ReceiverStats } from './receiver';

// ---------------------------------------------------------------------------------------------
// Settings

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

const SCALE = num('BENCH_SCALE', 1);
const scaled = (full: number, min: number): number => Math.max(min, Math.round(full * SCALE));
const ALL_SCENARIOS = ['ingest', 'drain', 'e2e', 'fanout', 'logs'] as const;
type Scenario = (typeof ALL_SCENARIOS)[number];
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Scenario[];
for (const s of SCENARIOS) {
  if (!ALL_SCENARIOS.includes(s)) throw new Error(`BENCH_SCENARIOS: unknown scenario "${s}"`);
}
const PROFILE = (process.env.BENCH_PROFILE ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const SIZES = {
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 2),
  ingestConnections: num('BENCH_INGEST_CONNECTIONS', 64),
  ingestSeconds: num('BENCH_INGEST_SECONDS', scaled(15, 2)),
  drainEvents: num('BENCH_DRAIN_EVENTS', scaled(20_000, 200)),
  e2eRate: num('BENCH_E2E_RATE', 500),
  e2eSeconds: num('BENCH_E2E_SECONDS', scaled(20, 2)),
  fanoutSubscriptions: num('BENCH_FANOUT_SUBSCRIPTIONS', scaled(1000, 10)),
  logsDeliveries: num('BENCH_LOGS_DELIVERIES', scaled(1_000_000, 10_000)),
  logsSamples: num('BENCH_LOGS_SAMPLES', 200),
  logsPages: num('BENCH_LOGS_PAGES', 50),
  /** Hookhub's DELIVERY_CONCURRENCY, which the baselines use too. */
  concurrency: num('DELIVERY_CONCURRENCY', 50),
};
const PG_SERVER = (process.env.BENCH_DATABASE_SERVER ?? 'postgres://root@127.0.0.1:5432').replace(/\/+$/, '');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The whole run is bounded: past this everything is stopped and the run fails. */
const RUN_TIMEOUT_MS = num('BENCH_TIMEOUT_SECONDS', 1800) * 1000;
const FULL_RUN = SCALE === 1 && SCENARIOS.length === ALL_SCENARIOS.length && PROFILE.length === 0;
const WRITE = process.env.BENCH_WRITE === 'true' || (process.env.BENCH_WRITE !== 'false' && FULL_RUN);

const RUN_ID = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${randomBytes(2).toString('hex')}`;
const DB_NAME = `hookhub_bench_${RUN_ID}`;
const QUEUE_PREFIX = `hookhub_bench_${RUN_ID}`;
const BARE_PREFIX = `${QUEUE_PREFIX}_bare`;
const ADMIN_KEY = `bench-admin-${randomBytes(12).toString('hex')}`;
const ENCRYPTION_KEY = randomBytes(32).toString('hex');
const WORK_DIR = mkdtempSync(join(os.tmpdir(), `hookhub-bench-${RUN_ID}-`));
const log = (message: string): void => {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

// ---------------------------------------------------------------------------------------------
// Results

interface Row {
  /** The BENCH_SCENARIOS name that measured it. */
  scenarioId?: Scenario;
  scenario: string;
  figure: string;
  unit: string;
  hookhub: number | null;
  baseline: number | null;
  baselineName: string | null;
  /** Hookhub divided by the baseline. */
  ratio: number | null;
  target: string;
  met: boolean | null;
  /** p50 / p95 / p99 of a latency figure (`hookhub` and `baseline` are then the p50s). */
  spread?: { hookhub: Spread | null; baseline: Spread | null };
}

const rows: Row[] = [];
const details: Record<string, unknown> = {};
const profiles: ProfileSummary[] = [];

/** The scenario being run, which addRow records on each row. */
let currentScenario: Scenario | undefined;

function addRow(row: Omit<Row, 'ratio'> & { ratio?: number | null }): void {
  const ratio =
    row.ratio !== undefined
      ? row.ratio
      : row.hookhub !== null && row.baseline !== null && row.baseline !== 0
        ? row.hookhub / row.baseline
        : null;
  rows.push({ scenarioId: currentScenario, ...row, ratio: ratio === null ? null : round(ratio, 2) });
}

// ---------------------------------------------------------------------------------------------
// Processes

const children = new Set<Child>();
let api: Child | undefined;
let worker: Child | undefined;
let receiverChild: Child | undefined;
let db: Client | undefined;
const profileDir = join(WORK_DIR, 'profiles');
let apiUrl = '';
let receiverUrl = '';

function hookhubEnv(role: 'api' | 'worker', port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    APP_ROLE: role,
    PORT: String(port),
    DATABASE_URL: `${PG_SERVER}/${DB_NAME}`,
    REDIS_URL,
    QUEUE_PREFIX,
    ADMIN_API_KEY: ADMIN_KEY,
    ENCRYPTION_KEY,
    ALLOW_HTTP_URLS: 'true',
    ALLOW_PRIVATE_URLS: 'true',
    LOG_LEVEL: 'warn',
  };
}
function startHookhub(role: 'api' | 'worker', port: number): Child {
  const flags = PROFILE.includes(role) ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, role)}`] : [];
  const child = startNode(
    `hookhub-${role}`,
    [...flags, 'dist/src/main.js'],
    hookhubEnv(role, port),
    join(WORK_DIR, `hookhub-${role}.log`),
  );
  children.add(child);
  void child.exited.then((code) => {
    if (children.has(child)) log(`hookhub ${role} (pid ${child.pid}) exited with ${code}; see ${child.log}`);
  });
  return child;
}

async function stopChild(child: Child | undefined): Promise<void> {
  if (!child) return;
  children.delete(child);
  await child.stop();
}

class ReceiverClient {
  private seq = 0;
  private readonly pending = new Map<number, (value: ReceiverStats) => void>();

  constructor(private readonly child: Child) {
    child.proc.on('message', (message: { id?: number } & ReceiverStats) => {
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  private send(cmd: 'reset' | 'stats', latencies = false): Promise<ReceiverStats> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.proc.send({ id, cmd, latencies }, (error) => error && reject(error));
    });
  }

  reset(): Promise<ReceiverStats> {
    return this.send('reset');
  }

  stats(latencies = false): Promise<ReceiverStats> {
    return this.send('stats', latencies);
  }
}

async function startReceiver(): Promise<ReceiverClient> {
  const child = forkTs('receiver', 'bench/receiver.ts', process.env, join(WORK_DIR, 'receiver.log'));
  children.add(child);
  receiverChild = child;
  const port = await new Promise<number>((resolve, reject) => {
    child.proc.once('message', (m: { type?: string; port?: number }) =>
      m.type === 'ready' && m.port ? resolve(m.port) : reject(new Error('receiver failed')),
    );
    void child.exited.then(() => reject(new Error(`receiver exited; see ${child.log}`)));
  });
  receiverUrl = `http://127.0.0.1:${port}`;
  return new ReceiverClient(child);
}

// ---------------------------------------------------------------------------------------------
// Hookhub API helpers

interface Tenant {
  id: string;
  auth: Record<string, string>;
}

async function createTenant(name: string): Promise<Tenant> {
  const data = await callData<{ tenant_id: string; api_key: string }>(
    `${apiUrl}/api/v1/tenants`,
    'POST',
    { authorization: `Bearer ${ADMIN_KEY}` },
    { name },
    201,
  );
  return { id: data.tenant_id, auth: { authorization: `Bearer ${data.api_key}` } };
}

async function createSource(tenant: Tenant, name: string, secret: string): Promise<string> {
  const data = await callData<{ source_id: string }>(
    `${apiUrl}/api/v1/sources`,
    'POST',
    tenant.auth,
    { name, provider: 'generic', verification: { scheme: 'hmac-sha256', secret } },
    201,
  );
  return data.source_id;
}

async function subscribe(tenant: Tenant, name: string, url: string, events: string[]): Promise<string> {
  const data = await callData<{ webhook_id: string }>(
    `${apiUrl}/api/v1/webhooks`,
    'POST',
    tenant.auth,
    { name, url, events },
    201,
  );
  return data.webhook_id;
}

async function count(sql: string, params: unknown[]): Promise<Record<string, number>> {
  const result = await db!.query<Record<string, string>>(sql, params);
  return Object.fromEntries(Object.entries(result.rows[0]).map(([k, v]) => [k, Number(v)]));
}

// ---------------------------------------------------------------------------------------------
// Load

interface HttpLoad {
  requests: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  durationS: number;
}

/** Signed generic ingest events with autocannon: the same generator for the baseline and Hookhub. */
async function ingestLoad(url: string, secret: string, seconds: number, tag: string): Promise<HttpLoad> {
  let seq = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: SIZES.ingestConnections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const body = ingestBody('bench.ingest', `${tag}-${seq++}`);
          return { ...req, body, headers: { 'content-type': 'application/json', ...ingestSignature(secret, body) } };
        },
      },
    ],
  });
  return summarizeLoad(result);
}

function summarizeLoad(result: autocannon.Result): HttpLoad {
  return {
    requests: result.requests.total,
    perSecond: round(result.requests.total / result.duration, 1),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.non2xx,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    durationS: round(result.duration, 2),
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function scenarioIngest(): Promise<void> {
  const secret = `ingest-secret-${randomBytes(8).toString('hex')}`;
  const seconds = SIZES.ingestSeconds;

  log(`ingest baseline: naive ingest server, ${SIZES.ingestConnections} connections, ${seconds} s`);
  const naive = startNode(
    'naive-ingest',
    [...TS_NODE, 'bench/baselines/naive-ingest.ts'],
    { ...process.env, DATABASE_URL: `${PG_SERVER}/${DB_NAME}`, PORT: '0' },
    join(WORK_DIR, 'naive-ingest.log'),
  );
  children.add(naive);
  let naiveLoad: HttpLoad;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      naive.proc.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /\{"port":(\d+)\}/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      void naive.exited.then(() => reject(new Error(`naive-ingest exited; see ${naive.log}`)));
    });
    const naiveUrl = `http://127.0.0.1:${port}/ingest`;
    await ingestLoad(naiveUrl, secret, SIZES.warmupSeconds, `naive-warm-${RUN_ID}`);
    naiveLoad = await ingestLoad(naiveUrl, secret, seconds, `naive-${RUN_ID}`);
  } finally {
    await stopChild(naive);
  }
  log(`  naive: ${naiveLoad.perSecond} req/s, p50 ${naiveLoad.p50} ms, p99 ${naiveLoad.p99} ms`);

  log(`ingest: Hookhub POST /api/v1/ingest/{source_id}, ${SIZES.ingestConnections} connections, ${seconds} s`);
  const tenant = await createTenant('bench ingest');
  const sourceId = await createSource(tenant, 'bench ingest', secret);
  const url = `${apiUrl}/api/v1/ingest/${sourceId}`;
  await ingestLoad(url, secret, SIZES.warmupSeconds, `hh-warm-${RUN_ID}`);
  await waitForInboundBacklog(sourceId, 600_000);
  const startedAt = nowMs();
  const load = await ingestLoad(url, secret, seconds, `hh-${RUN_ID}`);
  const loadEndedAt = nowMs();
  log(`  hookhub: ${load.perSecond} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, errors ${load.errors}`);

  // the worker turns every stored inbound event into an event; wait for it before the next scenario
  log('  waiting for the worker to process the inbound backlog');
  const backlog = await waitForInboundBacklog(sourceId, 900_000);
  const processedAt = nowMs();
  const stored = await count(`SELECT count(*) AS n FROM inbound_events WHERE source_id = $1`, [sourceId]);
  const backlogRate = (load.requests / (processedAt - startedAt)) * 1000;
  log(`  backlog: ${backlog.completed} completed, ${backlog.failed} failed, ${round(backlogRate)} processed/s`);

  // diagnostic: the same load on the API alone, the worker stopped (how much the worker's share of the CPU costs)
  let alone: HttpLoad | null = null;
  if (process.env.BENCH_INGEST_API_ALONE !== 'false') {
    log('ingest (diagnostic): the same load with the worker stopped');
    await stopChild(worker);
    worker = undefined;
    alone = await ingestLoad(url, secret, seconds, `hh-alone-${RUN_ID}`);
    log(`  hookhub api alone: ${alone.perSecond} req/s, p50 ${alone.p50} ms, p99 ${alone.p99} ms`);
    worker = startHookhub('worker', 0);
    await waitForInboundBacklog(sourceId, 900_000);
  }

  details.ingest = {
    naive: naiveLoad,
    hookhub: load,
    hookhubWorkerStopped: alone,
    storedInboundEvents: stored.n,
    backlog: { ...backlog, secondsAfterLoad: round((processedAt - loadEndedAt) / 1000, 1) },
  };
  addRow({
    scenario: 'ingest',
    figure: 'requests/s',
    unit: 'req/s',
    hookhub: load.perSecond,
    baseline: naiveLoad.perSecond,
    baselineName: 'naive ingest',
    target: '≥ 1.0× naive ingest',
    met: load.perSecond >= naiveLoad.perSecond,
  });
  addRow({
    scenario: 'ingest',
    figure: 'latency p50',
    unit: 'ms',
    hookhub: load.p50,
    baseline: naiveLoad.p50,
    baselineName: 'naive ingest',
    target: '—',
    met: null,
  });
  addRow({
    scenario: 'ingest',
    figure: 'latency p99',
    unit: 'ms',
    hookhub: load.p99,
    baseline: naiveLoad.p99,
    baselineName: 'naive ingest',
    target: '≤ 25 ms',
    met: load.p99 <= 25,
  });
  addRow({
    scenario: 'ingest',
    figure: 'errors',
    unit: 'count',
    hookhub: load.errors,
    baseline: naiveLoad.errors,
    baselineName: 'naive ingest',
    ratio: null,
    target: '0',
    met: load.errors === 0,
  });
  if (alone) {
    addRow({
      scenario: 'ingest',
      figure: 'requests/s, worker stopped (diagnostic)',
      unit: 'req/s',
      hookhub: alone.perSecond,
      baseline: naiveLoad.perSecond,
      baselineName: 'naive ingest',
      target: '—',
      met: null,
    });
    addRow({
      scenario: 'ingest',
      figure: 'latency p99, worker stopped (diagnostic)',
      unit: 'ms',
      hookhub: alone.p99,
      baseline: naiveLoad.p99,
      baselineName: 'naive ingest',
      target: '—',
      met: null,
    });
  }
  addRow({
    scenario: 'ingest',
    figure: 'inbound events processed/s (worker, load start → backlog empty)',
    unit: '/s',
    hookhub: round(backlogRate, 1),
    baseline: null,
    baselineName: null,
    target: '—',
    met: null,
  });
}

async function waitForInboundBacklog(
  sourceId: string,
  timeoutMs: number,
): Promise<{ completed: number; failed: number; open: number }> {
  return waitFor(
    'the inbound backlog',
    async () => {
      const c = await count(
        `SELECT count(*) FILTER (WHERE status IN ('pending', 'processing', 'retrying')) AS open,
                count(*) FILTER (WHERE status = 'completed') AS completed,
                count(*) FILTER (WHERE status = 'failed') AS failed
         FROM inbound_events WHERE source_id = $1`,
        [sourceId],
      );
      return c.open === 0 ? { completed: c.completed, failed: c.failed, open: c.open } : undefined;
    },
    timeoutMs,
    250,
  );
}

async function scenarioDrain(receiver: ReceiverClient): Promise<void> {
  const n = SIZES.drainEvents;
  const c = SIZES.concurrency;

  log(`drain baseline: bare Bull queue, ${n} empty jobs, concurrency ${c}`);
  const bare = await runTsScript<{ perSecond: number; elapsedMs: number }>(
    'bench/baselines/bare-queue.ts',
    { ...process.env, REDIS_URL, QUEUE_PREFIX: BARE_PREFIX, COUNT: String(n), CONCURRENCY: String(c) },
    join(WORK_DIR, 'bare-queue.log'),
    600_000,
  );
  log(`  bare queue: ${round(bare.perSecond)} jobs/s`);

  log(`drain baseline: raw signed undici POSTs, ${n} to the receiver, concurrency ${c}`);
  await receiver.reset();
  const raw = await runTsScript<{ perSecond: number; elapsedMs: number; errors: number }>(
    'bench/baselines/raw-send.ts',
    { ...process.env, URL: `${receiverUrl}/raw`, COUNT: String(n), CONCURRENCY: String(c) },
    join(WORK_DIR, 'raw-send.log'),
    600_000,
  );
  log(`  raw send: ${round(raw.perSecond)} POSTs/s, ${raw.errors} errors`);

  log(`drain: ${n} events published to one subscription while the worker is stopped`);
  const tenant = await createTenant('bench drain');
  const webhookId = await subscribe(tenant, 'drain', `${receiverUrl}/drain`, ['drain.item']);
  await stopChild(worker);
  worker = undefined;
  const apiSampler = sampleRss({ api: api!.pid });
  let seq = 0;
  const published = summarizeLoad(
    await autocannon({
      url: `${apiUrl}/api/v1/events`,
      method: 'POST',
      connections: 16,
      amount: n,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            headers: { 'content-type': 'application/json', ...tenant.auth },
            body: JSON.stringify({
              event_type: 'drain.item',
              data: { seq: seq++, amount: '1500.00', customer: { id: 'cus_4711', name: 'Jane Doe' } },
            }),
          }),
        },
      ],
    }),
  );
  const queued = await count(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1`, [webhookId]);
  log(`  published ${queued.n} deliveries at ${published.perSecond} events/s (${published.errors} errors)`);
  if (queued.n !== n) throw new Error(`drain: ${queued.n} deliveries queued, expected ${n}`);

  await receiver.reset();
  const startedAt = nowMs();
  worker = startHookhub('worker', 0);
  const workerSampler = sampleRss({ worker: worker.pid });
  const done = await waitFor(
    `${n} successful deliveries`,
    async () => {
      const c = await count(
        `SELECT count(*) FILTER (WHERE status = 'success') AS success,
                count(*) FILTER (WHERE status IN ('retrying', 'dead')) AS failed
         FROM deliveries WHERE subscription_id = $1`,
        [webhookId],
      );
      return c.success === n ? { at: nowMs(), failedOnTheWay: c.failed } : undefined;
    },
    Math.max(300_000, (n / 20) * 1000),
    200,
  );
  const stats = await receiver.stats();
  const peaks = { ...apiSampler.stop(), ...workerSampler.stop() };
  const hwm = { api: memoryOf(api!.pid)?.hwmMb ?? NaN, worker: memoryOf(worker.pid)?.hwmMb ?? NaN };
  const elapsed = done.at - (stats.firstAt ?? startedAt);
  const perSecond = (n / elapsed) * 1000;
  log(`  hookhub: ${round(perSecond)} deliveries/s (first arrival → all success), ${stats.count} arrivals`);
  log(`  peak RSS during the drain: api ${round(peaks.api)} MiB, worker ${round(peaks.worker)} MiB`);

  details.drain = {
    events: n,
    concurrency: c,
    bareQueue: bare,
    rawSend: raw,
    publish: published,
    hookhub: {
      perSecond: round(perSecond, 1),
      elapsedMs: round(elapsed),
      workerStartToFirstDeliveryMs: round((stats.firstAt ?? NaN) - startedAt),
      arrivals: stats.count,
      duplicates: stats.count - n,
      unsigned: stats.unsigned,
    },
    memory: {
      peakRssMb: { api: round(peaks.api), worker: round(peaks.worker) },
      vmHwmMb: { api: round(hwm.api), worker: round(hwm.worker) },
    },
  };
  addRow({
    scenario: 'drain',
    figure: 'deliveries/s until all success',
    unit: '/s',
    hookhub: round(perSecond, 1),
    baseline: round(bare.perSecond, 1),
    baselineName: 'bare queue jobs/s',
    target: '≥ 0.4× bare queue',
    met: perSecond >= 0.4 * bare.perSecond,
  });
  addRow({
    scenario: 'drain',
    figure: 'deliveries/s vs raw signed sends',
    unit: '/s',
    hookhub: round(perSecond, 1),
    baseline: round(raw.perSecond, 1),
    baselineName: 'raw send POSTs/s',
    target: '—',
    met: null,
  });
  addRow({
    scenario: 'drain',
    figure: 'publishing POST /api/v1/events (16 connections)',
    unit: 'events/s',
    hookhub: published.perSecond,
    baseline: null,
    baselineName: null,
    target: '—',
    met: null,
  });
  for (const role of ['api', 'worker'] as const) {
    addRow({
      scenario: 'memory',
      figure: `peak RSS under the drain, ${role}`,
      unit: 'MiB',
      hookhub: round(peaks[role]),
      baseline: null,
      baselineName: null,
      target: '≤ 350 MB',
      met: peaks[role] * 1.048576 <= 350,
    });
  }
}

async function scenarioE2e(receiver: ReceiverClient): Promise<void> {
  const rate = SIZES.e2eRate;
  const seconds = SIZES.e2eSeconds;
  const total = Math.round(rate * seconds);
  log(`end to end: ${rate} signed events/s for ${seconds} s → ingest → worker → subscriber`);
  const secret = `e2e-secret-${randomBytes(8).toString('hex')}`;
  const tenant = await createTenant('bench e2e');
  const sourceId = await createSource(tenant, 'bench e2e', secret);
  await subscribe(tenant, 'e2e', `${receiverUrl}/e2e`, ['e2e.*']);
  await receiver.reset();

  // A paced open-loop sender: request i leaves at start + i / rate. autocannon's overallRate sends
  // each second's budget as one burst, which would measure burst queueing, not a steady 500/s.
  const pool = new Pool(apiUrl, { connections: 64, pipelining: 1 });
  const path = `/api/v1/ingest/${sourceId}`;
  const interval = 1000 / rate;
  const httpLatencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const fire = (i: number): void => {
    const sentAt = nowMs();
    const body = ingestBody('e2e.tick', `e2e-${RUN_ID}-${i}`, { sent_at: round(sentAt, 3) });
    const headers = { 'content-type': 'application/json', ...ingestSignature(secret, body) };
    inflight.push(
      pool
        .request({ path, method: 'POST', headers, body, headersTimeout: 30_000 })
        .then(async (res) => {
          await res.body.text();
          if (res.statusCode !== 202) errors += 1;
          httpLatencies.push(nowMs() - sentAt);
        })
        .catch(() => {
          errors += 1;
        }),
    );
  };
  const start = nowMs() + 20;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowMs();
      while (sent < total && start + sent * interval <= now) fire(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - nowMs()));
      else resolve();
    };
    tick();
  });
  const sendSeconds = (nowMs() - start) / 1000;
  await Promise.all(inflight);
  await pool.close();

  let last = -1;
  let lastChange = Date.now();
  const stats = await waitFor(
    `${total} deliveries at the receiver`,
    async () => {
      const s = await receiver.stats();
      if (s.count !== last) {
        last = s.count;
        lastChange = Date.now();
      }
      if (s.count >= total - errors) return receiver.stats(true);
      if (Date.now() - lastChange > 30_000) return receiver.stats(true); // no progress for 30 s: give up
      return undefined;
    },
    600_000,
    100,
  );
  const latencies = (stats.latencies ?? []).sort((a, b) => a - b);
  const http = httpLatencies.sort((a, b) => a - b);
  const e2e = {
    sent: total,
    sendSeconds: round(sendSeconds, 2),
    achievedRate: round(total / sendSeconds, 1),
    httpErrors: errors,
    delivered: stats.count,
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    ingestHttp: {
      p50: round(percentile(http, 50)),
      p99: round(percentile(http, 99)),
      max: round(http[http.length - 1] ?? NaN),
    },
  };
  details.e2e = e2e;
  log(`  delivered ${e2e.delivered}/${total}: p50 ${e2e.p50} ms, p99 ${e2e.p99} ms, max ${e2e.max} ms`);
  addRow({
    scenario: 'end to end',
    figure: `ingest → subscriber p50 (${rate}/s)`,
    unit: 'ms',
    hookhub: e2e.p50,
    baseline: null,
    baselineName: null,
    target: '≤ 25 ms',
    met: e2e.p50 <= 25 && e2e.delivered >= total,
  });
  addRow({
    scenario: 'end to end',
    figure: `ingest → subscriber p99 (${rate}/s)`,
    unit: 'ms',
    hookhub: e2e.p99,
    baseline: null,
    baselineName: null,
    target: '≤ 150 ms',
    met: e2e.p99 <= 150 && e2e.delivered >= total,
  });
  addRow({
    scenario: 'end to end',
    figure: 'delivered of sent',
    unit: 'count',
    hookhub: e2e.delivered,
    baseline: total,
    baselineName: 'sent',
    target: 'all',
    met: e2e.delivered >= total && errors === 0,
  });
}

async function scenarioFanout(receiver: ReceiverClient): Promise<void> {
  const n = SIZES.fanoutSubscriptions;
  log(`fan-out baseline: ${n} raw signed POSTs, concurrency ${SIZES.concurrency}`);
  await receiver.reset();
  const raw = await runTsScript<{ perSecond: number; elapsedMs: number; errors: number }>(
    'bench/baselines/raw-send.ts',
    { ...process.env, URL: `${receiverUrl}/raw`, COUNT: String(n), CONCURRENCY: String(SIZES.concurrency) },
    join(WORK_DIR, 'raw-send-fanout.log'),
    300_000,
  );
  log(`  raw send: ${n} in ${round(raw.elapsedMs)} ms`);

  log(`fan-out: one event to ${n} subscriptions`);
  const tenant = await createTenant('bench fan-out');
  await inParallel(
    Array.from({ length: n }, (_, i) => i),
    8,
    (i) => subscribe(tenant, `fan-out ${i}`, `${receiverUrl}/fanout/${i}`, ['fanout.go']),
  );
  await sleep(500);
  await receiver.reset();
  const t0 = nowMs();
  const published = await callData<{ event_id: string; matched_webhooks: number }>(
    `${apiUrl}/api/v1/events`,
    'POST',
    tenant.auth,
    { event_type: 'fanout.go', data: { n } },
    202,
  );
  const publishMs = nowMs() - t0;
  if (published.matched_webhooks !== n) throw new Error(`fan-out matched ${published.matched_webhooks}, not ${n}`);
  const stats = await waitFor(
    `${n} fan-out deliveries`,
    async () => {
      const s = await receiver.stats();
      return s.count >= n ? s : undefined;
    },
    300_000,
    10,
  );
  const deliveredMs = stats.lastAt! - t0;
  const successAt = await waitFor(
    'all fan-out deliveries success',
    async () => {
      const c = await count(
        `SELECT count(*) FILTER (WHERE status = 'success') AS n FROM deliveries WHERE event_id = $1`,
        [published.event_id],
      );
      return c.n === n ? nowMs() : undefined;
    },
    300_000,
    25,
  );
  const fanout = {
    subscriptions: n,
    publishMs: round(publishMs),
    firstDeliveryMs: round(stats.firstAt! - t0),
    allDeliveredMs: round(deliveredMs),
    allSuccessMs: round(successAt - t0),
    rawSend: raw,
  };
  details.fanout = fanout;
  log(`  hookhub: all ${n} delivered ${fanout.allDeliveredMs} ms after the POST (success ${fanout.allSuccessMs} ms)`);
  addRow({
    scenario: 'fan-out',
    figure: `one event → ${n} subscriptions, all delivered`,
    unit: 'ms',
    hookhub: fanout.allDeliveredMs,
    baseline: round(raw.elapsedMs),
    baselineName: `raw send of ${n}`,
    target: '≤ 2 s',
    met: deliveredMs <= 2000,
  });
  addRow({
    scenario: 'fan-out',
    figure: 'all recorded success',
    unit: 'ms',
    hookhub: fanout.allSuccessMs,
    baseline: null,
    baselineName: null,
    target: '—',
    met: null,
  });
}

/** The delivery and event logs on 1,000,000 seeded deliveries (bench/logs.ts); target p99 ≤ 100 ms each. */
async function scenarioLogs(): Promise<void> {
  const result = await measureLogs({
    apiUrl,
    db: db!,
    log,
    createTenant,
    subscribe: (auth, name, events) => subscribe({ id: '', auth }, name, `${receiverUrl}/logs`, events),
    createSource: (auth, name) => createSource({ id: '', auth }, name, `logs-secret-${randomBytes(8).toString('hex')}`),
    deliveries: SIZES.logsDeliveries,
    samples: SIZES.logsSamples,
    deepPages: SIZES.logsPages,
  });
  details.logs = result;
  const { seed } = result;
  addRow({
    scenario: 'logs',
    figure: `seed ${seed.deliveries} deliveries, ${seed.events} events, ${seed.attempts} attempts (SQL, not a target)`,
    unit: 's',
    hookhub: seed.seconds,
    baseline: null,
    baselineName: null,
    target: '—',
    met: null,
  });
  for (const f of result.figures) addRow(logsRow(f, result.timing));
}

function logsRow(f: LogsFigure, timing: string): Omit<Row, 'ratio'> {
  const clientSide = timing === 'x-response-time' ? '' : ', client';
  return {
    scenario: 'logs',
    figure: f.missing ? `${f.figure}: ${f.missing}` : `${f.figure} (p50 / p95 / p99${clientSide})`,
    unit: 'ms',
    hookhub: f.hookhub?.p50 ?? null,
    baseline: f.baseline?.p50 ?? null,
    baselineName: f.baselineName,
    target: f.comparison ? '—' : 'p99 ≤ 100 ms',
    met: f.hookhub && !f.comparison ? f.hookhub.p99 <= 100 : null,
    spread: { hookhub: f.hookhub, baseline: f.baseline },
  };
}

// ---------------------------------------------------------------------------------------------
// Machine, output

async function machine(): Promise<Record<string, unknown>> {
  const pg = await db!.query<{ server_version: string }>('SHOW server_version');
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let redisVersion = 'unknown';
  try {
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
  let nproc = os.cpus().length;
  try {
    nproc = Number(execSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // keep os.cpus()
  }
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    if (execSync('git status --porcelain -- src', { cwd: ROOT, encoding: 'utf8' }).trim()) commit += ' (src modified)';
  } catch {
    // not a git checkout
  }
  return {
    nproc,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgresql: pg.rows[0].server_version,
    redis: redisVersion,
    commit,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
}

function fmt(value: number | null, unit?: string): string {
  if (value === null || Number.isNaN(value)) return '—';
  const text = Math.abs(value) >= 100 ? String(Math.round(value)) : String(round(value, 1));
  return unit ? `${text} ${unit}` : text;
}

function fmtSpread(spread: Spread, unit: string): string {
  return `${fmt(spread.p50)} / ${fmt(spread.p95)} / ${fmt(spread.p99)} ${unit}`;
}

function tableRows(of: Row[]): string[][] {
  return of.map((r) => [
    r.scenario,
    r.figure,
    r.spread?.hookhub ? fmtSpread(r.spread.hookhub, r.unit) : fmt(r.hookhub, r.unit),
    r.baseline === null
      ? '—'
      : `${r.spread?.baseline ? fmtSpread(r.spread.baseline, r.unit) : fmt(r.baseline, r.unit)} (${r.baselineName})`,
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ]);
}

const HEADER = ['scenario', 'figure', 'Hookhub', 'baseline', 'ratio', 'target', 'met?'];

function printTable(): void {
  const all = [HEADER, ...tableRows(rows)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\n${line(HEADER)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of all.slice(1)) process.stdout.write(`${line(r)}\n`);
  process.stdout.write('\n');
}

/** What a run writes to bench/results/latest.json. */
interface RunResult {
  runId: string;
  finishedAt: string;
  durationSeconds: number;
  scale: number;
  scenarios: Scenario[];
  sizes: Record<string, number>;
  machine: Record<string, unknown>;
  rows: Row[];
  details: Record<string, unknown>;
  profiles?: ProfileSummary[];
  /** Runs whose scenarios this one did not run again: their figures stay until those scenarios run again. */
  earlierRuns?: RunResult[];
}

/** The scenario of rows written before rows named theirs. */
const SCENARIO_OF_ROW: Record<string, Scenario> = {
  ingest: 'ingest',
  drain: 'drain',
  memory: 'drain',
  'end to end': 'e2e',
  'fan-out': 'fanout',
  logs: 'logs',
};

/** `run` reduced to the scenarios in `keep`; null when none of its figures is left. */
function keepScenarios(run: RunResult, keep: Scenario[]): RunResult | null {
  const kept = run.rows.filter((r) => keep.includes(r.scenarioId ?? SCENARIO_OF_ROW[r.scenario]));
  if (kept.length === 0) return null;
  const details = Object.fromEntries(Object.entries(run.details).filter(([k]) => keep.includes(k as Scenario)));
  return {
    ...run,
    scenarios: run.scenarios.filter((s) => keep.includes(s)),
    rows: kept,
    details,
    profiles: undefined,
    earlierRuns: undefined,
  };
}

/** The earlier runs of the scenarios this partial run did not run, from the previous latest.json. */
function earlierRuns(file: string): RunResult[] {
  const others = ALL_SCENARIOS.filter((s) => !SCENARIOS.includes(s));
  if (others.length === 0 || !existsSync(file)) return [];
  const previous = JSON.parse(readFileSync(file, 'utf8')) as RunResult;
  return [previous, ...(previous.earlierRuns ?? [])]
    .map((run) => keepScenarios(run, others))
    .filter((run): run is RunResult => run !== null);
}

const START_MARK = '<!-- bench:results:start (written by npm run bench; edit outside these marks) -->';
const END_MARK = '<!-- bench:results:end -->';

function runMarkdown(run: RunResult, title: string): string[] {
  const m = run.machine;
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `${title} ${run.runId} on ${run.finishedAt}, ${run.durationSeconds} s in all ` +
      `(\`BENCH_SCALE=${run.scale}\`, scenarios ${run.scenarios.join(', ')}, commit ${String(m.commit)}).`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...tableRows(run.rows).map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    `Machine: ${String(m.nproc)} cores (\`nproc\`), ${String(m.cpu)}, ${String(m.memoryGiB)} GiB memory, ${String(m.os)}; ` +
      `Node.js ${String(m.node)}, PostgreSQL ${String(m.postgresql)}, Redis ${String(m.redis)}; ` +
      `load average at start ${(m.loadAverageAtStart as number[]).join(', ')}.`,
    '',
    `Sizes: ${Object.entries(run.sizes)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    '',
  ];
}

function resultsMarkdown(result: RunResult): string {
  const earlier = result.earlierRuns ?? [];
  return [
    START_MARK,
    '',
    ...runMarkdown(result, 'Run'),
    ...earlier.flatMap((run) => runMarkdown(run, 'Kept from the earlier run')),
    'Every figure and the whole JSON (latencies, errors, memory) are in ' +
      '[`bench/results/latest.json`](../bench/results/latest.json).',
    '',
    END_MARK,
  ].join('\n');
}

const DOC_SKELETON = `# Benchmarks

${START_MARK}
${END_MARK}
`;

function writeOutputs(run: RunResult): void {
  const latest = join(ROOT, 'bench', 'results', 'latest.json');
  if (!WRITE) {
    const file = join(WORK_DIR, 'result.json');
    writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    log(`partial or scaled run: results in ${file} (BENCH_WRITE=true writes bench/results/latest.json and the docs)`);
    return;
  }
  const earlier = earlierRuns(latest);
  const result: RunResult = earlier.length > 0 ? { ...run, earlierRuns: earlier } : run;
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(latest, `${JSON.stringify(result, null, 2)}\n`);
  const docPath = join(ROOT, 'docs', 'benchmarks.md');
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : DOC_SKELETON;
  const start = doc.indexOf(START_MARK);
  const end = doc.indexOf(END_MARK);
  const section = resultsMarkdown(result);
  const next =
    start >= 0 && end > start
      ? doc.slice(0, start) + section + doc.slice(end + END_MARK.length)
      : `${doc.trimEnd()}\n\n## Results\n\n${section}\n`;
  writeFileSync(docPath, next);
  // keep the file as prettier formats it, so `npm run format:check` stays green
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--write', docPath], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  log(
    `wrote bench/results/latest.json and docs/benchmarks.md${earlier.length > 0 ? ' (other scenarios kept from earlier runs)' : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Main

let cleaning: Promise<void> | undefined;

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c).catch(() => undefined)));
    await db?.end().catch(() => undefined);
    if (process.env.BENCH_KEEP_DATABASE !== 'true') {
      const admin = new Client({ connectionString: `${PG_SERVER}/postgres` });
      try {
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
      } catch (error) {
        log(`could not drop ${DB_NAME}: ${(error as Error).message}`);
      } finally {
        await admin.end().catch(() => undefined);
      }
    }
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      for (const prefix of [QUEUE_PREFIX, BARE_PREFIX]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      }
    } catch (error) {
      log(`could not clear the Redis keys of ${QUEUE_PREFIX}: ${(error as Error).message}`);
    } finally {
      redis.disconnect();
    }
  })();
  return cleaning;
}

async function main(): Promise<void> {
  const began = nowMs();
  log(`run ${RUN_ID}: scale ${SCALE}, scenarios ${SCENARIOS.join(', ')}; logs in ${WORK_DIR}`);
  if (process.env.BENCH_SKIP_BUILD !== 'true') {
    log('npm run build');
    execSync('npm run build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const receiver = await startReceiver();
  const apiPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  log(`starting Hookhub: api on ${apiUrl}, one worker; database ${DB_NAME}, queue prefix ${QUEUE_PREFIX}`);
  api = startHookhub('api', apiPort);
  await waitFor(
    'the API to answer /health',
    async () => (await call(`${apiUrl}/health`, 'GET')).status === 200,
    120_000,
    250,
  );
  worker = startHookhub('worker', 0);
  db = new Client({ connectionString: `${PG_SERVER}/${DB_NAME}` });
  await db.connect();
  const machineInfo = await machine();

  // the worker is ready once a published event comes through to the receiver
  const warm = await createTenant('bench warm-up');
  await subscribe(warm, 'warm-up', `${receiverUrl}/warmup`, ['bench.warmup']);
  await receiver.reset();
  await callData(`${apiUrl}/api/v1/events`, 'POST', warm.auth, { event_type: 'bench.warmup', data: {} }, 202);
  await waitFor('the worker to deliver a warm-up event', async () => (await receiver.stats()).count > 0, 120_000, 100);
  log('Hookhub is up');

  const run: Record<Scenario, () => Promise<void>> = {
    ingest: () => scenarioIngest(),
    drain: () => scenarioDrain(receiver),
    e2e: () => scenarioE2e(receiver),
    fanout: () => scenarioFanout(receiver),
    logs: () => scenarioLogs(),
  };
  for (const scenario of ALL_SCENARIOS.filter((s) => SCENARIOS.includes(s))) {
    currentScenario = scenario;
    await run[scenario]();
  }
  currentScenario = undefined;

  const durationSeconds = round((nowMs() - began) / 1000, 0);
  if (PROFILE.length > 0) {
    await stopChild(worker);
    await stopChild(api);
    for (const role of PROFILE) {
      const dir = join(profileDir, role);
      for (const file of existsSync(dir) ? readdirSync(dir) : []) {
        const summary = summarizeProfile(join(dir, file));
        profiles.push(summary);
        process.stdout.write(`\n${role} profile\n${formatProfile(summary)}\n`);
      }
    }
  }
  printTable();
  writeOutputs({
    runId: RUN_ID,
    finishedAt: new Date().toISOString(),
    durationSeconds,
    scale: SCALE,
    scenarios: ALL_SCENARIOS.filter((s) => SCENARIOS.includes(s)),
    sizes: SIZES,
    machine: machineInfo,
    rows,
    details,
    ...(profiles.length > 0 ? { profiles } : {}),
  });
  const missed = rows.filter((r) => r.met === false);
  log(`done in ${durationSeconds} s; ${missed.length === 0 ? 'every target met' : `${missed.length} targets missed`}`);
}

let exitCode = 0;
const timer = setTimeout(() => {
  log(`the run took longer than ${RUN_TIMEOUT_MS / 1000} s; stopping`);
  void cleanup().then(() => process.exit(1));
}, RUN_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything`);
    void cleanup().then(() => process.exit(130));
  });
}

main()
  .catch((error: Error) => {
    exitCode = 1;
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    if (rows.length > 0) printTable();
    if (receiverChild) process.stderr.write(`process logs in ${WORK_DIR}\n`);
  })
  .finally(() => {
    void cleanup().then(() => {
      clearTimeout(timer);
      process.exit(exitCode);
    });
  });
