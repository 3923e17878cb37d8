import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { App } from 'supertest/types';
import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createHttpApp, createWorkerContext } from '../../src/app';
import { Env, loadConfig } from '../../src/config/env';
import { TEST_ADMIN_KEY } from './run-env';

export { TEST_ADMIN_KEY };

export interface TestApp {
  app: NestExpressApplication;
  http: App;
  queuePrefix: string;
  close(): Promise<void>;
}

let apps = 0;

/**
 * Boots the real application on this run's database and Redis; `overrides` change env variables.
 * Each app gets its own queue prefix under the run's, so apps of different spec files (which run
 * in parallel with other settings) never take each other's jobs.
 */
export async function startApp(overrides: Env = {}): Promise<TestApp> {
  apps += 1;
  const queuePrefix = `${process.env.QUEUE_PREFIX}:${process.pid}-${randomBytes(3).toString('hex')}-${apps}`;
  const config = loadConfig({ ...process.env, QUEUE_PREFIX: queuePrefix, ...overrides });
  const app = await createHttpApp(config);
  await app.init();
  return { app, http: app.getHttpServer() as App, queuePrefix: config.queuePrefix, close: () => app.close() };
}

/** Boots a worker process's application (APP_ROLE=worker): queues, sweeper, no HTTP. */
export async function startWorker(overrides: Env = {}): Promise<INestApplicationContext> {
  apps += 1;
  const queuePrefix = `${process.env.QUEUE_PREFIX}:${process.pid}-${randomBytes(3).toString('hex')}-${apps}`;
  const config = loadConfig({ ...process.env, QUEUE_PREFIX: queuePrefix, ...overrides, APP_ROLE: 'worker' });
  const app = await createWorkerContext(config);
  await app.init();
  return app;
}

export interface TestTenant {
  tenantId: string;
  apiKey: string;
  auth: { Authorization: string };
}

/** Creates a tenant through the admin API and returns its key. */
export async function createTenant(http: App, name = 'Test tenant'): Promise<TestTenant> {
  const res = await request(http)
    .post('/api/v1/tenants')
    .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
    .send({ name })
    .expect(201);
  const body = res.body as { data: { tenant_id: string; api_key: string } };
  return {
    tenantId: body.data.tenant_id,
    apiKey: body.data.api_key,
    auth: { Authorization: `Bearer ${body.data.api_key}` },
  };
}
