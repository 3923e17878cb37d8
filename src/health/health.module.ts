import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { collectDefaultMetrics } from 'prom-client';
import { HealthController } from './health.controller';

collectDefaultMetrics({ prefix: 'hookhub_' });

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
})
export class HealthModule {}
