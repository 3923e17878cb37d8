import { ConfigError, DEFAULTS, loadConfig, parseOrigin } from './env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the contract defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      role: 'all',
      port: 3000,
      databaseUrl: 'postgres://root@127.0.0.1:5432/hookhub',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'hookhub',
      adminApiKey: undefined,
      allowHttpUrls: false,
      allowPrivateUrls: false,
      deliveryRetrySchedule: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      inboundRetrySchedule: [300_000, 600_000, 1_200_000, 2_400_000, 3_600_000],
      notificationRetrySchedule: [5_000, 30_000, 120_000, 600_000],
      disableAfterFailures: 50,
      disableAfterMs: 5 * 86_400_000,
      maxBodyBytes: 1_048_576,
      maxDeliveryBodyBytes: 5 * 1_048_576,
      verifyFailureLimit: 60,
      retentionDays: 30,
      telegramApiUrl: DEFAULTS.TELEGRAM_API_URL,
      logLevel: 'info',
      encryptionKeyIsDevelopment: true,
      corsOrigins: [],
      deliveryConcurrency: 50,
      inboundConcurrency: 50,
      heapGrowingPercent: 50,
    });
    expect(config.encryptionKey).toHaveLength(32);
  });

  it('reads the delivery body cap and the verification failure limit, and refuses bad ones', () => {
    expect(loadConfig({ MAX_DELIVERY_BODY_BYTES: '2mb', VERIFY_FAILURE_LIMIT: '5' })).toMatchObject({
      maxDeliveryBodyBytes: 2 * 1_048_576,
      verifyFailureLimit: 5,
    });
    expect(problemsOf({ MAX_DELIVERY_BODY_BYTES: '100', VERIFY_FAILURE_LIMIT: '0' })).toEqual([
      expect.stringMatching(/^MAX_DELIVERY_BODY_BYTES must be a size/),
      expect.stringMatching(/^VERIFY_FAILURE_LIMIT must be an integer from 1/),
    ]);
  });

  it('reads the worker concurrencies, and refuses ones outside 1-1000', () => {
    expect(loadConfig({ DELIVERY_CONCURRENCY: '200', INBOUND_CONCURRENCY: '8' })).toMatchObject({
      deliveryConcurrency: 200,
      inboundConcurrency: 8,
    });
    expect(problemsOf({ DELIVERY_CONCURRENCY: '0', INBOUND_CONCURRENCY: '1001' })).toEqual([
      expect.stringMatching(/^DELIVERY_CONCURRENCY must be an integer from 1/),
      expect.stringMatching(/^INBOUND_CONCURRENCY must be an integer from 1/),
    ]);
  });

  it('reads the heap growth, 0 included, and refuses one outside 0-1000', () => {
    expect(loadConfig({ HEAP_GROWING_PERCENT: '100' }).heapGrowingPercent).toBe(100);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(problemsOf({ HEAP_GROWING_PERCENT: '1001' })).toEqual([
      expect.stringMatching(/^HEAP_GROWING_PERCENT must be an integer from 0 to 1000/),
    ]);
  });

  it('reads good values of every kind', () => {
    const config = loadConfig({
      PORT: '8080',
      APP_ROLE: 'worker',
      DATABASE_URL: 'postgresql://u:p@db:5432/hh',
      REDIS_URL: 'rediss://cache:6380/2',
      QUEUE_PREFIX: 'tenant-a',
      ADMIN_API_KEY: 'a-long-admin-key-123',
      ENCRYPTION_KEY: 'ab'.repeat(32),
      ALLOW_HTTP_URLS: 'true',
      ALLOW_PRIVATE_URLS: '1',
      DELIVERY_RETRY_SCHEDULE: '500ms,5s',
      INBOUND_RETRY_SCHEDULE: '2h',
      NOTIFICATION_RETRY_SCHEDULE: '1s,1m',
      DISABLE_AFTER_FAILURES: '3',
      DISABLE_AFTER: '5d',
      MAX_BODY_BYTES: '512kb',
      RETENTION_DAYS: '7',
      TELEGRAM_API_URL: 'http://127.0.0.1:9000/',
      WHATSAPP_API_URL: 'http://127.0.0.1:9001/v21.0',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      role: 'worker',
      queuePrefix: 'tenant-a',
      allowHttpUrls: true,
      allowPrivateUrls: true,
      deliveryRetrySchedule: [500, 5_000],
      inboundRetrySchedule: [7_200_000],
      notificationRetrySchedule: [1_000, 60_000],
      disableAfterFailures: 3,
      disableAfterMs: 432_000_000,
      maxBodyBytes: 524_288,
      retentionDays: 7,
      telegramApiUrl: 'http://127.0.0.1:9000',
      whatsappApiUrl: 'http://127.0.0.1:9001/v21.0',
      logLevel: 'debug',
      encryptionKeyIsDevelopment: false,
    });
    expect(config.encryptionKey.toString('hex')).toBe('ab'.repeat(32));
  });

  it('accepts a base64 encryption key', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ ENCRYPTION_KEY: key.toString('base64') }).encryptionKey.equals(key)).toBe(true);
  });

  it.each([
    ['PORT', 'eighty', 'PORT must be an integer from 0 to 65535 (got "eighty")'],
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    ['APP_ROLE', 'both', 'APP_ROLE must be one of api, worker, all (got "both")'],
    [
      'DATABASE_URL',
      'mysql://x/y',
      'DATABASE_URL must be a URL with scheme postgres or postgresql (got "mysql://x/y")',
    ],
    ['REDIS_URL', 'not a url', 'REDIS_URL must be a URL with scheme redis or rediss (got "not a url")'],
    ['ALLOW_HTTP_URLS', 'maybe', 'ALLOW_HTTP_URLS must be true or false (got "maybe")'],
    [
      'DELIVERY_RETRY_SCHEDULE',
      'soon',
      'DELIVERY_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,5m,2h (got "soon")',
    ],
    [
      'INBOUND_RETRY_SCHEDULE',
      '5m,,10m',
      'INBOUND_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,5m,2h (got "5m,,10m")',
    ],
    [
      'NOTIFICATION_RETRY_SCHEDULE',
      '5s,0s',
      'NOTIFICATION_RETRY_SCHEDULE must be a comma-separated list of durations such as 5s,5m,2h (got "5s,0s")',
    ],
    ['DISABLE_AFTER', '5 days', 'DISABLE_AFTER must be a duration such as 500ms, 5s, 5m, 2h or 5d (got "5 days")'],
    ['DISABLE_AFTER_FAILURES', '0', 'DISABLE_AFTER_FAILURES must be an integer from 1 to 1000000 (got "0")'],
    ['MAX_BODY_BYTES', '1tb', 'MAX_BODY_BYTES must be a size in bytes such as 1048576, 512kb or 1mb (got "1tb")'],
    ['RETENTION_DAYS', '-1', 'RETENTION_DAYS must be an integer from 1 to 3650 (got "-1")'],
    ['TELEGRAM_API_URL', 'ftp://x', 'TELEGRAM_API_URL must be a URL with scheme http or https (got "ftp://x")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['QUEUE_PREFIX', 'a b', 'QUEUE_PREFIX must be letters, digits, or _ . : - (1 to 64 characters) (got "a b")'],
  ])('refuses %s=%p with a line naming it', (variable, value, line) => {
    expect(problemsOf({ [variable]: value })).toEqual([line]);
  });

  it('names every bad variable, one line each', () => {
    expect(problemsOf({ PORT: 'x', DISABLE_AFTER: 'y' })).toHaveLength(2);
  });

  it('refuses a short admin key without echoing it', () => {
    expect(problemsOf({ ADMIN_API_KEY: 'short' })).toEqual([
      'ADMIN_API_KEY must be at least 16 characters (got "<hidden>")',
    ]);
  });

  it('refuses an encryption key of the wrong length without echoing it', () => {
    expect(problemsOf({ ENCRYPTION_KEY: 'c2hvcnQ=' })[0]).toMatch(
      /^ENCRYPTION_KEY must be 32 bytes .*\(got "<hidden>"\)$/,
    );
  });

  it('requires ENCRYPTION_KEY in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })[0]).toMatch(/^ENCRYPTION_KEY must be set when NODE_ENV=production/);
  });

  it('reads CORS_ORIGINS as exact origins, written as browsers send them in Origin', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/,HTTPS://Admin.Example.com:443' })
        .corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173', 'https://admin.example.com']);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.com,https://a.example.com' }).corsOrigins).toEqual([
      'https://a.example.com',
    ]);
  });

  it.each([
    ['app.example.com', 'no scheme'],
    ['ftp://app.example.com', 'not http(s)'],
    ['https://app.example.com/console', 'a path'],
    ['https://app.example.com?x=1', 'a query'],
    ['https://user@app.example.com', 'credentials'],
    ['https://*.example.com', 'a wildcard'],
    ['*', 'a bare wildcard'],
    ['null', 'the opaque origin'],
    ['https://', 'no host'],
  ])('refuses the CORS origin %p (%s)', (origin) => {
    expect(parseOrigin(origin)).toBeUndefined();
    expect(problemsOf({ CORS_ORIGINS: `https://ok.example.com,${origin}` })).toEqual([
      `CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com (got "https://ok.example.com,${origin}")`,
    ]);
  });

  it('refuses an empty item in CORS_ORIGINS', () => {
    expect(problemsOf({ CORS_ORIGINS: 'https://a.example.com,,https://b.example.com' })[0]).toMatch(
      /^CORS_ORIGINS must/,
    );
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '  ', LOG_LEVEL: '' })).toMatchObject({ port: 3000, logLevel: 'info' });
  });
});
