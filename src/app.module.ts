import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { BodyParserModule } from './common/body-parsers';
import { EnvelopeInterceptor } from './common/envelope.interceptor';
import { REDACT, serializeRequest } from './common/log-redaction';
import { ErrorFilter } from './common/error.filter';
import { createValidationPipe } from './common/validation';
import { CryptoModule } from './common/crypto.module';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/env';
import { dataSourceOptions } from './database/data-source';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { integrationModules } from './integrations/integration-modules';
import { RedisModule } from './redis/redis.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { NotificationsModule } from './notifications/notifications.module';
import { TenantsModule } from './tenants/tenants.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** True when `level` lets pino-http's request lines (level info) through. */
function logsRequests(level: AppConfig['logLevel']): boolean {
  return level === 'info' || level === 'debug' || level === 'trace';
}

@Module({})
export class AppModule {
  /** The whole application for one validated configuration; `role` decides whether workers run. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
            customProps: (req: IncomingMessage) => ({ trace_id: (req as IncomingMessage & { id: string }).id }),
            redact: REDACT,
            serializers: { req: serializeRequest },
            // request lines are written at info: above that level pino-http need not track responses at all
            autoLogging: logsRequests(config.logLevel)
              ? { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' }
              : false,
          },
        }),
        BodyParserModule,
        TypeOrmModule.forRoot(dataSourceOptions(config)),
        BullModule.forRoot({
          url: config.redisUrl,
          prefix: config.queuePrefix,
          // a killed worker's active jobs return to the queue within ~20 s (locks renew every 5 s while a job runs)
          settings: { lockDuration: 10_000, stalledInterval: 10_000, maxStalledCount: 3 },
        }),
        RedisModule,
        CryptoModule,
        HealthModule,
        // API keys and their passport strategies serve HTTP only; passport keeps strategies process-wide
        ...(config.role === 'worker' ? [] : [TenantsModule]),
        // route order: /webhooks/incoming/{kind}, then /webhooks/deliveries/{id}, before /webhooks/{id}
        WebhooksModule.register(config.role),
        ...integrationModules(config.role),
        DeliveriesModule.register(config.role),
        SubscriptionsModule,
        EventsModule,
        NotificationsModule.register(config.role),
        // the queue dashboard is an HTTP route: a worker has no HTTP server
        ...(config.role === 'worker' ? [] : [AdminModule.register(config)]),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
