import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { Response } from 'express';
import Redis from 'ioredis';
import { register } from 'prom-client';
import { RawResponse } from '../common/envelope.interceptor';
import { InjectRedis } from '../redis/redis.module';
import { CHECK_TIMEOUT_MS, withinCheckTimeout } from './check-timeout';
import { QueuesHealthIndicator } from './queues.health';

@ApiTags('health')
@RawResponse()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queues: QueuesHealthIndicator,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  @Get('health')
  @ApiOperation({
    operationId: 'health.check',
    summary: 'Readiness: PostgreSQL, Redis and the job counts of every queue answer (200), or which does not (503)',
    description:
      'Checks that PostgreSQL, Redis and every queue answer within a few seconds; a load balancer or orchestrator ' +
      'can use it as the readiness probe. Needs no key and answers without the envelope.',
  })
  @ApiResponse({
    status: 200,
    description:
      '`{status: "ok", info: {database, redis, queues: {<queue>: {status, waiting, active, delayed, failed}}}}`',
  })
  @ApiResponse({ status: 503, description: '`{status: "error", error: {...}}` naming what is down' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.redisCheck(),
        () => this.queues.check('queues'),
      ]);
    } catch (error) {
      res.status(503);
      return (error as { getResponse(): HealthCheckResult }).getResponse();
    }
  }

  @Get('metrics')
  @ApiOperation({
    operationId: 'health.metrics',
    summary: 'Prometheus metrics',
    description:
      'The process’s metrics in the Prometheus text format (prefix `hookhub_`): ingest requests, inbound ' +
      'processing, delivery attempts and latency, notifications, queue depth, database pool, failed verifications ' +
      'and Node.js runtime figures. A worker serves the same on its METRICS_PORT. Needs no key.',
  })
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format' })
  async metrics(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(register.contentType);
    return register.metrics();
  }

  private async redisCheck() {
    const session = this.indicators.check('redis');
    try {
      await withinCheckTimeout(this.redis.ping());
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
