import { randomBytes } from 'node:crypto';

/** Where test databases are created; override with TEST_DATABASE_SERVER. */
export const TEST_DATABASE_SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://root@127.0.0.1:5432';
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

/** One fresh database and queue prefix for this test run, so runs never see each other's data. */
export function newRunEnv(): Record<string, string> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: `${TEST_DATABASE_SERVER}/hookhub_test_${runId}`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `hookhub_test_${runId}`,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    HOOKHUB_TEST_RUN: runId,
    // workers serve /metrics on a free port: several run at once in tests
    METRICS_PORT: '0',
  };
}
