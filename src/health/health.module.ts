import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { collectDefaultMetrics } from 'prom-client';
import { ObservabilityModule } from '../observability/observability.module';
import { HealthController } from './health.controller';
import { QueuesHealthIndicator } from './queues.health';

collectDefaultMetrics({ prefix: 'hookhub_' });

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ObservabilityModule],
  controllers: [HealthController],
  providers: [QueuesHealthIndicator],
})
export class HealthModule {}
