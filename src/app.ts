import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { requestIdMiddleware } from './common/request-id';
import { setupSwagger } from './common/swagger';
import { AppConfig } from './config/env';
import { HOOKHUB_VERSION } from './common/version';
import { requestTracing } from './observability/request-tracing';

/** Methods a browser may use cross-origin: every method of the API. */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Request headers a browser may send cross-origin: authentication, JSON bodies, idempotency and tracing. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key', 'X-Request-ID'];
/** Response headers a cross-origin script may read besides the safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['X-Request-ID', 'Retry-After'];

/**
 * Cross-origin access for the origins of CORS_ORIGINS, on every route: a request from one of them is
 * answered with `Access-Control-Allow-Origin: <its origin>` and a preflight (OPTIONS) with the methods
 * and headers above, cacheable for 10 minutes. No credentials: API keys travel in headers, not
 * cookies. Without CORS_ORIGINS nothing is added and browsers keep other origins out.
 */
export function enableCors(app: NestExpressApplication, origins: string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
}

/** Everything main.ts and the e2e tests share: parsers, trace ids, request spans, CORS, Swagger, shutdown hooks. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(requestIdMiddleware);
  // one span per request, active for everything it runs; installed only when tracing is on
  if (config.tracing) app.use(requestTracing);
  enableCors(app, config.corsOrigins);
  setupSwagger(app, HOOKHUB_VERSION);
}

/** The HTTP application (APP_ROLE api or all), configured but not yet listening. */
export async function createHttpApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app, config);
  return app;
}

/** The worker (APP_ROLE worker): queues and schedulers, no HTTP server. */
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}

export type HookhubApp = INestApplication | INestApplicationContext;
