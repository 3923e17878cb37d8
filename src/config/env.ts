import { createHash } from 'node:crypto';
import { parseDuration, parseDurationList } from '../common/duration';

export type AppRole = 'api' | 'worker' | 'all';
export type NodeEnv = 'development' | 'production' | 'test';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every setting Hookhub reads, parsed and validated once at start-up (docs/api.md). */
export interface AppConfig {
  nodeEnv: NodeEnv;
  role: AppRole;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  adminApiKey: string | undefined;
  encryptionKey: Buffer;
  /** True when ENCRYPTION_KEY was not set and a fixed development key is in use. */
  encryptionKeyIsDevelopment: boolean;
  allowHttpUrls: boolean;
  allowPrivateUrls: boolean;
  deliveryRetrySchedule: number[];
  inboundRetrySchedule: number[];
  notificationRetrySchedule: number[];
  disableAfterFailures: number;
  disableAfterMs: number;
  maxBodyBytes: number;
  retentionDays: number;
  telegramApiUrl: string;
  whatsappApiUrl: string;
  logLevel: LogLevel;
  /** How often workers look for due work that no queued job holds (after a Redis loss or a crash). */
  sweepIntervalMs: number;
  /** Deliveries one worker process sends at once. */
  deliveryConcurrency: number;
  /** Inbound events one worker process processes at once. */
  inboundConcurrency: number;
  /** Hookhub's public base URL, for the ingest_url of sources; the request's host when unset. */
  publicUrl: string | undefined;
  /** Largest rendered delivery body; a larger one is not sent and its delivery is dead. */
  maxDeliveryBodyBytes: number;
  /** Failed verifications one source takes per minute before its route answers 429. */
  verifyFailureLimit: number;
  /** Browser origins allowed to call the API cross-origin (exact `scheme://host[:port]`); empty: none. */
  corsOrigins: string[];
  /** Port of the worker role's /metrics and /health server; 0 takes any free port. */
  metricsPort: number;
  /** Trace export over OTLP/HTTP; null (the default) starts no tracing at all. */
  tracing: TracingConfig | null;
  /** How far V8's old generation may grow past its live size between full collections, in per cent; 0: V8's own sizing. */
  heapGrowingPercent: number;
}

/** Where and how spans are exported (docs/observability.md). */
export interface TracingConfig {
  /** The full OTLP/HTTP traces URL, e.g. `http://collector:4318/v1/traces`. */
  tracesUrl: string;
  /** `service.name` of every span. */
  serviceName: string;
  /** Share of traces kept, 0 to 1, decided by trace id so that every process keeps the same ones. */
  sampleRatio: number;
}

export type Env = Record<string, string | undefined>;

/** Thrown when one or more variables hold bad values; `message` has one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; expected: string; got: string }[]) {
    super(problems.map((p) => `${p.variable} must be ${p.expected} (got "${p.got}")`).join('\n'));
    this.name = 'ConfigError';
  }
}

const SIZE = /^(\d+)(b|kb|mb)?$/i;
const SIZE_UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

class Reader {
  readonly problems: ConstructorParameters<typeof ConfigError>[0] = [];

  constructor(private readonly env: Env) {}

  /** The raw value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  private parse<T>(name: string, fallback: T, expected: string, parse: (raw: string) => T | undefined): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = parse(raw);
    if (value === undefined) {
      this.problems.push({ variable: name, expected, got: raw });
      return fallback;
    }
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    return this.parse(name, fallback, `an integer from ${min} to ${max}`, (raw) => {
      if (!/^\d+$/.test(raw)) return undefined;
      const n = Number(raw);
      return n >= min && n <= max ? n : undefined;
    });
  }

  bool(name: string, fallback: boolean): boolean {
    return this.parse(name, fallback, 'true or false', (raw) => {
      const v = raw.toLowerCase();
      if (['true', '1', 'yes'].includes(v)) return true;
      if (['false', '0', 'no'].includes(v)) return false;
      return undefined;
    });
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    return this.parse(name, fallback, `one of ${allowed.join(', ')}`, (raw) =>
      (allowed as readonly string[]).includes(raw) ? (raw as T) : undefined,
    );
  }

  url(name: string, fallback: string, protocols: string[]): string {
    return this.parse(name, fallback, `a URL with scheme ${protocols.join(' or ')}`, (raw) => {
      try {
        return protocols.includes(new URL(raw).protocol.replace(':', '')) ? raw.replace(/\/+$/, '') : undefined;
      } catch {
        return undefined;
      }
    });
  }

  duration(name: string, fallback: number): number {
    return this.parse(name, fallback, 'a duration such as 500ms, 5s, 5m, 2h or 5d', parseDuration);
  }

  durations(name: string, fallback: number[]): number[] {
    return this.parse(name, fallback, 'a comma-separated list of durations such as 5s,5m,2h', parseDurationList);
  }

  size(name: string, fallback: number): number {
    return this.parse(name, fallback, 'a size in bytes such as 1048576, 512kb or 1mb', (raw) => {
      const match = SIZE.exec(raw);
      if (!match) return undefined;
      const bytes = Number(match[1]) * SIZE_UNIT[(match[2] ?? 'b').toLowerCase()];
      return bytes >= 1024 && bytes <= 64 * 1024 * 1024 ? bytes : undefined;
    });
  }

  /** A comma-separated list of http(s) origins, each normalised as browsers send it in `Origin`. */
  origins(name: string): string[] {
    return this.parse(name, [], 'a comma-separated list of origins such as https://app.example.com', parseOrigins);
  }

  /** A number from 0 to 1, such as 0.25. */
  ratio(name: string, fallback: number): number {
    return this.parse(name, fallback, 'a number from 0 to 1 such as 0.25', (raw) => {
      if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(raw)) return undefined;
      return Number(raw);
    });
  }

  pattern(name: string, fallback: string, regex: RegExp, expected: string): string {
    return this.parse(name, fallback, expected, (raw) => (regex.test(raw) ? raw : undefined));
  }

  encryptionKey(nodeEnv: NodeEnv): { key: Buffer; development: boolean } {
    const raw = this.raw('ENCRYPTION_KEY');
    const expected = '32 bytes as 64 hex characters or base64 (openssl rand -base64 32)';
    if (raw === undefined) {
      if (nodeEnv === 'production') {
        this.problems.push({
          variable: 'ENCRYPTION_KEY',
          expected: `set when NODE_ENV=production: ${expected}`,
          got: '',
        });
      }
      return { key: createHash('sha256').update('hookhub-development-key').digest(), development: true };
    }
    const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32) this.problems.push({ variable: 'ENCRYPTION_KEY', expected, got: '<hidden>' });
    return { key, development: false };
  }
}

/**
 * One origin as a browser sends it: `http` or `https`, a host, an optional port, nothing else (a
 * trailing `/` is dropped); the host is lower-cased and a default port left out, like `Origin`.
 */
export function parseOrigin(raw: string): string | undefined {
  const text = raw.replace(/\/$/, '');
  if (!/^https?:\/\/[^/?#@*\s]+$/i.test(text)) return undefined; // no path, query, credentials or wildcard
  try {
    const url = new URL(text);
    return url.hostname === '' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** `CORS_ORIGINS`: origins separated by commas (spaces around them allowed), no empty item. */
export function parseOrigins(raw: string): string[] | undefined {
  const origins = raw.split(',').map((item) => parseOrigin(item.trim()));
  return origins.every((origin): origin is string => origin !== undefined) ? [...new Set(origins)] : undefined;
}

export const DEFAULTS = {
  PORT: 3000,
  DATABASE_URL: 'postgres://root@127.0.0.1:5432/hookhub',
  REDIS_URL: 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: 'hookhub',
  DELIVERY_RETRY_SCHEDULE: '5s,5m,30m,2h,5h,10h,10h',
  INBOUND_RETRY_SCHEDULE: '5m,10m,20m,40m,60m',
  NOTIFICATION_RETRY_SCHEDULE: '5s,30s,2m,10m',
  DISABLE_AFTER_FAILURES: 50,
  DISABLE_AFTER: '5d',
  MAX_BODY_BYTES: 1024 * 1024,
  RETENTION_DAYS: 30,
  TELEGRAM_API_URL: 'https://api.telegram.org',
  WHATSAPP_API_URL: 'https://graph.facebook.com/v21.0',
  LOG_LEVEL: 'info',
  SWEEP_INTERVAL: '5s',
  DELIVERY_CONCURRENCY: 50,
  INBOUND_CONCURRENCY: 50,
  MAX_DELIVERY_BODY_BYTES: 5 * 1024 * 1024,
  VERIFY_FAILURE_LIMIT: 60,
  METRICS_PORT: 9464,
  OTEL_SERVICE_NAME: 'hookhub',
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  HEAP_GROWING_PERCENT: 50,
} as const;

/** Parses and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env): AppConfig {
  const r = new Reader(env);
  const nodeEnv = r.oneOf<NodeEnv>('NODE_ENV', 'development', ['development', 'production', 'test']);
  const encryption = r.encryptionKey(nodeEnv);
  const config: AppConfig = {
    nodeEnv,
    role: r.oneOf<AppRole>('APP_ROLE', 'all', ['api', 'worker', 'all']),
    port: r.int('PORT', DEFAULTS.PORT, 0, 65535),
    databaseUrl: r.url('DATABASE_URL', DEFAULTS.DATABASE_URL, ['postgres', 'postgresql']),
    redisUrl: r.url('REDIS_URL', DEFAULTS.REDIS_URL, ['redis', 'rediss']),
    queuePrefix: r.pattern(
      'QUEUE_PREFIX',
      DEFAULTS.QUEUE_PREFIX,
      /^[A-Za-z0-9_.:-]{1,64}$/,
      'letters, digits, or _ . : - (1 to 64 characters)',
    ),
    adminApiKey: r.raw('ADMIN_API_KEY'),
    encryptionKey: encryption.key,
    encryptionKeyIsDevelopment: encryption.development,
    allowHttpUrls: r.bool('ALLOW_HTTP_URLS', false),
    allowPrivateUrls: r.bool('ALLOW_PRIVATE_URLS', false),
    deliveryRetrySchedule: r.durations('DELIVERY_RETRY_SCHEDULE', parseDurationList(DEFAULTS.DELIVERY_RETRY_SCHEDULE)!),
    inboundRetrySchedule: r.durations('INBOUND_RETRY_SCHEDULE', parseDurationList(DEFAULTS.INBOUND_RETRY_SCHEDULE)!),
    notificationRetrySchedule: r.durations(
      'NOTIFICATION_RETRY_SCHEDULE',
      parseDurationList(DEFAULTS.NOTIFICATION_RETRY_SCHEDULE)!,
    ),
    disableAfterFailures: r.int('DISABLE_AFTER_FAILURES', DEFAULTS.DISABLE_AFTER_FAILURES, 1, 1_000_000),
    disableAfterMs: r.duration('DISABLE_AFTER', parseDuration(DEFAULTS.DISABLE_AFTER)!),
    maxBodyBytes: r.size('MAX_BODY_BYTES', DEFAULTS.MAX_BODY_BYTES),
    retentionDays: r.int('RETENTION_DAYS', DEFAULTS.RETENTION_DAYS, 1, 3650),
    telegramApiUrl: r.url('TELEGRAM_API_URL', DEFAULTS.TELEGRAM_API_URL, ['http', 'https']),
    whatsappApiUrl: r.url('WHATSAPP_API_URL', DEFAULTS.WHATSAPP_API_URL, ['http', 'https']),
    logLevel: r.oneOf<LogLevel>('LOG_LEVEL', DEFAULTS.LOG_LEVEL, LOG_LEVELS),
    sweepIntervalMs: r.duration('SWEEP_INTERVAL', parseDuration(DEFAULTS.SWEEP_INTERVAL)!),
    deliveryConcurrency: r.int('DELIVERY_CONCURRENCY', DEFAULTS.DELIVERY_CONCURRENCY, 1, 1000),
    inboundConcurrency: r.int('INBOUND_CONCURRENCY', DEFAULTS.INBOUND_CONCURRENCY, 1, 1000),
    publicUrl: r.raw('PUBLIC_URL') === undefined ? undefined : r.url('PUBLIC_URL', '', ['http', 'https']),
    maxDeliveryBodyBytes: r.size('MAX_DELIVERY_BODY_BYTES', DEFAULTS.MAX_DELIVERY_BODY_BYTES),
    verifyFailureLimit: r.int('VERIFY_FAILURE_LIMIT', DEFAULTS.VERIFY_FAILURE_LIMIT, 1, 1_000_000),
    corsOrigins: r.origins('CORS_ORIGINS'),
    metricsPort: r.int('METRICS_PORT', DEFAULTS.METRICS_PORT, 0, 65535),
    tracing: tracingConfig(r),
    heapGrowingPercent: r.int('HEAP_GROWING_PERCENT', DEFAULTS.HEAP_GROWING_PERCENT, 0, 1000),
  };
  if (config.adminApiKey !== undefined && config.adminApiKey.length < 16) {
    r.problems.push({ variable: 'ADMIN_API_KEY', expected: 'at least 16 characters', got: '<hidden>' });
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** The standard OpenTelemetry sampler names; Hookhub decides by trace id alone, so `parentbased_` changes nothing. */
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * Tracing is on when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full traces URL) or
 * OTEL_EXPORTER_OTLP_ENDPOINT (a base URL; `/v1/traces` is added) is set, and OTEL_SDK_DISABLED is not true.
 */
function tracingConfig(r: Reader): TracingConfig | null {
  const base = r.raw('OTEL_EXPORTER_OTLP_ENDPOINT') && r.url('OTEL_EXPORTER_OTLP_ENDPOINT', '', ['http', 'https']);
  const full =
    r.raw('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') && r.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '', ['http', 'https']);
  const serviceName = r.pattern(
    'OTEL_SERVICE_NAME',
    DEFAULTS.OTEL_SERVICE_NAME,
    /^[^\s,=]{1,255}$/,
    'a name without spaces, commas or = (1 to 255 characters)',
  );
  const sampler = r.oneOf('OTEL_TRACES_SAMPLER', DEFAULTS.OTEL_TRACES_SAMPLER, SAMPLERS);
  const ratio = r.ratio('OTEL_TRACES_SAMPLER_ARG', 1);
  const disabled = r.bool('OTEL_SDK_DISABLED', false);
  const tracesUrl = full || (base ? `${base}/v1/traces` : '');
  if (disabled || !tracesUrl) return null;
  const sampleRatio = sampler.endsWith('always_on') ? 1 : sampler.endsWith('always_off') ? 0 : ratio;
  return { tracesUrl, serviceName, sampleRatio };
}
