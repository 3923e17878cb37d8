/**
 * `npm run bench`: builds Hookhub, starts it as real processes (one API, one worker; a second of
 * each in the scale-out scenario) on a fresh database and queue prefix, runs every scenario and,
 * back to back in the same run, the baseline each figure is divided by and the bounds that show
 * what this machine allows; prints the tables and writes bench/results/latest.json and the results
 * section of docs/benchmarks.md. The Hookhub processes are CPU-profiled scenario by scenario over
 * their inspector. Everything runs on 127.0.0.1 and is stopped at the end, even on failure. See
 * docs/benchmarks.md for the scenarios, the variables and the findings.
 */
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { Climb, climb, P99_LIMIT_MS } from './capacity';
import { ForeignCpu } from './foreign-cpu';
import { inspectorUrl, RemoteProfile } from './inspector';
import {
  call,
  callData,
  Child,
  connectionsOf,
  forkTs,
  freePort,
  ingestBody,
  ingestSignature,
  inParallel,
  memoryOf,
  nowMs,
  ROOT,
  round,
  runTsScript,
  sleep,
  startNode,
  TS_NODE,
  waitFor,
} from './lib';
import { LogsFigure, scenarioLogs as measureLogs, Spread } from './logs';
import { allDelivered, IngestTarget, PacedFigures, pacedWindow } from './paced';
import { ProfilePart, summarizeProfiles } from './profile';
import type { ReceiverStats } from './receiver';
import { fmt, printTables, Row, RunResult, ScenarioProfile, TargetRow, writeOutputs, writeScratch } from './report';

// ---------------------------------------------------------------------------------------------
// Settings

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

function numList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new Error(`${name} must be a comma-separated list of positive numbers (got "${raw}")`);
  }
  return values;
}

const SCALE = num('BENCH_SCALE', 1);
const scaled = (full: number, min: number): number => Math.max(min, Math.round(full * SCALE));
const ALL_SCENARIOS = ['ingest', 'drain', 'e2e', 'capacity', 'fanout', 'scale-out', 'logs'] as const;
type Scenario = (typeof ALL_SCENARIOS)[number];
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Scenario[];
for (const s of SCENARIOS) {
  if (!ALL_SCENARIOS.includes(s)) throw new Error(`BENCH_SCENARIOS: unknown scenario "${s}"`);
}
/** The Hookhub roles profiled scenario by scenario (`none`: no profiling). */
const PROFILE = (process.env.BENCH_PROFILE ?? 'api,worker')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '' && s !== 'none');
for (const role of PROFILE) {
  if (role !== 'api' && role !== 'worker') throw new Error(`BENCH_PROFILE: "${role}" is neither api nor worker`);
}
const CAPACITY_RATES = numList('BENCH_CAPACITY_RATES', [250, 500, 1000, 1500, 2000, 3000]);
const SIZES = {
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 2),
  ingestConnections: num('BENCH_INGEST_CONNECTIONS', 64),
  ingestSeconds: num('BENCH_INGEST_SECONDS', scaled(15, 2)),
  drainEvents: num('BENCH_DRAIN_EVENTS', scaled(20_000, 200)),
  e2eRate: num('BENCH_E2E_RATE', 500),
  e2eSeconds: num('BENCH_E2E_SECONDS', scaled(20, 2)),
  capacityRates: CAPACITY_RATES.join(','),
  capacitySeconds: num('BENCH_CAPACITY_SECONDS', scaled(15, 3)),
  capacityRefinements: num('BENCH_CAPACITY_REFINEMENTS', 2),
  fanoutSubscriptions: num('BENCH_FANOUT_SUBSCRIPTIONS', scaled(1000, 10)),
  scaleOutEvents: num('BENCH_SCALE_OUT_EVENTS', scaled(20_000, 200)),
  scaleOutIngestSeconds: num('BENCH_SCALE_OUT_INGEST_SECONDS', scaled(10, 2)),
  logsDeliveries: num('BENCH_LOGS_DELIVERIES', scaled(1_000_000, 10_000)),
  logsSamples: num('BENCH_LOGS_SAMPLES', 200),
  logsPages: num('BENCH_LOGS_PAGES', 50),
  profileIntervalUs: num('BENCH_PROFILE_INTERVAL_US', 10_000),
  /** Hookhub's DELIVERY_CONCURRENCY, which the baselines use too. */
  concurrency: num('DELIVERY_CONCURRENCY', 50),
};
const PG_SERVER = (process.env.BENCH_DATABASE_SERVER ?? 'postgres://root@127.0.0.1:5432').replace(/\/+$/, '');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The whole run is bounded: past this everything is stopped and the run fails. */
const RUN_TIMEOUT_MS = num('BENCH_TIMEOUT_SECONDS', 3600) * 1000;
const FULL_RUN = SCALE === 1 && SCENARIOS.length === ALL_SCENARIOS.length;
const WRITE = process.env.BENCH_WRITE === 'true' || (process.env.BENCH_WRITE !== 'false' && FULL_RUN);

const RUN_ID = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${randomBytes(2).toString('hex')}`;
const DB_NAME = `hookhub_bench_${RUN_ID}`;
const QUEUE_PREFIX = `hookhub_bench_${RUN_ID}`;
const BARE_PREFIX = `${QUEUE_PREFIX}_bare`;
const PIPELINE_PREFIX = `${QUEUE_PREFIX}_pipeline`;
const ADMIN_KEY = `bench-admin-${randomBytes(12).toString('hex')}`;
const ENCRYPTION_KEY = randomBytes(32).toString('hex');
const WORK_DIR = mkdtempSync(join(os.tmpdir(), `hookhub-bench-${RUN_ID}-`));
const log = (message: string): void => {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

// ---------------------------------------------------------------------------------------------
// Results

const rows: Row[] = [];
const details: Record<string, unknown> = {};

/** The scenario being run, which addRow records on each row. */
let currentScenario: Scenario | undefined;

function addRow(row: Omit<Row, 'ratio'> & { ratio?: number | null }): void {
  const ratio =
    row.ratio !== undefined
      ? row.ratio
      : row.hookhub !== null && row.baseline !== null && row.baseline !== 0
        ? row.hookhub / row.baseline
        : null;
  const finite = ratio !== null && Number.isFinite(ratio) ? ratio : null;
  rows.push({ scenarioId: currentScenario, ...row, ratio: finite === null ? null : round(finite, 2) });
}

/** Peak RSS (MiB) of each Hookhub process, scenario by scenario, sampled every 250 ms for the whole run. */
const rssPeaks: Record<string, Record<string, number>> = {};
/** The most PostgreSQL and Redis connections each Hookhub process held at once, sampled every second. */
const connectionPeaks: Record<string, { postgres: number; redis: number }> = {};
const PG_PORT = Number(new URL(PG_SERVER).port || 5432);
const REDIS_PORT = Number(new URL(REDIS_URL).port || 6379);

// ---------------------------------------------------------------------------------------------
// Processes

const children = new Set<Child>();
let receiverChild: Child | undefined;
let db: Client | undefined;
/** The orchestrator's own Redis connection: the queues' worker registrations, the clean-up. */
let redis: Redis | undefined;
let apiUrl = '';
let receiverUrl = '';

type Role = 'api' | 'worker';

/** A Hookhub process: `api`, `worker`, and in the scale-out scenario `api-2` and `worker-2`. */
interface Hookhub {
  label: string;
  role: Role;
  child: Child;
  /** The inspector's URL when the role is profiled. */
  inspector?: Promise<string>;
  /** The profile being taken, and of which scenario. */
  profiling?: Promise<{ scenario: Scenario; profile: RemoteProfile } | undefined>;
  /** When a process started within a scenario was ready (monotonic µs): its profile counts from then. */
  readyUs?: number;
}

const hookhubs = new Map<string, Hookhub>();
/** The scenario whose profiles are being taken. */
let profiledScenario: Scenario | undefined;
/** Profiles taken, by `<scenario>/<process>` (a process restarted within a scenario leaves several). */
const profileParts = new Map<string, { scenario: Scenario; process: string; parts: ProfilePart[] }>();
const profileDir = join(WORK_DIR, 'profiles');

function hookhubEnv(role: Role, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    APP_ROLE: role,
    PORT: String(port),
    // workers serve /metrics on METRICS_PORT: any free port, so that two workers can run side by side
    METRICS_PORT: '0',
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

function startHookhub(role: Role, port: number, label: string = role): Hookhub {
  const profiled = PROFILE.includes(role);
  const child = startNode(
    `hookhub-${label}`,
    [...(profiled ? ['--inspect=127.0.0.1:0'] : []), 'dist/src/main.js'],
    hookhubEnv(role, port),
    join(WORK_DIR, `hookhub-${label}.log`),
  );
  children.add(child);
  void child.exited.then((code) => {
    if (children.has(child)) log(`hookhub ${label} (pid ${child.pid}) exited with ${code}; see ${child.log}`);
  });
  const h: Hookhub = { label, role, child, inspector: profiled ? inspectorUrl(child.proc) : undefined };
  h.inspector?.catch(() => undefined);
  hookhubs.set(label, h);
  beginProfile(h);
  return h;
}

async function stopChild(child: Child | undefined): Promise<void> {
  if (!child) return;
  children.delete(child);
  await child.stop();
}

async function stopHookhub(h: Hookhub | undefined): Promise<void> {
  if (!h) return;
  await endProfile(h);
  hookhubs.delete(h.label);
  await stopChild(h.child);
}

/**
 * Starts profiling `h` when a scenario is being profiled and its role is. A process started within
 * a scenario is profiled from its start, so that starting the profiler (which records every
 * compiled function) does not pause it while it works; its samples count from the moment it is
 * ready (`markReady`), so its start-up (loading modules, building the Nest application) is not
 * counted as the scenario's work.
 */
function beginProfile(h: Hookhub): void {
  const scenario = profiledScenario;
  if (!h.inspector || !scenario) return;
  h.profiling = h.inspector
    .then((url) => RemoteProfile.start(url, SIZES.profileIntervalUs))
    .then((profile) => ({ scenario, profile }))
    .catch((error: Error) => {
      log(`could not profile ${h.label}: ${error.message}`);
      return undefined;
    });
}

/** Stops profiling `h` and keeps the profile under its scenario. */
async function endProfile(h: Hookhub): Promise<void> {
  const started = await h.profiling;
  h.profiling = undefined;
  if (!started) return;
  try {
    const profile = await started.profile.stop();
    const key = `${started.scenario}/${h.label}`;
    const entry = profileParts.get(key) ?? { scenario: started.scenario, process: h.label, parts: [] };
    entry.parts.push({ profile, fromUs: h.readyUs });
    profileParts.set(key, entry);
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(
      join(profileDir, `${started.scenario}-${h.label}-${entry.parts.length}.cpuprofile`),
      JSON.stringify(profile),
    );
  } catch (error) {
    log(`could not take the profile of ${h.label}: ${(error as Error).message}`);
  }
}

/** The moment from which the process's profile counts (see beginProfile). */
function markReady(h: Hookhub): void {
  h.readyUs = Number(process.hrtime.bigint() / 1000n);
}

/** One summary per scenario and process, in the order the scenarios ran. */
function scenarioProfiles(): ScenarioProfile[] {
  return [...profileParts.values()]
    .sort(
      (a, b) =>
        ALL_SCENARIOS.indexOf(a.scenario) - ALL_SCENARIOS.indexOf(b.scenario) || a.process.localeCompare(b.process),
    )
    .map(({ scenario, process: label, parts }) => ({
      scenario,
      process: label,
      summary: summarizeProfiles(`${scenario} ${label}`, parts, 10),
    }));
}

let samples = 0;

/** Every 250 ms: the RSS of each Hookhub process; every second: its connections. */
function sampleProcesses(): void {
  const scenario = currentScenario ?? 'start';
  const peaks = (rssPeaks[scenario] ??= {});
  const all = [...hookhubs.values()];
  for (const h of all) {
    const rss = memoryOf(h.child.pid)?.rssMb;
    if (rss !== undefined && !Number.isNaN(rss) && rss > (peaks[h.label] ?? 0)) peaks[h.label] = round(rss);
  }
  if (samples++ % 4 !== 0) return;
  const connections = connectionsOf(
    all.map((h) => h.child.pid),
    [PG_PORT, REDIS_PORT],
  );
  for (const h of all) {
    const c = connections.get(h.child.pid);
    if (!c) continue;
    const peak = (connectionPeaks[h.label] ??= { postgres: 0, redis: 0 });
    peak.postgres = Math.max(peak.postgres, c[PG_PORT]);
    peak.redis = Math.max(peak.redis, c[REDIS_PORT]);
  }
}

const workers = (): Hookhub[] => [...hookhubs.values()].filter((h) => h.role === 'worker');

/** The queues a worker process takes jobs from, learnt from the first worker (see bullWorkers). */
let queuesPerWorker = 0;

/**
 * The Bull workers taking jobs, by queue: Bull names each processing queue's blocking connection
 * `<prefix>:<base64 of the queue name>` (CLIENT SETNAME) once it processes, so CLIENT LIST tells how
 * many worker processes take jobs from each of Hookhub's queues.
 */
async function bullWorkers(): Promise<Map<string, number>> {
  const list = String(await redis!.client('LIST'));
  const byQueue = new Map<string, number>();
  for (const name of list.matchAll(/ name=(\S+)/g)) {
    if (name[1].startsWith(`${QUEUE_PREFIX}:`)) byQueue.set(name[1], (byQueue.get(name[1]) ?? 0) + 1);
  }
  return byQueue;
}

/** Starts `k` workers (none running) and waits until each of them takes jobs from every queue. */
async function startWorkers(k: number): Promise<void> {
  const started: Hookhub[] = [];
  for (let i = 1; i <= k; i++) started.push(startHookhub('worker', 0, i === 1 ? 'worker' : `worker-${i}`));
  await waitForWorkers(k);
  for (const h of started) markReady(h);
}

/** Exactly `k` workers running, restarted when another number runs. */
async function ensureWorkers(k: number): Promise<void> {
  if (workers().length === k) return;
  await stopWorkers();
  await startWorkers(k);
}

async function stopWorkers(): Promise<void> {
  await Promise.all(workers().map((h) => stopHookhub(h)));
}

async function waitForWorkers(k: number): Promise<void> {
  if (queuesPerWorker === 0) {
    await sleep(10_000); // no registration seen at start: give the processes time to boot
    return;
  }
  await waitFor(
    `${k} worker processes to take jobs`,
    async () => {
      const byQueue = await bullWorkers();
      return byQueue.size >= queuesPerWorker && [...byQueue.values()].every((n) => n >= k);
    },
    120_000,
    50,
  );
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

/** Starts a baseline script of bench/baselines and resolves with the first JSON line it prints. */
async function startBaseline<T>(
  name: string,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: Child; first: T }> {
  const child = startNode(name, [...TS_NODE, file], { ...process.env, ...env }, join(WORK_DIR, `${name}.log`));
  children.add(child);
  const first = await new Promise<T>((resolve, reject) => {
    let out = '';
    child.proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = /^\{.*\}$/m.exec(out);
      if (line) resolve(JSON.parse(line[0]) as T);
    });
    void child.exited.then(() => reject(new Error(`${name} exited; see ${child.log}`)));
  });
  return { child, first };
}

/** The naive ingest server (bench/baselines/naive-ingest.ts); `store: none` is the bound without PostgreSQL. */
async function startNaiveIngest(store: 'postgres' | 'none'): Promise<{ url: string; stop(): Promise<void> }> {
  const { child, first } = await startBaseline<{ port: number }>(
    store === 'none' ? 'naive-ingest-no-store' : 'naive-ingest',
    'bench/baselines/naive-ingest.ts',
    { DATABASE_URL: `${PG_SERVER}/${DB_NAME}`, PORT: '0', STORE: store },
  );
  return { url: `http://127.0.0.1:${first.port}/ingest`, stop: () => stopChild(child) };
}

/** The naive pipeline (bench/baselines/naive-pipeline.ts): its ingest server and its worker. */
async function startPipeline(
  secret: string,
  eventType: string,
): Promise<{ target: IngestTarget; stop(): Promise<void> }> {
  const env = {
    DATABASE_URL: `${PG_SERVER}/${DB_NAME}`,
    REDIS_URL,
    QUEUE_PREFIX: PIPELINE_PREFIX,
    SECRET: secret,
    PORT: '0',
    TARGET_URL: `${receiverUrl}/pipeline`,
    CONCURRENCY: String(SIZES.concurrency),
  };
  const ingest = await startBaseline<{ port: number }>('naive-pipeline-ingest', 'bench/baselines/naive-pipeline.ts', {
    ...env,
    ROLE: 'ingest',
  });
  const worker = await startBaseline<{ ready: boolean }>('naive-pipeline-worker', 'bench/baselines/naive-pipeline.ts', {
    ...env,
    ROLE: 'worker',
  });
  return {
    target: { origin: `http://127.0.0.1:${ingest.first.port}`, path: '/ingest', secret, eventType },
    stop: async () => {
      await stopChild(worker.child);
      await stopChild(ingest.child);
    },
  };
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

/** A tenant with a generic source and a subscription of `eventType` to the receiver: where paced events go. */
async function hookhubTarget(name: string, eventType: string): Promise<IngestTarget & { sourceId: string }> {
  const secret = `${name.replace(/\W+/g, '-')}-secret-${randomBytes(8).toString('hex')}`;
  const tenant = await createTenant(`bench ${name}`);
  const sourceId = await createSource(tenant, `bench ${name}`, secret);
  await subscribe(tenant, name, `${receiverUrl}/${name.replace(/\W+/g, '-')}`, [eventType]);
  return { origin: apiUrl, path: `/api/v1/ingest/${sourceId}`, secret, eventType, sourceId };
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

/** Signed generic ingest events with autocannon: the same generator for the baselines and Hookhub. */
async function ingestLoad(
  url: string,
  secret: string,
  seconds: number,
  tag: string,
  connections = SIZES.ingestConnections,
): Promise<HttpLoad> {
  let seq = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
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

/**
 * The same load spread over several servers (a load balancer's share each), all at once: requests
 * and rates add up; latency percentiles are the worst server's.
 */
async function ingestLoadSpread(urls: string[], secret: string, seconds: number, tag: string): Promise<HttpLoad> {
  const connections = Math.max(1, Math.round(SIZES.ingestConnections / urls.length));
  const loads = await Promise.all(urls.map((url, i) => ingestLoad(url, secret, seconds, `${tag}-${i}`, connections)));
  const sum = (pick: (l: HttpLoad) => number): number => loads.reduce((total, l) => total + pick(l), 0);
  const worst = (pick: (l: HttpLoad) => number): number => Math.max(...loads.map(pick));
  return {
    requests: sum((l) => l.requests),
    perSecond: round(
      sum((l) => l.perSecond),
      1,
    ),
    p50: worst((l) => l.p50),
    p90: worst((l) => l.p90),
    p99: worst((l) => l.p99),
    max: worst((l) => l.max),
    errors: sum((l) => l.errors),
    non2xx: sum((l) => l.non2xx),
    timeouts: sum((l) => l.timeouts),
    durationS: worst((l) => l.durationS),
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** What the targets table reads (see issueTargets). */
const figures: {
  ingest?: { hookhub: HttpLoad; naive: HttpLoad; noStore: HttpLoad; pipeline: HttpLoad };
  drain?: { perSecond: number; bare: number; raw: number; bullSend: number; durable: number };
  e2e?: { hookhub: PacedFigures; pipeline: PacedFigures };
  capacity?: { hookhub: Climb; pipeline: Climb };
  fanout?: { deliveredMs: number; rawMs: number };
} = {};

/** The naive ingest server under the ingest load, after a warm-up. */
async function measureNaiveIngest(store: 'postgres' | 'none', secret: string, seconds: number): Promise<HttpLoad> {
  const naive = await startNaiveIngest(store);
  try {
    await ingestLoad(naive.url, secret, SIZES.warmupSeconds, `naive-${store}-warm-${RUN_ID}`);
    return await ingestLoad(naive.url, secret, seconds, `naive-${store}-${RUN_ID}`);
  } finally {
    await naive.stop();
  }
}

/** The naive pipeline's ingest under the ingest load while its worker delivers what it accepts. */
async function measurePipelineIngest(
  receiver: ReceiverClient,
  secret: string,
  seconds: number,
): Promise<{ load: HttpLoad; delivered: number; deliveredSecondsAfterLoad: number }> {
  const pipeline = await startPipeline(secret, 'bench.ingest');
  try {
    const url = `${pipeline.target.origin}${pipeline.target.path}`;
    await receiver.reset();
    const warm = await ingestLoad(url, secret, SIZES.warmupSeconds, `pipe-warm-${RUN_ID}`);
    const load = await ingestLoad(url, secret, seconds, `pipe-${RUN_ID}`);
    const endedAt = nowMs();
    const accepted = warm.requests - warm.errors + load.requests - load.errors;
    const stats = await waitFor(
      `${accepted} pipeline deliveries`,
      async () => {
        const s = await receiver.stats();
        return s.count >= accepted ? s : undefined;
      },
      600_000,
      100,
    );
    return {
      load,
      delivered: stats.count,
      deliveredSecondsAfterLoad: round(((stats.lastAt ?? endedAt) - endedAt) / 1000),
    };
  } finally {
    await pipeline.stop();
  }
}

async function scenarioIngest(receiver: ReceiverClient): Promise<void> {
  const secret = `ingest-secret-${randomBytes(8).toString('hex')}`;
  const seconds = SIZES.ingestSeconds;

  log(`ingest baseline: naive ingest server, ${SIZES.ingestConnections} connections, ${seconds} s`);
  const naiveLoad = await measureNaiveIngest('postgres', secret, seconds);
  log(`  naive: ${naiveLoad.perSecond} req/s, p50 ${naiveLoad.p50} ms, p99 ${naiveLoad.p99} ms`);
  log('ingest bound: the naive server storing nothing (the ingest path without PostgreSQL)');
  const noStore = await measureNaiveIngest('none', secret, seconds);
  log(`  no store: ${noStore.perSecond} req/s, p50 ${noStore.p50} ms, p99 ${noStore.p99} ms`);
  log('ingest bound: the naive pipeline, its worker delivering what its ingest accepts');
  const pipelined = await measurePipelineIngest(receiver, secret, seconds);
  log(
    `  naive pipeline: ${pipelined.load.perSecond} req/s, p50 ${pipelined.load.p50} ms, p99 ${pipelined.load.p99} ms`,
  );

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
    await stopWorkers();
    alone = await ingestLoad(url, secret, seconds, `hh-alone-${RUN_ID}`);
    log(`  hookhub api alone: ${alone.perSecond} req/s, p50 ${alone.p50} ms, p99 ${alone.p99} ms`);
    await startWorkers(1);
    await waitForInboundBacklog(sourceId, 900_000);
  }

  figures.ingest = { hookhub: load, naive: naiveLoad, noStore, pipeline: pipelined.load };
  details.ingest = {
    naive: naiveLoad,
    naiveNoStore: noStore,
    naivePipeline: pipelined,
    hookhub: load,
    hookhubWorkerStopped: alone,
    storedInboundEvents: stored.n,
    backlog: { ...backlog, secondsAfterLoad: round((processedAt - loadEndedAt) / 1000, 1) },
  };
  ingestRows(load, naiveLoad, noStore, pipelined.load, alone, backlogRate);
}

/** A row of Hookhub's figure beside a baseline's (or a bound's), without a target unless given. */
function compareRow(
  scenario: string,
  figure: string,
  unit: string,
  hookhub: number | null,
  baseline: [number | null, string] | null,
  target: [string, boolean | null] = ['—', null],
): void {
  addRow({
    scenario,
    figure,
    unit,
    hookhub,
    baseline: baseline?.[0] ?? null,
    baselineName: baseline?.[1] ?? null,
    target: target[0],
    met: target[1],
  });
}

function ingestRows(
  load: HttpLoad,
  naive: HttpLoad,
  noStore: HttpLoad,
  pipeline: HttpLoad,
  alone: HttpLoad | null,
  backlogRate: number,
): void {
  const row = (
    figure: string,
    unit: string,
    hookhub: number | null,
    baseline: [number | null, string] | null,
    target?: [string, boolean | null],
  ): void => compareRow('ingest', figure, unit, hookhub, baseline, target);
  const NAIVE = 'naive ingest';
  const PIPELINE = 'naive pipeline, its worker delivering';
  const NO_STORE = 'naive server storing nothing';
  row(
    'requests/s',
    'req/s',
    load.perSecond,
    [naive.perSecond, NAIVE],
    ['≥ 1.0× naive ingest', load.perSecond >= naive.perSecond],
  );
  row('latency p50', 'ms', load.p50, [naive.p50, NAIVE]);
  row('latency p99', 'ms', load.p99, [naive.p99, NAIVE], ['≤ 25 ms', load.p99 <= 25]);
  addRow({
    scenario: 'ingest',
    figure: 'errors',
    unit: 'count',
    hookhub: load.errors,
    baseline: naive.errors,
    baselineName: NAIVE,
    ratio: null,
    target: '0',
    met: load.errors === 0,
  });
  row('requests/s beside a worker (bound)', 'req/s', load.perSecond, [pipeline.perSecond, PIPELINE]);
  row('latency p99 beside a worker (bound)', 'ms', load.p99, [pipeline.p99, PIPELINE]);
  row('requests/s without PostgreSQL (bound)', 'req/s', load.perSecond, [noStore.perSecond, NO_STORE]);
  row('latency p99 without PostgreSQL (bound)', 'ms', load.p99, [noStore.p99, NO_STORE]);
  if (alone) {
    row('requests/s, worker stopped (diagnostic)', 'req/s', alone.perSecond, [naive.perSecond, NAIVE]);
    row('latency p99, worker stopped (diagnostic)', 'ms', alone.p99, [naive.p99, NAIVE]);
  }
  row('inbound events processed/s (worker, load start → backlog empty)', '/s', round(backlogRate, 1), null);
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

/** Nothing left to do: the source's inbound events processed and no delivery waiting or being sent. */
async function waitForQuiet(sourceId: string): Promise<void> {
  await waitForInboundBacklog(sourceId, 900_000);
  await waitFor(
    'no delivery queued or being sent',
    async () => (await count(`SELECT count(*) AS n FROM deliveries WHERE status IN ('queued', 'sending')`, [])).n === 0,
    900_000,
    250,
  );
}

/** p50 / p95 / p99 of each stage an ingested event goes through, in ms (see stagesOf). */
interface Stages {
  /** Sent → its inbound event stored (the ingest answer's commit). */
  ingest: Spread;
  /** Stored → claimed by the worker (the inbound queue). */
  inboundWait: Spread;
  /** Claimed → processed (normalised, event and deliveries written). */
  inboundRun: Spread;
  /** Processed → the delivery recorded a success (the delivery queue, the send, the write). */
  delivery: Spread;
}

/**
 * Where the end-to-end latency of a paced window goes, from the rows' timestamps (PostgreSQL's
 * now(), the start of each writing transaction) and the `sent_at` of each body: one figure per
 * stage, for the inbound events of `sourceId` whose `sent_at` falls in the window.
 */
async function stagesOf(sourceId: string, f: PacedFigures): Promise<Stages> {
  const result = await db!.query<Record<keyof Stages, number[] | null> & { n: string }>(
    `WITH s AS (
       SELECT (i.payload->>'sent_at')::float8 AS sent,
              extract(epoch FROM i.created_at) * 1000 AS stored,
              extract(epoch FROM i.processing_started_at) * 1000 AS claimed,
              extract(epoch FROM i.processed_at) * 1000 AS processed,
              extract(epoch FROM d.completed_at) * 1000 AS completed
       FROM inbound_events i
       JOIN events e ON e.inbound_event_id = i.id
       JOIN deliveries d ON d.event_id = e.id
       WHERE i.source_id = $1 AND (i.payload->>'sent_at')::float8 BETWEEN $2 AND $3
     )
     SELECT count(*) AS n,
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY stored - sent) AS "ingest",
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY claimed - stored) AS "inboundWait",
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY processed - claimed) AS "inboundRun",
            percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY completed - processed) AS "delivery"
     FROM s`,
    [sourceId, f.sentFrom - 1, f.sentTo + 1],
  );
  const row = result.rows[0];
  const spread = (p: number[] | null): Spread => ({
    n: Number(row.n),
    p50: round(p?.[0] ?? NaN),
    p95: round(p?.[1] ?? NaN),
    p99: round(p?.[2] ?? NaN),
    max: NaN,
  });
  return {
    ingest: spread(row.ingest),
    inboundWait: spread(row.inboundWait),
    inboundRun: spread(row.inboundRun),
    delivery: spread(row.delivery),
  };
}

const STAGE_NAMES: Record<keyof Stages, string> = {
  ingest: 'sent → stored (ingest)',
  inboundWait: 'stored → claimed (inbound queue)',
  inboundRun: 'claimed → processed (inbound run)',
  delivery: 'processed → delivered and recorded (delivery queue, send, write)',
};

/** One row per stage, p50 / p95 / p99. */
function stageRows(scenario: string, label: string, stages: Stages): void {
  for (const [key, name] of Object.entries(STAGE_NAMES) as [keyof Stages, string][]) {
    addRow({
      scenario,
      figure: `${label}: ${name} (p50 / p95 / p99)`,
      unit: 'ms',
      hookhub: stages[key].p50,
      baseline: null,
      baselineName: null,
      target: '—',
      met: null,
      spread: { hookhub: stages[key], baseline: null },
    });
  }
}

/** `n` events published to one subscription with `POST /api/v1/events`, 16 connections. */
async function publishEvents(tenant: Tenant, eventType: string, n: number): Promise<HttpLoad> {
  let seq = 0;
  return summarizeLoad(
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
              event_type: eventType,
              data: { seq: seq++, amount: '1500.00', customer: { id: 'cus_4711', name: 'Jane Doe' } },
            }),
          }),
        },
      ],
    }),
  );
}

interface DrainRun {
  events: number;
  workers: number;
  /** Deliveries/s from the moment every worker takes jobs to all `success` in PostgreSQL. */
  perSecond: number;
  elapsedMs: number;
  /** From starting the workers until every one of them takes jobs, and what was delivered meanwhile. */
  workersReadyMs: number;
  deliveredBeforeReady: number;
  arrivals: number;
  duplicates: number;
  unsigned: number;
  failedOnTheWay: number;
  publish: HttpLoad;
}

/**
 * `n` events published to one new subscription while no worker runs, then `k` workers started:
 * deliveries/s from the moment all `k` take jobs until all `n` are `success` in PostgreSQL.
 */
async function drainOnce(receiver: ReceiverClient, n: number, k: number, name: string): Promise<DrainRun> {
  const tenant = await createTenant(`bench ${name}`);
  const webhookId = await subscribe(tenant, name, `${receiverUrl}/drain`, ['drain.item']);
  await stopWorkers();
  const published = await publishEvents(tenant, 'drain.item', n);
  const queued = await count(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1`, [webhookId]);
  log(`  published ${queued.n} deliveries at ${published.perSecond} events/s (${published.errors} errors)`);
  if (queued.n !== n) throw new Error(`${name}: ${queued.n} deliveries queued, expected ${n}`);

  await receiver.reset();
  const startedAt = nowMs();
  await startWorkers(k);
  const readyAt = nowMs();
  const before = (await receiver.stats()).count;
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
  const elapsed = done.at - readyAt;
  const run: DrainRun = {
    events: n,
    workers: k,
    perSecond: round(((n - before) / elapsed) * 1000, 1),
    elapsedMs: round(elapsed),
    workersReadyMs: round(readyAt - startedAt),
    deliveredBeforeReady: before,
    arrivals: stats.count,
    duplicates: stats.count - n,
    unsigned: stats.unsigned,
    failedOnTheWay: done.failedOnTheWay,
    publish: published,
  };
  log(`  ${k} worker(s): ${run.perSecond} deliveries/s (all ready → all success), ${stats.count} arrivals`);
  return run;
}

async function scenarioDrain(receiver: ReceiverClient): Promise<void> {
  const n = SIZES.drainEvents;
  const c = SIZES.concurrency;
  const bareEnv = { ...process.env, REDIS_URL, QUEUE_PREFIX: BARE_PREFIX, COUNT: String(n), CONCURRENCY: String(c) };

  log(`drain baseline: bare Bull queue, ${n} empty jobs, concurrency ${c}`);
  const bare = await runTsScript<{ perSecond: number; elapsedMs: number }>(
    'bench/baselines/bare-queue.ts',
    bareEnv,
    join(WORK_DIR, 'bare-queue.log'),
    600_000,
  );
  log(`  bare queue: ${round(bare.perSecond)} jobs/s`);

  log(`drain bound: raw signed undici POSTs, ${n} to the receiver, concurrency ${c}`);
  await receiver.reset();
  const raw = await runTsScript<{ perSecond: number; elapsedMs: number; errors: number }>(
    'bench/baselines/raw-send.ts',
    { ...process.env, URL: `${receiverUrl}/raw`, COUNT: String(n), CONCURRENCY: String(c) },
    join(WORK_DIR, 'raw-send.log'),
    600_000,
  );
  log(`  raw send: ${round(raw.perSecond)} POSTs/s, ${raw.errors} errors`);

  log(`drain bound: bare Bull queue whose jobs each send one signed POST, ${n} jobs`);
  const bullSend = await runTsScript<{ perSecond: number; elapsedMs: number }>(
    'bench/baselines/bare-queue.ts',
    { ...bareEnv, SEND_URL: `${receiverUrl}/bull-send` },
    join(WORK_DIR, 'bare-queue-send.log'),
    600_000,
  );
  log(`  bull + send: ${round(bullSend.perSecond)} jobs/s`);

  log(`drain bound: durable sends, ${n} deliveries claimed from PostgreSQL, sent, their attempts recorded`);
  await receiver.reset();
  const durable = await runTsScript<{ perSecond: number; elapsedMs: number; errors: number }>(
    'bench/baselines/durable-send.ts',
    {
      ...process.env,
      URL: `${receiverUrl}/durable`,
      DATABASE_URL: `${PG_SERVER}/${DB_NAME}`,
      COUNT: String(n),
      CONCURRENCY: String(c),
    },
    join(WORK_DIR, 'durable-send.log'),
    600_000,
  );
  log(`  durable send: ${round(durable.perSecond)} deliveries/s, ${durable.errors} errors`);

  log(`drain: ${n} events published to one subscription while the worker is stopped`);
  const hookhub = await drainOnce(receiver, n, 1, 'drain');

  figures.drain = {
    perSecond: hookhub.perSecond,
    bare: bare.perSecond,
    raw: raw.perSecond,
    bullSend: bullSend.perSecond,
    durable: durable.perSecond,
  };
  details.drain = { events: n, concurrency: c, bareQueue: bare, rawSend: raw, bullSend, durableSend: durable, hookhub };
  const row = (
    figure: string,
    unit: string,
    hookhubValue: number | null,
    baseline: [number | null, string] | null,
    target?: [string, boolean | null],
  ): void => compareRow('drain', figure, unit, hookhubValue, baseline, target);
  row(
    'deliveries/s until all success',
    '/s',
    hookhub.perSecond,
    [round(bare.perSecond, 1), 'bare queue jobs/s'],
    ['≥ 0.5× bare queue', hookhub.perSecond >= 0.5 * bare.perSecond],
  );
  row('deliveries/s against raw signed sends (bound)', '/s', hookhub.perSecond, [
    round(raw.perSecond, 1),
    'raw send POSTs/s',
  ]);
  row('deliveries/s against Bull jobs that each send (bound)', '/s', hookhub.perSecond, [
    round(bullSend.perSecond, 1),
    'bare queue + send jobs/s',
  ]);
  row('deliveries/s against durable sends (bound)', '/s', hookhub.perSecond, [
    round(durable.perSecond, 1),
    'durable send deliveries/s',
  ]);
  row('publishing POST /api/v1/events (16 connections)', 'events/s', hookhub.publish.perSecond, null);
}

/** The paced window of the naive pipeline (started for it, warmed up first), then stopped. */
async function pipelineWindows<T>(
  receiver: ReceiverClient,
  eventType: string,
  warmRate: number,
  measure: (target: IngestTarget) => Promise<T>,
): Promise<T> {
  const pipeline = await startPipeline(`pipeline-secret-${randomBytes(8).toString('hex')}`, eventType);
  try {
    await pacedWindow(pipeline.target, receiver, warmRate, SIZES.warmupSeconds, `pipe-warm-${eventType}-${RUN_ID}`);
    return await measure(pipeline.target);
  } finally {
    await pipeline.stop();
  }
}

async function scenarioE2e(receiver: ReceiverClient): Promise<void> {
  const rate = SIZES.e2eRate;
  const seconds = SIZES.e2eSeconds;
  log(`end to end baseline: the naive pipeline at ${rate} signed events/s for ${seconds} s`);
  const pipeline = await pipelineWindows(receiver, 'e2e.tick', rate, (target) =>
    pacedWindow(target, receiver, rate, seconds, `e2e-pipe-${RUN_ID}`),
  );
  log(`  naive pipeline: p50 ${pipeline.p50} ms, p99 ${pipeline.p99} ms, ${pipeline.delivered}/${pipeline.sent}`);

  log(`end to end: ${rate} signed events/s for ${seconds} s → ingest → worker → subscriber`);
  const target = await hookhubTarget('e2e', 'e2e.tick');
  const e2e = await pacedWindow(target, receiver, rate, seconds, `e2e-${RUN_ID}`);
  await waitForQuiet(target.sourceId);
  const stages = await stagesOf(target.sourceId, e2e);
  log(`  delivered ${e2e.delivered}/${e2e.sent}: p50 ${e2e.p50} ms, p99 ${e2e.p99} ms, max ${e2e.max} ms`);

  figures.e2e = { hookhub: e2e, pipeline };
  details.e2e = { hookhub: { ...e2e, stages }, naivePipeline: pipeline };
  const NAIVE = `naive pipeline at ${rate}/s`;
  const delivered = allDelivered(e2e);
  compareRow(
    'end to end',
    `ingest → subscriber p50 (${rate}/s)`,
    'ms',
    e2e.p50,
    [pipeline.p50, NAIVE],
    ['≤ 25 ms', e2e.p50 <= 25 && delivered],
  );
  compareRow(
    'end to end',
    `ingest → subscriber p99 (${rate}/s)`,
    'ms',
    e2e.p99,
    [pipeline.p99, NAIVE],
    ['≤ 150 ms', e2e.p99 <= 150 && delivered],
  );
  compareRow('end to end', 'ingest answer p99 (sender side)', 'ms', e2e.ingestHttp.p99, [
    pipeline.ingestHttp.p99,
    NAIVE,
  ]);
  stageRows('end to end', `${rate}/s`, stages);
  addRow({
    scenario: 'end to end',
    figure: 'delivered of sent',
    unit: 'count',
    hookhub: e2e.delivered,
    baseline: e2e.sent,
    baselineName: 'sent',
    target: 'all',
    met: delivered,
  });
}

async function scenarioCapacity(receiver: ReceiverClient): Promise<void> {
  const seconds = SIZES.capacitySeconds;
  const refinements = SIZES.capacityRefinements;
  const warmRate = Math.min(...CAPACITY_RATES);
  log(`capacity baseline: the naive pipeline, ${seconds} s at each of ${CAPACITY_RATES.join(', ')} events/s`);
  const pipeline = await pipelineWindows(receiver, 'capacity.tick', warmRate, (target) =>
    climb(
      CAPACITY_RATES,
      refinements,
      (rate) => pacedWindow(target, receiver, rate, seconds, `cap-pipe-${rate}-${RUN_ID}`),
      log,
    ),
  );
  log(`  naive pipeline: ${pipeline.capacity ?? 'no'} events/s held`);

  log(`capacity: Hookhub, ${seconds} s at each rate until one does not hold`);
  const target = await hookhubTarget('capacity', 'capacity.tick');
  await pacedWindow(target, receiver, warmRate, SIZES.warmupSeconds, `cap-warm-${RUN_ID}`);
  await waitForQuiet(target.sourceId);
  const hookhub = await climb(
    CAPACITY_RATES,
    refinements,
    async (rate) => {
      const step = await pacedWindow(target, receiver, rate, seconds, `cap-${rate}-${RUN_ID}`);
      await waitForQuiet(target.sourceId); // a window that did not hold leaves a backlog
      return { ...step, stages: await stagesOf(target.sourceId, step) };
    },
    log,
  );
  log(`  hookhub: ${hookhub.capacity ?? 'no'} events/s held`);

  figures.capacity = { hookhub, pipeline };
  details.capacity = { p99LimitMs: P99_LIMIT_MS, windowSeconds: seconds, hookhub, naivePipeline: pipeline };
  const held = (c: Climb): number | null => c.capacity;
  compareRow(
    'capacity',
    `highest paced rate with end-to-end p99 ≤ ${P99_LIMIT_MS} ms${hookhub.firstFailed === null ? ' (every rate held)' : ''}`,
    'events/s',
    held(hookhub),
    [held(pipeline), pipeline.firstFailed === null ? 'naive pipeline; every rate held' : 'naive pipeline'],
    ['≥ 2,000 events/s', (hookhub.capacity ?? 0) >= 2000],
  );
  const top = hookhub.steps.find((step) => step.rate === hookhub.capacity);
  if (top) stageRows('capacity', `at ${top.rate}/s, the highest that held`, top.stages);
  for (const step of hookhub.steps) {
    const same = pipeline.steps.find((s) => s.rate === step.rate);
    compareRow(
      'capacity',
      `at ${step.rate}/s: end-to-end p99 (${step.held ? 'held' : `did not hold: ${step.why}`})`,
      'ms',
      step.p99,
      same ? [same.p99, `naive pipeline${same.held ? '' : ', did not hold'}`] : null,
    );
  }
}

async function scenarioFanout(receiver: ReceiverClient): Promise<void> {
  const n = SIZES.fanoutSubscriptions;
  log(`fan-out baseline and bound: ${n} raw signed POSTs, concurrency ${SIZES.concurrency}`);
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
  figures.fanout = { deliveredMs: fanout.allDeliveredMs, rawMs: raw.elapsedMs };
  log(`  hookhub: all ${n} delivered ${fanout.allDeliveredMs} ms after the POST (success ${fanout.allSuccessMs} ms)`);
  addRow({
    scenario: 'fan-out',
    figure: `one event → ${n} subscriptions, all delivered`,
    unit: 'ms',
    hookhub: fanout.allDeliveredMs,
    baseline: round(raw.elapsedMs),
    baselineName: `raw send of ${n}`,
    target: '≤ 0.5 s',
    met: deliveredMs <= 500,
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

/** Ingest load on `apis` API processes at once (a load balancer's share each), one worker running. */
async function ingestOnApis(apis: string[], label: string): Promise<{ load: HttpLoad; inboundPerSecond: number }> {
  const secret = `scale-out-secret-${randomBytes(8).toString('hex')}`;
  const tenant = await createTenant(`bench scale-out ingest ${label}`);
  const sourceId = await createSource(tenant, `bench scale-out ingest ${label}`, secret);
  const urls = apis.map((origin) => `${origin}/api/v1/ingest/${sourceId}`);
  await ingestLoadSpread(urls, secret, SIZES.warmupSeconds, `so-warm-${label}-${RUN_ID}`);
  await waitForInboundBacklog(sourceId, 600_000);
  const startedAt = nowMs();
  const load = await ingestLoadSpread(urls, secret, SIZES.scaleOutIngestSeconds, `so-${label}-${RUN_ID}`);
  await waitForInboundBacklog(sourceId, 900_000);
  const inboundPerSecond = round((load.requests / (nowMs() - startedAt)) * 1000, 1);
  log(`  ${label}: ${load.perSecond} req/s, p99 ${load.p99} ms; inbound processed ${inboundPerSecond}/s`);
  return { load, inboundPerSecond };
}

/**
 * One API and two workers against one API and one worker, back to back on the same machine: the
 * drain, end to end at the end-to-end rate, and ingest on one API and on two.
 */
async function scenarioScaleOut(receiver: ReceiverClient): Promise<void> {
  const n = SIZES.scaleOutEvents;
  log(`scale-out: drain of ${n} events with one worker, then with two`);
  const drainOne = await drainOnce(receiver, n, 1, 'scale-out drain, one worker');
  const drainTwo = await drainOnce(receiver, n, 2, 'scale-out drain, two workers');

  const rate = SIZES.e2eRate;
  const seconds = SIZES.e2eSeconds;
  log(`scale-out: end to end at ${rate} events/s for ${seconds} s with one worker, then with two`);
  const target = await hookhubTarget('scale-out', 'scale.tick');
  await ensureWorkers(1);
  const e2eOne = await pacedWindow(target, receiver, rate, seconds, `so-e2e-1-${RUN_ID}`);
  await waitForQuiet(target.sourceId);
  log(`  one worker: p50 ${e2eOne.p50} ms, p99 ${e2eOne.p99} ms, ${e2eOne.deliveredPerSecond} delivered/s`);
  await ensureWorkers(2);
  const e2eTwo = await pacedWindow(target, receiver, rate, seconds, `so-e2e-2-${RUN_ID}`);
  await waitForQuiet(target.sourceId);
  log(`  two workers: p50 ${e2eTwo.p50} ms, p99 ${e2eTwo.p99} ms, ${e2eTwo.deliveredPerSecond} delivered/s`);

  log(`scale-out: ingest on one API, then on two (one worker), ${SIZES.ingestConnections} connections in all`);
  await ensureWorkers(1);
  const ingestOne = await ingestOnApis([apiUrl], 'one API');
  const port = await freePort();
  const second = startHookhub('api', port, 'api-2');
  let ingestTwo: Awaited<ReturnType<typeof ingestOnApis>>;
  try {
    await waitFor(
      'the second API',
      async () => (await call(`http://127.0.0.1:${port}/health`, 'GET')).status === 200,
      120_000,
      250,
    );
    markReady(second);
    ingestTwo = await ingestOnApis([apiUrl, `http://127.0.0.1:${port}`], 'two APIs');
  } finally {
    await stopHookhub(second);
  }

  details['scale-out'] = {
    drain: { oneWorker: drainOne, twoWorkers: drainTwo },
    endToEnd: {
      rate,
      seconds,
      oneWorker: { ...e2eOne, stages: await stagesOf(target.sourceId, e2eOne) },
      twoWorkers: { ...e2eTwo, stages: await stagesOf(target.sourceId, e2eTwo) },
    },
    ingest: { oneApi: ingestOne, twoApis: ingestTwo },
  };
  const row = (figure: string, unit: string, two: number, one: number, oneName: string): void =>
    compareRow('scale-out', figure, unit, two, [one, oneName]);
  row('drain deliveries/s, two workers', '/s', drainTwo.perSecond, drainOne.perSecond, 'one worker');
  row(`end to end p50 (${rate}/s), two workers`, 'ms', e2eTwo.p50, e2eOne.p50, 'one worker');
  row(`end to end p99 (${rate}/s), two workers`, 'ms', e2eTwo.p99, e2eOne.p99, 'one worker');
  row('end to end delivered/s, two workers', '/s', e2eTwo.deliveredPerSecond, e2eOne.deliveredPerSecond, 'one worker');
  row(
    'ingest requests/s, two APIs (one worker)',
    'req/s',
    ingestTwo.load.perSecond,
    ingestOne.load.perSecond,
    'one API',
  );
  row('ingest latency p99, two APIs (one worker)', 'ms', ingestTwo.load.p99, ingestOne.load.p99, 'one API');
  row(
    'inbound events processed/s, two APIs (one worker)',
    '/s',
    ingestTwo.inboundPerSecond,
    ingestOne.inboundPerSecond,
    'one API',
  );
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
// Machine, targets

async function machine(): Promise<Record<string, unknown>> {
  const pg = await db!.query<{ server_version: string }>('SHOW server_version');
  const redisVersion = /redis_version:(\S+)/.exec(await redis!.info('server'))?.[1] ?? 'unknown';
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

/** The peak RSS of each Hookhub process over the run, and the scenario it was reached in. */
function memoryRows(): void {
  const peaks = new Map<string, { mb: number; scenario: string }>();
  for (const [scenario, byProcess] of Object.entries(rssPeaks)) {
    for (const [label, mb] of Object.entries(byProcess)) {
      if (mb > (peaks.get(label)?.mb ?? 0)) peaks.set(label, { mb, scenario });
    }
  }
  for (const [label, peak] of peaks) {
    addRow({
      scenario: 'memory',
      figure: `peak RSS over the run, ${label} (in ${peak.scenario})`,
      unit: 'MiB',
      hookhub: peak.mb,
      baseline: null,
      baselineName: null,
      target: '≤ 350 MB',
      met: peak.mb * 1.048576 <= 350,
    });
    const scenario = ALL_SCENARIOS.find((sc) => sc === peak.scenario);
    if (scenario) rows[rows.length - 1].scenarioId = scenario;
  }
}

const x = (value: number, of: number): string => `${(value / of).toFixed(2)}×`;

/** Where this run leaves each throughput target of issue #12 (item 5), with the bound measured beside it. */
function issueTargets(): TargetRow[] {
  const targets: TargetRow[] = [];
  /** `boundMisses`: a bound of the same run that does strictly less than Hookhub misses the target too. */
  const add = (t: Omit<TargetRow, 'status'>, met: boolean, boundMisses: boolean): void => {
    targets.push({ ...t, status: met ? 'met' : boundMisses ? 'bound' : 'not met' });
  };
  const { ingest, drain, e2e, capacity, fanout } = figures;
  if (ingest) {
    const { hookhub: h, naive, noStore, pipeline } = ingest;
    add(
      {
        target: 'ingest ≥ 1.0× naive ingest (worker running)',
        measured: fmt(h.perSecond, 'req/s'),
        baseline: `${fmt(naive.perSecond, 'req/s')} (naive ingest)`,
        ratio: round(h.perSecond / naive.perSecond, 2),
        bound: `naive pipeline with its worker delivering: ${fmt(pipeline.perSecond, 'req/s')} (${x(pipeline.perSecond, naive.perSecond)} naive)`,
      },
      h.perSecond >= naive.perSecond,
      pipeline.perSecond < naive.perSecond,
    );
    add(
      {
        target: 'ingest p99 ≤ 25 ms (64 connections)',
        measured: fmt(h.p99, 'ms'),
        baseline: `${fmt(naive.p99, 'ms')} (naive ingest)`,
        ratio: naive.p99 > 0 ? round(h.p99 / naive.p99, 2) : null,
        bound: `naive ingest ${fmt(naive.p99, 'ms')}; naive pipeline with its worker ${fmt(pipeline.p99, 'ms')}; no PostgreSQL ${fmt(noStore.p99, 'ms')}`,
      },
      h.p99 <= 25,
      naive.p99 > 25,
    );
  }
  if (drain) {
    const reach = 0.5 * drain.bare;
    add(
      {
        target: 'drain ≥ 0.5× bare Bull',
        measured: fmt(drain.perSecond, 'deliveries/s'),
        baseline: `${fmt(drain.bare, 'jobs/s')} (bare Bull)`,
        ratio: round(drain.perSecond / drain.bare, 2),
        bound: `durable sends ${fmt(drain.durable, '/s')} (${x(drain.durable, drain.bare)}); raw signed sends alone ${fmt(drain.raw, '/s')} (${x(drain.raw, drain.bare)}); Bull jobs that each send ${fmt(drain.bullSend, '/s')} (${x(drain.bullSend, drain.bare)})`,
      },
      drain.perSecond >= reach,
      // the bounds doing strictly less per delivery than Hookhub decide; Bull jobs that each send do
      // not (a Hookhub job may carry several deliveries), so they are shown only
      drain.durable < reach || drain.raw < reach,
    );
  }
  if (e2e) {
    const { hookhub: h, pipeline: p } = e2e;
    const delivered = allDelivered(h);
    for (const [name, limit, pick] of [
      ['p50', 25, (f: PacedFigures) => f.p50],
      ['p99', 150, (f: PacedFigures) => f.p99],
    ] as const) {
      add(
        {
          target: `end to end at ${SIZES.e2eRate}/s: ${name} ≤ ${limit} ms`,
          measured: fmt(pick(h), 'ms'),
          baseline: `${fmt(pick(p), 'ms')} (naive pipeline)`,
          ratio: pick(p) > 0 ? round(pick(h) / pick(p), 2) : null,
          bound: `naive pipeline ${fmt(pick(p), 'ms')}`,
        },
        pick(h) <= limit && delivered,
        pick(p) > limit,
      );
    }
  }
  if (capacity) {
    const { hookhub: h, pipeline: p } = capacity;
    const shown = (c: Climb): string =>
      c.capacity === null ? 'none held' : `${c.firstFailed === null ? '≥ ' : ''}${c.capacity} events/s`;
    add(
      {
        target: `capacity (highest paced rate with end-to-end p99 ≤ 1 s) ≥ 2,000 events/s`,
        measured: shown(h),
        baseline: `${shown(p)} (naive pipeline)`,
        ratio: h.capacity !== null && p.capacity ? round(h.capacity / p.capacity, 2) : null,
        bound: `naive pipeline ${shown(p)}`,
      },
      (h.capacity ?? 0) >= 2000,
      p.firstFailed !== null && (p.capacity ?? 0) < 2000,
    );
  }
  if (fanout) {
    add(
      {
        target: 'fan-out of one event to 1,000 subscriptions ≤ 0.5 s',
        measured: fmt(fanout.deliveredMs, 'ms'),
        baseline: `${fmt(fanout.rawMs, 'ms')} (raw signed sends of as many)`,
        ratio: round(fanout.deliveredMs / fanout.rawMs, 2),
        bound: `raw signed sends ${fmt(fanout.rawMs, 'ms')}`,
      },
      fanout.deliveredMs <= 500,
      fanout.rawMs > 500,
    );
  }
  const memory = rows.filter((r) => r.scenario === 'memory');
  if (memory.length > 0) {
    const worst = memory.reduce((a, b) => ((b.hookhub ?? 0) > (a.hookhub ?? 0) ? b : a));
    add(
      {
        target: 'RSS ≤ 350 MB per process',
        measured: `${fmt(worst.hookhub, 'MiB')} (${worst.figure.replace('peak RSS over the run, ', '')})`,
        baseline: '—',
        ratio: null,
        bound: '—',
      },
      memory.every((r) => r.met === true),
      false,
    );
  }
  return targets;
}

// ---------------------------------------------------------------------------------------------
// Main

let cleaning: Promise<void> | undefined;

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c).catch(() => undefined)));
    await db?.end().catch(() => undefined);
    redis?.disconnect();
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
    const keys = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await keys.connect();
      for (const prefix of [QUEUE_PREFIX, BARE_PREFIX, PIPELINE_PREFIX]) {
        let cursor = '0';
        do {
          const [next, found] = await keys.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (found.length > 0) await keys.del(...found);
        } while (cursor !== '0');
      }
    } catch (error) {
      log(`could not clear the Redis keys of ${QUEUE_PREFIX}: ${(error as Error).message}`);
    } finally {
      keys.disconnect();
    }
  })();
  return cleaning;
}

/** Starts the receiver, the API and one worker, and sees one event through to the receiver. */
async function startHookhubStack(): Promise<ReceiverClient> {
  const receiver = await startReceiver();
  const apiPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  log(`starting Hookhub: api on ${apiUrl}, one worker; database ${DB_NAME}, queue prefix ${QUEUE_PREFIX}`);
  startHookhub('api', apiPort);
  await waitFor(
    'the API to answer /health',
    async () => (await call(`${apiUrl}/health`, 'GET')).status === 200,
    120_000,
    250,
  );
  startHookhub('worker', 0);
  db = new Client({ connectionString: `${PG_SERVER}/${DB_NAME}` });
  await db.connect();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

  // the worker is ready once a published event comes through to the receiver
  const warm = await createTenant('bench warm-up');
  await subscribe(warm, 'warm-up', `${receiverUrl}/warmup`, ['bench.warmup']);
  await receiver.reset();
  await callData(`${apiUrl}/api/v1/events`, 'POST', warm.auth, { event_type: 'bench.warmup', data: {} }, 202);
  await waitFor('the worker to deliver a warm-up event', async () => (await receiver.stats()).count > 0, 120_000, 100);
  queuesPerWorker = (await bullWorkers()).size;
  if (queuesPerWorker === 0) log('no Bull worker registration seen in CLIENT LIST: workers get 10 s to start instead');
  log('Hookhub is up');
  return receiver;
}

async function runScenarios(receiver: ReceiverClient): Promise<void> {
  const run: Record<Scenario, () => Promise<void>> = {
    ingest: () => scenarioIngest(receiver),
    drain: () => scenarioDrain(receiver),
    e2e: () => scenarioE2e(receiver),
    capacity: () => scenarioCapacity(receiver),
    fanout: () => scenarioFanout(receiver),
    'scale-out': () => scenarioScaleOut(receiver),
    logs: () => scenarioLogs(),
  };
  for (const scenario of ALL_SCENARIOS.filter((s) => SCENARIOS.includes(s))) {
    currentScenario = scenario;
    profiledScenario = scenario;
    for (const h of hookhubs.values()) beginProfile(h);
    const began = nowMs();
    await run[scenario]();
    await Promise.all([...hookhubs.values()].map((h) => endProfile(h)));
    profiledScenario = undefined;
    log(
      `${scenario} took ${round((nowMs() - began) / 1000)} s; load average ${os
        .loadavg()
        .map((l) => round(l, 2))
        .join(', ')}`,
    );
  }
  currentScenario = undefined;
}

async function main(): Promise<void> {
  const began = nowMs();
  log(`run ${RUN_ID}: scale ${SCALE}, scenarios ${SCENARIOS.join(', ')}; logs in ${WORK_DIR}`);
  if (process.env.BENCH_SKIP_BUILD !== 'true') {
    log('npm run build');
    execSync('npm run build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const sampler = setInterval(sampleProcesses, 250);
  const receiver = await startHookhubStack();
  const machineInfo = await machine();
  const foreign = new ForeignCpu(db!, DB_NAME, () => currentScenario ?? 'between scenarios');
  foreign.start();
  let foreignCpu: ReturnType<ForeignCpu['stop']>;
  try {
    await runScenarios(receiver);
  } finally {
    clearInterval(sampler);
    foreignCpu = foreign.stop();
  }

  memoryRows();
  const targets = issueTargets();
  const profiles = scenarioProfiles();
  printTables(rows, targets);
  if (profiles.length > 0) log(`CPU profiles (.cpuprofile, for Chrome DevTools) in ${profileDir}`);
  const result: RunResult = {
    runId: RUN_ID,
    finishedAt: new Date().toISOString(),
    durationSeconds: round((nowMs() - began) / 1000, 0),
    scale: SCALE,
    scenarios: ALL_SCENARIOS.filter((s) => SCENARIOS.includes(s)),
    sizes: SIZES,
    machine: { ...machineInfo, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
    targets,
    rows,
    details: { ...details, peakRssMbByScenario: rssPeaks, peakConnections: connectionPeaks, foreignCpu },
    ...(profiles.length > 0 ? { profiles } : {}),
  };
  if (WRITE) {
    writeOutputs(
      result,
      ALL_SCENARIOS.filter((s) => !SCENARIOS.includes(s)),
      log,
    );
  } else {
    writeScratch(result, WORK_DIR, log);
  }
  const missed = rows.filter((r) => r.met === false);
  log(
    `done in ${result.durationSeconds} s; ${missed.length === 0 ? 'every target met' : `${missed.length} targets missed`}`,
  );
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
    if (rows.length > 0) printTables(rows, []);
    if (receiverChild) process.stderr.write(`process logs in ${WORK_DIR}\n`);
  })
  .finally(() => {
    void cleanup().then(() => {
      clearTimeout(timer);
      process.exit(exitCode);
    });
  });
