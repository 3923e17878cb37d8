import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { requestIdMiddleware } from './common/request-id';
import { setupSwagger } from './common/swagger';
import { AppConfig } from './config/env';
import { HOOKHUB_VERSION } from './common/version';

/** Everything main.ts and the e2e tests share: parsers, trace ids, Swagger, shutdown hooks. */
export function configureApp(app: NestExpressApplication): void {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(requestIdMiddleware);
  setupSwagger(app, HOOKHUB_VERSION);
}

/** The HTTP application (APP_ROLE api or all), configured but not yet listening. */
export async function createHttpApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app);
  return app;
}

/** The worker (APP_ROLE worker): queues and schedulers, no HTTP server. */
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}

export type HookhubApp = INestApplication | INestApplicationContext;
