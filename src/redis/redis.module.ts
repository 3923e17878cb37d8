import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';

export const REDIS = Symbol('REDIS');
const logger = new Logger('Redis');
export const InjectRedis = (): ParameterDecorator => Inject(REDIS);

/** Closes the shared Redis connection when the application shuts down. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

/** One shared Redis connection for health checks, rate limits and short-lived keys (Bull keeps its own). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      useFactory: (config: AppConfig) => {
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
        // Connection errors surface through /health and the failing commands; log them once per change.
        let lastError = '';
        redis.on('error', (error: Error) => {
          if (error.message !== lastError) logger.warn(`Redis: ${error.message}`);
          lastError = error.message;
        });
        redis.on('ready', () => (lastError = ''));
        return redis;
      },
      inject: [APP_CONFIG],
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
